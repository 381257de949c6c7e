/**
 * The console's pages and actions over real HTTP: the queue and the ticket page, actions
 * that run the chat commands (a web reply reaches the group exactly as /reply does), tenant
 * isolation (another company's ticket is the same 404 as a missing one), CSRF, validation
 * and escaping.
 */
import http from 'node:http';
import { submit, type World, world } from './world';

describe('the web console', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await w.say('alice', 'acme', '@bot the build fails on Node 20 with ERR_REQUIRE_ESM'); // #1001
    await w.say('erin', 'globex', '@bot Globex secret: the payroll export crashes'); // #1002
  });
  afterEach(() => w.close());

  const get = (cookie: string, url: string) => w.app.inject({ method: 'GET', url, headers: { cookie } });

  it('shows engineers the queue soonest deadline first, with the time left, and filters it', async () => {
    const bob = await w.signIn('bob');
    const queue = await get(bob, '/');
    expect(queue.statusCode).toBe(200);
    // acme (Basic, 24 h) is due after globex (Enterprise, 8 h).
    const order = [...queue.body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['1002', '1001']);
    expect(queue.body).toMatch(/due 11-23 18:00 GMT\+8 \(in 8 h\)|in 8 h/);
    const acme = await get(bob, '/?customer=acme');
    expect([...acme.body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1])).toEqual(['1001']);
    w.clock.advance(9 * 3_600_000);
    const overdue = await get(bob, '/?overdue=1');
    expect([...overdue.body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1])).toEqual(['1002']);
    expect(overdue.body).toContain('class="overdue"');
    expect((await get(bob, '/?status=bogus')).statusCode).toBe(400);
  });

  it('says when the queue is cut at the store’s 500 most urgent tickets', async () => {
    const d = w.desk.services;
    const alice = (await d.store.findPersonByIdentity('console', 'alice'))!;
    const { plan } = await d.directory.effectivePlan('acme');
    const bob = await w.signIn('bob');
    const open = (i: number) =>
      d.tickets.open({
        customerId: 'acme',
        requester: alice,
        plan,
        platform: 'console',
        chatId: 'acme',
        sourceKey: `bulk:${i}`,
        text: `bulk question ${i}`,
        category: 'consultation',
      });
    for (let i = 0; i < 497; i++) await open(i); // 499 with the two of beforeEach
    expect((await get(bob, '/')).body).not.toContain('Showing the 500 most urgent');
    await open(497);
    const full = await get(bob, '/');
    expect(full.body).toContain('Showing the 500 most urgent; narrow the filters to see the others.');
    expect(full.body.match(/data-ticket="/g)).toHaveLength(500);
  });

  it('claim and reply run the chat commands: the group receives what /reply sends', async () => {
    w.clock.advance(5 * 60_000); // past the merge window: a new ticket
    await w.say('alice', 'acme', '@bot and the tests hang on Windows'); // #1003, to compare with chat
    const bob = await w.signIn('bob');
    const claimed = await submit(w, bob, '/tickets/1001', '/tickets/1001/claim', {});
    expect(claimed.statusCode).toBe(303);
    const before = w.sent.length;
    const replied = await submit(w, bob, '/tickets/1001', '/tickets/1001/reply', {
      text: 'Please upgrade to 2.4.1',
    });
    expect(replied.statusCode).toBe(303);
    const fromWeb = w.sent.slice(before).filter((m) => m.chatId === 'acme');
    const fromChat = (await w.say('bob', 'staff', '/reply #1003 Please upgrade to 2.4.1')).filter(
      (m) => m.chatId === 'acme',
    );
    expect(fromWeb).toHaveLength(1);
    expect(fromWeb[0]!.text).toBe(fromChat[0]!.text.replace('#1003', '#1001'));
    expect(fromWeb[0]!.mentions).toEqual(fromChat[0]!.mentions);
    // The command's answer is the page's notice; the history shows the claim and the answer.
    const page = await get(`${bob}; ${noticeOf(replied)}`, '/tickets/1001');
    expect(page.body).toContain('Reply to #1001 delivered to the customer.');
    expect(page.body).toContain('class="event staff_reply"');
    expect(page.body).toContain('assigned to bob');
    const events = await w.desk.services.store.listEvents(1001);
    expect(events.map((e) => e.kind)).toEqual([
      'customer_message',
      'assignment',
      'status_change',
      'staff_reply',
    ]);
  });

  it('a refusal of the command shows as a notice: resolving twice', async () => {
    const bob = await w.signIn('bob');
    await submit(w, bob, '/tickets/1001', '/tickets/1001/resolve', { summary: 'fixed in 2.4.1' });
    expect((await w.desk.services.store.getTicket(1001))?.status).toBe('resolved');
    const page = await get(bob, '/tickets/1001');
    expect(page.body).not.toContain('/tickets/1001/resolve'); // no resolve button on a resolved ticket
  });

  it('notes are marked internal for staff and never shown to the customer', async () => {
    const bob = await w.signIn('bob');
    await submit(w, bob, '/tickets/1001', '/tickets/1001/note', { text: 'customer is on a forked build' });
    expect((await get(bob, '/tickets/1001')).body).toMatch(
      /class="event internal_note"[\s\S]*internal note \(never shown to the customer\)[\s\S]*customer is on a forked build/,
    );
    const alice = await w.signIn('alice');
    const theirs = await get(alice, '/tickets/1001');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('forked build');
    expect(theirs.body).not.toContain('/tickets/1001/note');
  });

  it('a customer sees only their company: another one’s ticket is the same 404 as a missing one', async () => {
    const alice = await w.signIn('alice');
    const list = await get(alice, '/');
    expect([...list.body.matchAll(/data-ticket="(\d+)"/g)].map((m) => m[1])).toEqual(['1001']);
    expect(list.body).not.toContain('payroll');
    // Even a filter naming another customer shows only their own.
    expect((await get(alice, '/?customer=globex')).body).not.toContain('payroll');
    const routes: Array<(n: number) => Promise<{ statusCode: number; body: string }>> = [
      (n) => get(alice, `/tickets/${n}`),
      (n) => submit(w, alice, '/', `/tickets/${n}/reply`, { text: 'let me in' }),
      (n) => submit(w, alice, '/', `/tickets/${n}/claim`, {}),
      (n) => submit(w, alice, '/', `/tickets/${n}/resolve`, {}),
      (n) => submit(w, alice, '/', `/tickets/${n}/note`, { text: 'x' }),
    ];
    const matrix: string[] = [];
    for (const route of routes) {
      const foreign = await route(1002);
      const missing = await route(9999);
      matrix.push(`${foreign.statusCode}/${missing.statusCode}/${foreign.body === missing.body}`);
    }
    expect(matrix).toEqual(Array(routes.length).fill('404/404/true'));
    expect((await w.desk.services.store.listEvents(1002)).map((e) => e.kind)).toEqual(['customer_message']);
    // Staff actions stay staff-only on the customer's own ticket too.
    expect((await submit(w, alice, '/', '/tickets/1001/claim', {})).statusCode).toBe(404);
  });

  it('a customer answers from the web: recorded like a follow-up, the assignee told', async () => {
    await w.say('bob', 'staff', '/claim #1001');
    const alice = await w.signIn('alice');
    const before = w.sent.length;
    const done = await submit(w, alice, '/tickets/1001', '/tickets/1001/reply', {
      text: 'still failing on 2.4.1',
    });
    expect(done.statusCode).toBe(303);
    const events = await w.desk.services.store.listEvents(1001);
    expect(events.at(-1)).toMatchObject({ kind: 'customer_message', text: 'still failing on 2.4.1' });
    expect(w.sent.slice(before).map((m) => m.text)).toEqual([
      expect.stringContaining('alice added: still failing on 2.4.1'),
    ]);
  });

  it('refuses a POST without its CSRF token, or with another session’s', async () => {
    const bob = await w.signIn('bob');
    const bare = await w.app.inject({
      method: 'POST',
      url: '/tickets/1001/reply',
      headers: { cookie: bob, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'text=hello',
    });
    expect(bare.statusCode).toBe(403);
    const carol = await w.signIn('carol');
    const carolsPage = await get(carol, '/tickets/1001');
    const token = /name="_csrf" value="([^"]+)"/.exec(carolsPage.body)![1]!;
    const crossed = await w.app.inject({
      method: 'POST',
      url: '/tickets/1001/reply',
      headers: { cookie: bob, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, text: 'hello' }).toString(),
    });
    expect(crossed.statusCode).toBe(403);
    expect((await w.desk.services.store.listEvents(1001)).some((e) => e.kind === 'staff_reply')).toBe(false);
  });

  it('validates input: an empty reply, a bad number, an oversized body', async () => {
    const bob = await w.signIn('bob');
    expect((await submit(w, bob, '/tickets/1001', '/tickets/1001/reply', { text: '   ' })).statusCode).toBe(
      400,
    );
    expect((await get(bob, '/tickets/abc')).statusCode).toBe(400);
    expect(
      (await submit(w, bob, '/tickets/1001', '/tickets/1001/reply', { text: 'x'.repeat(16_001) })).statusCode,
    ).toBe(400);
    expect(
      (await submit(w, bob, '/tickets/1001', '/tickets/1001/reply', { text: 'x'.repeat(200_000) }))
        .statusCode,
    ).toBe(413);
  });

  it('shows customer text as text: a <script> subject is escaped on every page', async () => {
    w.clock.advance(5 * 60_000);
    await w.say('alice', 'acme', '@bot <script>alert(1)</script> and <img src=x onerror=alert(2)>'); // #1003
    const bob = await w.signIn('bob');
    for (const url of ['/', '/tickets/1003']) {
      const page = await get(bob, url);
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img src=x');
    }
    const csp = (await get(bob, '/')).headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
  });

  it('tells an open page when one of its tickets changes (server-sent events), within the reader’s scope', async () => {
    const alice = await w.signIn('alice');
    const received: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${w.url}/events`, { headers: { cookie: alice } }, resolve),
    );
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const changed = new Promise<void>((resolve) =>
      stream.on('data', (chunk: Buffer) => {
        received.push(chunk.toString());
        if (received.join('').includes('event: changed')) resolve();
      }),
    );
    await w.say('bob', 'staff', '/claim #1002'); // globex: not alice's
    await w.say('bob', 'staff', '/claim #1001');
    await changed;
    stream.destroy();
    const events = received.join('').match(/data: .*/g);
    expect(events).toEqual(['data: {"ticket":1001}']);
  });
});

it('an event stream ends when its person may no longer use the console', async () => {
  const w = await world();
  try {
    await w.say('alice', 'acme', '@bot the build fails on Node 20');
    const alice = await w.signIn('alice');
    const stream = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${w.url}/events`, { headers: { cookie: alice } }, resolve),
    );
    let received = '';
    stream.on('data', (chunk: Buffer) => {
      received += chunk.toString();
    });
    const ended = new Promise<void>((resolve) => stream.on('end', resolve));
    const { store, clock } = w.desk.services;
    for (const sub of await store.listSubscriptions('acme'))
      await store.putSubscription({ ...sub, endsAt: clock.now() - 1, graceDays: 0 });
    await w.say('bob', 'staff', '/claim #1001');
    const outcome = await Promise.race([
      ended.then(() => 'ended'),
      new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 3000).unref()),
    ]);
    stream.destroy();
    expect(outcome).toBe('ended');
    expect(received).not.toContain('event: changed');
  } finally {
    await w.close();
  }
});

function noticeOf(res: { headers: Record<string, unknown> }): string {
  const lines = res.headers['set-cookie'] as string[];
  return lines.find((l) => l.startsWith('gd_notice='))!.split(';')[0]!;
}
