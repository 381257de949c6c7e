/**
 * The engineers' remaining actions on the ticket page (assign, wait, priority) run the chat
 * commands with their checks; attachment links in a message are links on the page.
 */
import { submit, type World, world } from './world';

describe('the web console for engineers', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await w.say(
      'alice',
      'acme',
      '@bot the build fails\n[image] shot.png https://files.example/a.png?x=1&y=2',
    ); // #1001
  });
  afterEach(() => w.close());

  const get = (cookie: string, url: string) => w.app.inject({ method: 'GET', url, headers: { cookie } });
  const store = () => w.desk.services.store;

  it('assigns to a staff member from the list, and refuses someone who is not staff', async () => {
    const bob = await w.signIn('bob');
    const page = await get(bob, '/tickets/1001');
    const carol = (await store().findPersonByIdentity('console', 'carol'))!;
    expect(page.body).toContain(`<option value="${carol.id}">carol</option>`);
    const done = await submit(w, bob, '/tickets/1001', '/tickets/1001/assign', { who: carol.id });
    expect(done.statusCode).toBe(303);
    expect((await store().getTicket(1001))?.assigneeId).toBe(carol.id);
    const events = await store().listEvents(1001);
    expect(events.filter((e) => e.kind === 'assignment').map((e) => e.to)).toEqual([carol.id]);
    // carol hears about it the way /assign tells her.
    expect(w.sent.some((m) => m.text.includes('#1001') && m.chatId !== 'acme')).toBe(true);

    const alice = (await store().findPersonByIdentity('console', 'alice'))!;
    const refused = await submit(w, bob, '/tickets/1001', '/tickets/1001/assign', { who: alice.id });
    expect(refused.statusCode).toBe(303);
    expect((await store().getTicket(1001))?.assigneeId).toBe(carol.id);
    const unknown = await submit(w, bob, '/tickets/1001', '/tickets/1001/assign', { who: 'nobody' });
    expect(unknown.statusCode).toBe(303);
    expect((await store().getTicket(1001))?.assigneeId).toBe(carol.id);
  });

  it('waits on the customer with a question that reaches their group', async () => {
    const bob = await w.signIn('bob');
    const before = w.sent.length;
    const done = await submit(w, bob, '/tickets/1001', '/tickets/1001/wait', {
      question: 'Which Node version exactly?',
    });
    expect(done.statusCode).toBe(303);
    expect((await store().getTicket(1001))?.status).toBe('waiting_on_customer');
    const toGroup = w.sent.slice(before).filter((m) => m.chatId === 'acme');
    expect(toGroup).toHaveLength(1);
    expect(toGroup[0]!.text).toContain('Which Node version exactly?');
    expect((await get(bob, '/tickets/1001')).body).not.toContain('/tickets/1001/wait');
  });

  it('sets the priority through /priority, and rejects a level that does not exist', async () => {
    const bob = await w.signIn('bob');
    const done = await submit(w, bob, '/tickets/1001', '/tickets/1001/priority', { level: 'p1' });
    expect(done.statusCode).toBe(303);
    expect((await store().getTicket(1001))?.priority).toBe('p1');
    expect((await store().listEvents(1001)).at(-1)).toMatchObject({ kind: 'priority_change', to: 'p1' });
    const bad = await submit(w, bob, '/tickets/1001', '/tickets/1001/priority', { level: 'p0' });
    expect(bad.statusCode).toBe(400);
    expect((await store().getTicket(1001))?.priority).toBe('p1');
  });

  it('subscribers may not use the staff actions: the same 404 as a missing ticket', async () => {
    const alice = await w.signIn('alice');
    for (const [action, fields] of [
      ['assign', { who: 'x' }],
      ['wait', {}],
      ['priority', { level: 'p1' }],
    ] as const) {
      const res = await submit(w, alice, '/tickets/1001', `/tickets/1001/${action}`, fields);
      expect(res.statusCode).toBe(404);
    }
    expect((await store().getTicket(1001))?.priority).not.toBe('p1');
    expect((await get(alice, '/tickets/1001')).body).not.toContain('/tickets/1001/assign');
  });

  it('shows attachment URLs as links, escaped, and leaves other schemes as text', async () => {
    await w.say('alice', 'acme', 'also javascript:alert(1) and https://x.example/"onmouseover=alert(1)');
    const bob = await w.signIn('bob');
    const page = (await get(bob, '/tickets/1001')).body;
    expect(page).toContain(
      '<a href="https://files.example/a.png?x=1&amp;y=2" rel="noopener noreferrer nofollow" target="_blank">https://files.example/a.png?x=1&amp;y=2</a>',
    );
    expect(page).not.toContain('href="javascript');
    expect(page).not.toContain('"onmouseover');
  });
  it('filters the queue by plan and priority, and searches subjects within the reader’s scope', async () => {
    await w.say('erin', 'globex', '@bot Globex: the payroll build crashes'); // #1002, enterprise
    const numbers = (body: string) => [...body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1]);
    const bob = await w.signIn('bob');
    const plan = (await store().getTicket(1002))!.plan;
    expect(plan).not.toBe((await store().getTicket(1001))!.plan);
    expect(numbers((await get(bob, `/?plan=${plan}`)).body)).toEqual(['1002']);
    await submit(w, bob, '/tickets/1001', '/tickets/1001/priority', { level: 'p1' });
    expect(numbers((await get(bob, '/?priority=p1')).body)).toEqual(['1001']);
    expect(numbers((await get(bob, `/?priority=p1&plan=${plan}`)).body)).toEqual([]);
    expect((await get(bob, '/?priority=p7')).statusCode).toBe(400);
    // Search finds resolved tickets too, case-insensitively; % is a character, not a wildcard.
    await submit(w, bob, '/tickets/1002', '/tickets/1002/resolve', {});
    expect(numbers((await get(bob, '/?q=BUILD')).body).sort()).toEqual(['1001', '1002']);
    expect(numbers((await get(bob, '/?q=%25')).body)).toEqual([]);
    const alice = await w.signIn('alice');
    expect(numbers((await get(alice, '/?q=build')).body)).toEqual(['1001']);
    expect(numbers((await get(alice, '/?q=payroll')).body)).toEqual([]);
    expect((await get(bob, `/?q=${'x'.repeat(201)}`)).statusCode).toBe(400);
  });
  it('searches what was said in a ticket too, through the search index, and keeps the other filters', async () => {
    await w.say('erin', 'globex', '@bot Globex: the payroll build crashes'); // #1002
    await w.say('erin', 'globex', 'the log says libquux segfaults at start');
    const numbers = (body: string) => [...body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1]);
    const bob = await w.signIn('bob');
    // Not in any subject: only the customer's follow-up message says it.
    expect(numbers((await get(bob, '/?q=LIBQUUX')).body)).toEqual(['1002']);
    expect(numbers((await get(bob, '/?q=libquux&customer=acme')).body)).toEqual([]);
    expect(numbers((await get(bob, '/?q=libquux&status=resolved')).body)).toEqual([]);
    expect(numbers((await get(bob, '/?q=libquux&priority=p1')).body)).toEqual([]);
    const alice = await w.signIn('alice');
    expect(numbers((await get(alice, '/?q=libquux')).body)).toEqual([]);
  });
});
