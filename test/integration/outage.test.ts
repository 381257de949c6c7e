/**
 * Store outages, through the real desk (createDesk, router, commands) on a real SQLite
 * file behind a wrapper that fails with the store's own STORE_UNAVAILABLE error while
 * `down`. The retry timer is fired by hand: each `retry()` is "its delay has passed".
 */
import { KEPT, NOT_KEPT, type World, world } from './outage.world';

describe('a store outage', () => {
  let w: World;
  afterEach(() => w.close());

  it('keeps the messages, answers each once, and handles them once, in order per chat, when the store is back', async () => {
    w = await world();
    w.outage.down = true;
    await w.say('alice', 'acme', 'the build fails on Node 20', true);
    await w.say('alice', 'acme', 'only with ERR_REQUIRE_ESM'); // a follow-up: it needs the ticket first
    await w.say('erin', 'globex', 'the cache never expires', true);
    expect(w.said('acme')).toEqual([KEPT]); // unaddressed chatter gets no answer in an outage
    expect(w.said('globex')).toEqual([KEPT]);
    expect(w.desk.router.kept).toBe(3);

    // Still away: nothing is said again and the next retry waits twice as long.
    expect(w.timers.due.map((t) => t.ms)).toEqual([1000]);
    await w.retry();
    expect(w.timers.due.map((t) => t.ms)).toEqual([2000]);
    await w.retry();
    expect(w.timers.due.map((t) => t.ms)).toEqual([4000]);
    expect(w.said('acme')).toEqual([KEPT]);
    expect(await w.store.getTicket(1001)).toBeUndefined();

    w.outage.down = false;
    await w.retry();
    expect(w.desk.router.kept).toBe(0);
    expect(w.timers.due).toEqual([]);
    expect(w.said('acme')).toEqual([KEPT, expect.stringMatching(/^Ticket #1001 is open/)]);
    expect(w.said('globex')).toEqual([KEPT, expect.stringMatching(/^Ticket #1002 is open/)]);
    expect(w.said('staff')).toEqual([
      expect.stringMatching(/^New ticket #1001 · ACME/),
      expect.stringMatching(/^New ticket #1002 · Globex/),
    ]);
    const events = await w.store.listEvents(1001);
    expect(events.map((e) => e.text)).toEqual(['the build fails on Node 20', 'only with ERR_REQUIRE_ESM']);
    expect(await w.store.queryTickets({})).toHaveLength(2);

    // The next outage starts again from the shortest delay.
    w.outage.down = true;
    await w.say('alice', 'acme', 'another question', true);
    expect(w.timers.due.map((t) => t.ms)).toEqual([1000]);
  });

  it('keeps new messages untried while the store is known to be away, behind the older ones of their chat', async () => {
    w = await world();
    w.outage.down = true;
    await w.say('alice', 'acme', 'the dashboard is blank', true);
    const calls = w.outage.calls;
    w.outage.down = false; // back, but nobody has noticed yet
    await w.say('alice', 'acme', 'only in Safari');
    await w.say('erin', 'globex', 'how do I rotate keys?', true);
    expect(w.outage.calls).toBe(calls); // not tried: the outage is not over until a retry says so
    expect(w.said('globex')).toEqual([KEPT]);
    await w.retry();
    expect((await w.store.listEvents(1001)).map((e) => e.text)).toEqual([
      'the dashboard is blank',
      'only in Safari',
    ]);
    expect(w.said('globex')).toEqual([KEPT, expect.stringMatching(/^Ticket #1002 is open/)]);
  });

  it('handles a chat’s kept messages before its new one, even once the outage is over', async () => {
    w = await world();
    w.outage.down = true;
    await w.say('alice', 'acme', 'the dashboard is blank', true);
    w.outage.down = false;
    // While the retry probes the store with acme's message, globex's first request arrives
    // (kept: the outage is not over yet); its second arrives after the retry, before the next.
    let during: Promise<void> | undefined;
    w.outage.beforeNextCall = () => {
      during = w.say('erin', 'globex', 'first question', true);
    };
    await w.retry();
    await during;
    expect(w.said('globex')).toEqual([KEPT]);
    await w.say('erin', 'globex', 'second question', true);
    const tickets = (await w.store.queryTickets({})).sort((a, b) => a.number - b.number);
    const subjects = tickets.map((t) => [t.number, t.subject]);
    expect(subjects).toEqual([
      [1001, 'the dashboard is blank'],
      [1002, 'first question'],
      [1003, 'second question'],
    ]);
  });

  it('opens one ticket for a message whose handling was cut off after the ticket was written', async () => {
    w = await world();
    w.outage.down = true;
    w.outage.failing = new Set(['linkMessage', 'releaseInbound']); // the key stays claimed by this process
    await w.say('alice', 'acme', 'the installer hangs', true, 'm-install');
    // One unit of work: the failed link took the ticket (and the claim) back with it.
    expect(await w.store.getTicket(1001)).toBeUndefined();
    // The platform delivers it again while it is kept: it must not be handled twice.
    await w.say('alice', 'acme', 'the installer hangs', true, 'm-install');
    expect(w.said('acme')).toEqual([KEPT]);

    w.outage.down = false;
    await w.retry();
    await w.say('alice', 'acme', 'the installer hangs', true, 'm-install'); // and once more, afterwards
    expect(await w.store.queryTickets({})).toHaveLength(1);
    expect((await w.store.listEvents(1001)).filter((e) => e.kind === 'customer_message')).toHaveLength(1);
    expect(w.said('acme')).toEqual([KEPT, expect.stringMatching(/^Ticket #1001 is open/)]);
    expect(await w.store.findTicketByMessage('console', 'acme', 'm-install')).toMatchObject({ number: 1001 });
  });

  it('gives the key back where it can, so that the retry claims it again, and still opens one ticket', async () => {
    w = await world();
    w.outage.down = true;
    w.outage.failing = new Set(['linkMessage']);
    await w.say('alice', 'acme', 'the installer hangs', true, 'm-install');
    w.outage.down = false;
    await w.retry();
    expect(await w.store.queryTickets({})).toHaveLength(1);
    expect(w.said('acme')).toEqual([KEPT, expect.stringMatching(/^Ticket #1001 is open/)]);
  });

  it('past its bound says honestly that a message was not kept, and logs it as an error', async () => {
    w = await world({ outage: { maxMessages: 2 } });
    w.outage.down = true;
    await w.say('alice', 'acme', 'first', true);
    await w.say('alice', 'acme', 'second', true);
    await w.say('erin', 'globex', 'third', true);
    expect(w.said('acme')).toEqual([KEPT, KEPT]);
    expect(w.said('globex')).toEqual([expect.stringMatching(NOT_KEPT)]);
    expect(w.errors).toEqual([
      {
        message: 'store outage: a message was NOT kept (the retry queue is full or stopped)',
        fields: expect.objectContaining({ key: 'console::globex:m3', kept: 2, droppedSoFar: 1 }),
      },
    ]);
    w.outage.down = false;
    await w.retry();
    expect((await w.store.queryTickets({})).map((t) => t.subject)).toEqual(['first', 'second']);
  });

  it('retries on real timers', async () => {
    w = await world({ outage: { initialDelayMs: 5 }, realTimers: true });
    w.outage.down = true;
    await w.say('alice', 'acme', 'the build fails', true);
    w.outage.down = false;
    await w.sentTo('acme', 2); // the acknowledgement, sent by the retry the timer set off
    await w.desk.router.idle();
    expect(w.said('acme')).toEqual([KEPT, expect.stringMatching(/^Ticket #1001 is open/)]);
  });

  it('stop() clears the retry timer and logs the messages it loses', async () => {
    w = await world();
    w.outage.down = true;
    await w.say('alice', 'acme', 'the build fails', true);
    expect(w.timers.due).toHaveLength(1);
    w.desk.router.stop();
    expect(w.timers.due).toEqual([]);
    expect(w.desk.router.kept).toBe(0);
    expect(w.errors).toEqual([
      {
        message: 'stopped with messages kept during a store outage: they are lost',
        fields: { count: 1, keys: ['console::acme:m1'] },
      },
    ]);
    // After stop nothing is kept any more: the sender is told so.
    await w.say('alice', 'acme', 'hello?', true);
    expect(w.said('acme')).toEqual([KEPT, expect.stringMatching(NOT_KEPT)]);
    expect(w.timers.due).toEqual([]);
  });
});
