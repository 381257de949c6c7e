/**
 * The desk administration page: customers with plan, expiry and training; bindings and
 * staff; a subscription change that runs the /sub command itself.
 */
import { getAs, postBare, submit, type World, world } from './world';

describe('the administration page', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.close());
  const get = (cookie: string, url: string) => getAs(w, cookie, url);

  it('lists customers with their plan, bindings and staff', async () => {
    const carol = await w.signIn('carol');
    const page = await get(carol, '/admin');
    expect(page.statusCode).toBe(200);
    const { plan } = await w.desk.services.directory.effectivePlan('acme');
    expect(page.body).toMatch(
      new RegExp(`<tr data-customer="acme"><td>acme</td><td>[^<]+</td><td>${plan.id}</td>`),
    );
    expect(page.body).toMatch(/<table id="groups">[\s\S]*acme[\s\S]*<\/table>/);
    expect(page.body).toMatch(/<table id="staff">[\s\S]*<td>bob<\/td><td>support engineers<\/td>/);
  });

  it('changes a plan through /sub, with its answer as the notice and its refusals shown', async () => {
    const carol = await w.signIn('carol');
    const done = await submit(w, carol, '/admin', '/admin/sub', {
      action: 'plan',
      customer: 'acme',
      value: 'enterprise',
      months: '',
    });
    expect(done.statusCode).toBe(303);
    expect((await w.desk.services.directory.effectivePlan('acme')).plan.id).toBe('enterprise');
    const notice = (done.headers['set-cookie'] as string[])
      .find((l) => l.startsWith('gd_notice='))!
      .split(';')[0]!;
    const page = await get(`${carol}; ${notice}`, '/admin');
    expect(page.body).toMatch(/<p class="notice" role="status">[^<]*acme/);
    const bad = await submit(w, carol, '/admin', '/admin/sub', {
      action: 'plan',
      customer: 'acme',
      value: 'platinum',
    });
    expect(bad.statusCode).toBe(303);
    const refusal = (bad.headers['set-cookie'] as string[])
      .find((l) => l.startsWith('gd_notice='))!
      .split(';')[0]!;
    expect((await get(`${carol}; ${refusal}`, '/admin')).body).toContain(
      '<p class="notice error" role="status">',
    );
    expect((await w.desk.services.directory.effectivePlan('acme')).plan.id).toBe('enterprise');
    const malformed = await submit(w, carol, '/admin', '/admin/sub', {
      action: 'drop',
      customer: 'acme',
      value: 'x',
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('is for managers: engineers and subscribers get a 404, and a POST needs its CSRF token', async () => {
    for (const who of ['bob', 'alice']) {
      const cookie = await w.signIn(who);
      expect((await get(cookie, '/admin')).statusCode).toBe(404);
      const post = await submit(w, cookie, '/', '/admin/sub', {
        action: 'plan',
        customer: 'acme',
        value: 'enterprise',
      });
      expect(post.statusCode).toBe(404);
    }
    const carol = await w.signIn('carol');
    const bare = await postBare(w, carol, '/admin/sub', 'action=plan&customer=acme&value=enterprise');
    expect(bare.statusCode).toBe(403);
    expect((await w.desk.services.directory.effectivePlan('acme')).plan.id).not.toBe('enterprise');
  });
});
