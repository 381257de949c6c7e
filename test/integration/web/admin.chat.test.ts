/**
 * Binding groups and changing staff from /admin: the forms run /bind and /staff themselves
 * (their checks, their answers) and each change, done or refused, is audited in the log.
 */
import type { Logger } from '../../../src/core/logger';
import { getAs, submit, type World, world } from './world';

describe('the administration page: bindings and staff', () => {
  let w: World;
  let audit: Array<Record<string, unknown>>;
  beforeEach(async () => {
    audit = [];
    const logger: Logger = {
      debug() {},
      info: (message, fields) => {
        if (message === 'admin change') audit.push(fields ?? {});
      },
      warn() {},
      error() {},
    };
    w = await world({ logger });
  });
  afterEach(() => w.close());

  /** The notice the redirect carries, as the next page shows it. */
  const noticeAfter = async (cookie: string, done: { headers: Record<string, unknown> }) => {
    const line = (done.headers['set-cookie'] as string[]).find((l) => l.startsWith('gd_notice='))!;
    const page = await getAs(w, `${cookie}; ${line.split(';')[0]!}`, '/admin');
    return /<p class="notice( error)?" role="status">([^<]*)<\/p>/.exec(page.body)!;
  };

  it('binds a group to a customer as /bind does, and refuses a customer that does not exist', async () => {
    const carol = await w.signIn('carol');
    const carolId = (await w.desk.services.store.findPersonByIdentity('console', 'carol'))!.id;
    const fields = { platform: 'console', chat: 'globex-2', title: 'Globex <ops>', target: 'globex' };
    const done = await submit(w, carol, '/admin', '/admin/bind', fields);
    expect(done.statusCode).toBe(303);
    const group = await w.desk.services.store.getGroup('console', 'globex-2');
    expect(group).toMatchObject({ kind: 'customer', customerId: 'globex', title: 'Globex <ops>' });
    const [, error, text] = await noticeAfter(carol, done);
    expect(error).toBeUndefined();
    expect(text).toContain('Globex');
    // The page lists the binding, escaped.
    expect((await getAs(w, carol, '/admin')).body).toContain('Globex &lt;ops&gt;');
    // Customers in the new group are now globex's: a ticket there is globex's.
    await w.say('erin', 'globex-2', '@bot the payroll export crashes again');
    expect((await w.desk.services.store.getTicket(1001))?.customerId).toBe('globex');

    const refused = await submit(w, carol, '/admin', '/admin/bind', {
      ...fields,
      chat: 'x-1',
      target: 'nosuch',
    });
    expect(refused.statusCode).toBe(303);
    expect((await noticeAfter(carol, refused))[1]).toBe(' error');
    expect(await w.desk.services.store.getGroup('console', 'x-1')).toBeUndefined();
    expect(audit).toEqual([
      expect.objectContaining({ door: 'web', by: carolId, command: 'bind', outcome: 'done' }),
      expect.objectContaining({ command: 'bind', outcome: 'refused', reason: 'customer.unknown' }),
    ]);
    const bad = await submit(w, carol, '/admin', '/admin/bind', { ...fields, platform: 'icq' });
    expect(bad.statusCode).toBe(400);
    expect(audit).toHaveLength(2);
  });

  it('adds and removes staff as /staff does; the removed person is signed out, nobody removes themselves', async () => {
    const carol = await w.signIn('carol');
    const added = await submit(w, carol, '/admin', '/admin/staff', {
      action: 'add',
      platform: 'console',
      user: 'dave',
      name: 'dave',
      role: 'engineer',
    });
    expect(added.statusCode).toBe(303);
    const dave = await w.desk.services.store.findPersonByIdentity('console', 'dave');
    expect(dave?.role).toBe('engineer');
    const davesCookie = await w.signIn('dave');
    expect((await getAs(w, davesCookie, '/')).statusCode).toBe(200);
    const page = await getAs(w, carol, '/admin');
    expect(page.body).toMatch(new RegExp(`<tr data-person="${dave!.id}"><td>dave</td>`));

    const removed = await submit(w, carol, '/admin', '/admin/staff', {
      action: 'remove',
      platform: 'console',
      user: 'dave',
    });
    expect(removed.statusCode).toBe(303);
    expect((await w.desk.services.store.findPersonByIdentity('console', 'dave'))?.role).not.toBe('engineer');
    expect((await getAs(w, davesCookie, '/')).statusCode).toBe(401);

    const herself = await submit(w, carol, '/admin', '/admin/staff', {
      action: 'remove',
      platform: 'console',
      user: 'carol',
    });
    expect((await noticeAfter(carol, herself))[1]).toBe(' error');
    expect((await w.desk.services.store.findPersonByIdentity('console', 'carol'))?.role).toBe('manager');
    expect(audit.map((a) => `${(a.args as { action: string }).action} ${a.outcome}`)).toEqual([
      'add done',
      'remove done',
      'remove refused',
    ]);
  });

  it('is for managers: an engineer gets the 404 of a missing page and nothing changes', async () => {
    const bob = await w.signIn('bob');
    const bind = await submit(w, bob, '/', '/admin/bind', { platform: 'console', chat: 'z', target: 'acme' });
    const staff = await submit(w, bob, '/', '/admin/staff', {
      action: 'add',
      platform: 'console',
      user: 'mallory',
      role: 'manager',
    });
    expect([bind.statusCode, staff.statusCode]).toEqual([404, 404]);
    expect(await w.desk.services.store.getGroup('console', 'z')).toBeUndefined();
    expect(await w.desk.services.store.findPersonByIdentity('console', 'mallory')).toBeUndefined();
    expect(audit).toEqual([]);
  });
});
