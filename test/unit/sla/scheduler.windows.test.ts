/**
 * Next-response windows in the reminder ledger: each window (the customer writes again
 * after an answer) sends its 50 %, 80 % and breach stages afresh, never suppressed by the
 * previous window's rows; a priority change inside a window moves its deadline and sends
 * no stage twice. ACME is on Basic: 24 h in calendar hours, next reply the same.
 */
import { HOUR, MIN, type SlaDesk, slaDesk } from './sla-desk';

describe('next-response reminders, window by window', () => {
  let s: SlaDesk;
  afterEach(() => s.close());

  const sent = async () =>
    (await s.store.listEvents(1001)).filter((e) => e.kind === 'reminder_sent').map((e) => e.text);
  const nextReply = (lines: string[]) =>
    lines.filter((l) => l.includes('next-reply') || l.includes('follow-up'));

  async function answeredThenFollowedUp() {
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.say('bob', 'staff', '/reply #1001 which version are you on?');
    await s.say('alice', 'acme', '#1001 that did not work, still cropped');
  }

  it('a second window sends its 50 %, 80 % and breach again, once each', async () => {
    s = await slaDesk();
    await answeredThenFollowedUp();
    expect(nextReply(await s.advance(12 * HOUR))).toEqual([
      expect.stringMatching(/^\[dm:bob\] Reminder: #1001 .* has used 50% of the next-reply time/),
    ]);
    await s.say('bob', 'staff', '/reply #1001 try 2.3.1');
    expect(await s.advance(HOUR)).toEqual([]);
    await s.say('alice', 'acme', '#1001 2.3.1 crops it too');
    const window2 = (await s.store.getTicket(1001))?.nextResponseSince;
    expect(window2).toBe(s.clock.now());

    expect(await s.advance(12 * HOUR - MIN)).toEqual([]);
    expect(nextReply(await s.advance(MIN))).toEqual([
      expect.stringMatching(
        /^\[dm:bob\] Reminder: .* has used 50% of the next-reply time: due .* \(in 12 h\)/,
      ),
    ]);
    expect(nextReply(await s.advance(8 * HOUR))).toEqual([
      expect.stringMatching(/^\[dm:bob\] Reminder: .* has used 80% of the next-reply time/),
    ]);
    const breach = await s.advance(4 * HOUR + MIN);
    expect(breach.filter((l) => l.includes('SLA breach'))).toEqual([
      expect.stringMatching(/^\[managers\] SLA breach: #1001 .* no reply to the customer's follow-up/),
      expect.stringMatching(/^\[dm:carol\] SLA breach: #1001/),
    ]);
    expect(await sent()).toEqual(['half', 'half', 'late', 'breach']);
    // Each window has its own rows: the first window's are settled, not re-used.
    const rows = await s.store.listReminders(`ticket:1001:next_response:${window2}`);
    expect(rows.map((r) => [r.stage, r.status])).toEqual([
      ['half', 'sent'],
      ['late', 'sent'],
      ['breach', 'pending'], // repeats while there is no reply
    ]);
  });

  it('a row of an earlier window whose cancel was lost is cancelled, not sent for the new window', async () => {
    s = await slaDesk();
    await answeredThenFollowedUp();
    const window1 = (await s.store.getTicket(1001))!.nextResponseSince!;
    await s.desk.sla.scheduler!.tick(s.clock.now()); // writes window 1's plan
    // The reply and the new follow-up reach the store, but their ledger writes are lost (a crash).
    const before = await s.store.getTicket(1001);
    s.clock.advance(HOUR);
    await s.store.updateTicket(
      1001,
      before!.version,
      { nextResponseDueAt: null, updatedAt: s.clock.now() },
      [],
    );
    s.clock.advance(HOUR);
    const t = await s.store.getTicket(1001);
    await s.store.updateTicket(
      1001,
      t!.version,
      {
        nextResponseDueAt: s.clock.now() + 24 * HOUR,
        nextResponseSince: s.clock.now(),
        updatedAt: s.clock.now(),
      },
      [],
    );
    expect(nextReply(await s.advance(10 * HOUR))).toEqual([]); // window 1's 50 % (12 h after its start) is stale
    expect((await s.store.listReminders(`ticket:1001:next_response:${window1}`))[0]).toMatchObject({
      stage: 'half',
      status: 'cancelled',
    });
  });

  it('a priority change mid-window moves the deadline and sends no stage twice', async () => {
    // P1 gets three quarters of each window: 18 h instead of 24 h.
    s = await slaDesk({ plans: { basic: { priorityFactors: { p1: 0.75 } } } });
    await answeredThenFollowedUp();
    expect(nextReply(await s.advance(12 * HOUR))).toHaveLength(1); // 50 % of 24 h
    await s.say('bob', 'staff', '/priority #1001 p1');
    // 12 h of 18 h used (67 %): the 50 % stage is behind us and is not sent again.
    expect(nextReply(await s.advance(MIN))).toEqual([]);
    // 80 % of 18 h is at 14 h 24 min: 2 h 24 min after the change.
    expect(nextReply(await s.advance(2 * HOUR + 22 * MIN))).toEqual([]);
    expect(nextReply(await s.advance(MIN))).toEqual([
      expect.stringMatching(/has used 80% of the next-reply time: due .* \(in 3 h 36 min\)/),
    ]);
    expect(nextReply(await s.advance(3 * HOUR + 36 * MIN))).toEqual([]); // exactly the new deadline
    const breach = await s.advance(MIN);
    expect(breach.filter((l) => l.includes('SLA breach'))).toHaveLength(2); // managers' channel and carol
    expect(breach.join('\n')).toContain('18 h next-reply target');
    expect(await sent()).toEqual(['half', 'late', 'breach']);
  });
});
