/**
 * The scheduler's deliveries, tick by tick on a ManualClock over a real (in-memory) SQLite
 * store: each stage to the right people at the right time, once; the reply that stops
 * them; catch-up after downtime; retries with backoff; a permanent failure in the digest.
 */
import { HOUR, MIN, type SlaDesk, slaDesk } from './sla-desk';

const PDF = '"export to PDF crops the last page"';

describe('SLA reminders, tick by tick', () => {
  let s: SlaDesk;
  afterEach(() => s.close());

  const events = async (n: number) =>
    (await s.store.listEvents(n)).filter((e) => e.kind === 'reminder_sent').map((e) => e.text);

  it('sends 50 %, 80 % and the breach once each, to staff then managers, then repeats every 4 h', async () => {
    s = await slaDesk(); // basic plan: 24 h in calendar hours, due Tuesday 10:00
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    expect(await s.advance(12 * HOUR - MIN)).toEqual([]);
    expect(await s.advance(MIN)).toEqual([
      `[staff] Reminder: #1001 · ACME Corp · Basic · ${PDF} has used 50% of its first-response time: due 11-24 10:00 GMT+8 (in 12 h). Engineer: not yet assigned.`,
    ]);
    expect(s.messenger.sent.at(-1)?.buttons).toEqual([{ label: 'Claim', command: '/claim #1001' }]);
    expect(await s.advance(HOUR)).toEqual([]);
    expect(await s.advance(6 * HOUR + 11 * MIN)).toEqual([]); // 19 h 11 min: 79.9 %
    expect(await s.advance(MIN)).toEqual([
      `[staff] Reminder: #1001 · ACME Corp · Basic · ${PDF} has used 80% of its first-response time: due 11-24 10:00 GMT+8 (in 4 h 48 min). Engineer: not yet assigned.`,
    ]);
    expect(await s.advance(4 * HOUR + 48 * MIN)).toEqual([]); // exactly the deadline: still on time
    const breach = `SLA breach: #1001 · ACME Corp · Basic · ${PDF} has had no first response within its 24 h target: overdue by 1 min. Engineer: not yet assigned.`;
    expect(await s.advance(MIN)).toEqual([`[managers] ${breach}`, `[dm:carol] ${breach}`]);
    expect(await s.advance(4 * HOUR - MIN)).toEqual([]);
    const repeat = `Still no first response (alert 2): #1001 · ACME Corp · Basic · ${PDF}: overdue by 4 h 1 min. Engineer: not yet assigned.`;
    expect(await s.advance(MIN)).toEqual([`[managers] ${repeat}`, `[dm:carol] ${repeat}`]);
    expect(await events(1001)).toEqual(['half', 'late', 'breach', 'breach #2']);
  });

  it('a claimed ticket reminds its engineer directly; the first reply stops every reminder', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.say('bob', 'staff', '/claim #1001');
    expect(await s.advance(12 * HOUR)).toEqual([
      `[dm:bob] Reminder: #1001 · ACME Corp · Basic · ${PDF} has used 50% of its first-response time: due 11-24 10:00 GMT+8 (in 12 h). Engineer: bob.`,
    ]);
    expect(s.messenger.sent.at(-1)?.buttons).toBeUndefined();
    await s.say('bob', 'staff', '/reply #1001 can you send the PDF?');
    expect(await s.advance(30 * HOUR)).toEqual([]);
    expect((await s.store.listReminders('ticket:1001')).map((r) => [r.stage, r.status])).toEqual([
      ['half', 'sent'],
      ['late', 'cancelled'],
      ['breach', 'cancelled'],
    ]);
  });

  it('waiting on the customer pauses the reminders; the answer resumes them, the deadline pushed back', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.say('bob', 'staff', '/claim #1001');
    expect(await s.advance(10 * HOUR)).toEqual([]);
    await s.say('bob', 'staff', '/wait #1001');
    expect(await s.advance(30 * HOUR)).toEqual([]); // paused: nothing, though the old deadline passed
    await s.say('alice', 'acme', '#1001 here is the file');
    const ticket = await s.store.getTicket(1001);
    expect(ticket?.dueAt).toBe(Date.parse('2026-11-25T16:00:00+08:00')); // 24 h + 30 h of pause
    expect(await s.advance(2 * HOUR - MIN)).toEqual([]);
    expect(await s.advance(MIN)).toEqual([
      `[dm:bob] Reminder: #1001 · ACME Corp · Basic · ${PDF} has used 50% of its first-response time: due 11-25 16:00 GMT+8 (in 12 h). Engineer: bob.`,
    ]);
  });

  it('after downtime only the most severe stage is sent, never a burst of stale ones', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    const sent = await s.advance(30 * HOUR); // the scheduler was down for all three stages
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^\[managers\] SLA breach: #1001 .* overdue by 6 h/);
    expect(sent[1]).toMatch(/^\[dm:carol\] SLA breach: #1001/);
    expect(await events(1001)).toEqual(['breach']);
    const rows = await s.store.listReminders('ticket:1001');
    expect(Object.fromEntries(rows.map((r) => [r.stage, r.status]))).toEqual({
      half: 'skipped',
      late: 'skipped',
      breach: 'pending', // armed for its repeat
    });
  });

  it('retries a failed delivery with backoff and marks it sent only once delivered', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    s.messenger.failNext(2, 'staff');
    const before = s.messenger.attempts.length;
    expect(await s.advance(12 * HOUR)).toEqual([]);
    let [half] = await s.store.listReminders('ticket:1001');
    expect([half?.status, half?.attempts, half?.lastError]).toEqual([
      'pending',
      1,
      'group:console:staff: platform down',
    ]);
    expect(await s.advance(59_000)).toEqual([]); // first retry after 60 s
    expect(s.messenger.attempts.length - before).toBe(1);
    expect(await s.advance(1000)).toEqual([]); // fails again: next in 120 s
    expect(await s.advance(119_000)).toEqual([]);
    expect(s.messenger.attempts.length - before).toBe(2);
    expect(await s.advance(1000)).toHaveLength(1);
    [half] = await s.store.listReminders('ticket:1001');
    expect([half?.status, half?.round, half?.attempts]).toEqual(['sent', 1, 0]);
    expect(await events(1001)).toEqual(['half']);
    expect(s.logs.filter((l) => l.message === 'reminder not delivered; will retry')).toHaveLength(2);
  });

  it('a send that never answers times out, counts as failed and is retried; the tick goes on', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.say('erin', 'globex', '@bot the importer drops rows');
    s.messenger.hangNext('staff');
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      s.clock.advance(12 * HOUR);
      const tick = s.desk.sla.scheduler!.tick(s.clock.now());
      await jest.advanceTimersByTimeAsync(30_000); // sendTimeoutSeconds
      const result = await tick;
      // Globex (8 h) is breached by now: its alert goes out; ACME's reminder times out.
      expect(result).toMatchObject({ claimed: 4, sent: 1, skipped: 2, deferred: 1 });
    } finally {
      jest.useRealTimers();
    }
    const [half] = await s.store.listReminders('ticket:1001');
    expect([half?.status, half?.attempts, half?.lastError]).toEqual([
      'pending',
      1,
      'group:console:staff: no answer within 30000 ms',
    ]);
    expect(await s.advance(MIN)).toEqual([expect.stringMatching(/^\[staff\] Reminder: #1001 .* used 50%/)]);
  });

  it('a retry reaches only the recipients that missed it', async () => {
    s = await slaDesk();
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.advance(20 * HOUR);
    s.messenger.failNext(1, 'managers');
    expect(await s.advance(4 * HOUR + MIN)).toEqual([expect.stringMatching(/^\[dm:carol\] SLA breach/)]);
    expect(await s.advance(MIN)).toEqual([expect.stringMatching(/^\[managers\] SLA breach/)]);
    expect(await events(1001)).toEqual(['late', 'breach']);
  });

  it('gives up after the configured attempts, logs it and lists it in the next digest', async () => {
    s = await slaDesk({
      digest: true,
      rules: (r) => ({
        ...r,
        scheduler: { ...r.scheduler, retry: { ...r.scheduler.retry, maxAttempts: 2 } },
      }),
    });
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    s.messenger.failNext(100, 'staff');
    await s.advance(12 * HOUR);
    await s.advance(MIN);
    expect((await s.store.listReminders('ticket:1001'))[0]?.status).toBe('failed');
    expect(s.logs).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'reminder not delivered; giving up' }),
    );
    const digest = await s.advance(11 * HOUR + 29 * MIN); // Tuesday 09:30
    expect(digest).toEqual([
      [
        '[managers] Daily SLA digest, 2026-11-24:',
        'First response:',
        '  At risk (1):',
        '    ACME Corp: #1001 due 11-24 10:00 GMT+8 (in 30 min) (not yet assigned)',
        'Per engineer: not yet assigned: 0 breached, 1 at risk',
        'Reminders that could not be delivered (1):',
        '  #1001 (half): group:console:staff: platform down',
      ].join('\n'),
    ]);
    expect(await s.advance(HOUR)).toEqual([
      expect.stringMatching(/SLA breach/),
      expect.stringMatching(/SLA breach/),
    ]);
  });
});

describe('SLA reminders on a business calendar (cn-workdays)', () => {
  let s: SlaDesk;
  afterEach(() => s.close());
  // Enterprise: 8 working hours. Opened Monday 10:00: due Tuesday 10:30 (lunch 12:00–13:30).
  const open = async (rules?: Parameters<typeof slaDesk>[0]) => {
    s = await slaDesk({ calendars: { enterprise: 'cn-workdays' }, ...rules });
    await s.say('erin', 'globex', '@bot the importer drops rows');
    expect((await s.store.getTicket(1001))?.dueAt).toBe(Date.parse('2026-11-24T10:30:00+08:00'));
  };

  it('plans stages in working time: 50 % at 15:30 (4 working hours), not at 14:00', async () => {
    await open();
    expect(await s.advance(4 * HOUR)).toEqual([]); // 14:00: only 2.5 working hours used
    expect(await s.advance(90 * MIN)).toEqual([
      expect.stringMatching(/^\[staff\] Reminder: #1001 .* used 50%/),
    ]);
  });

  it('holds a pre-breach reminder reached at night until the next working instant', async () => {
    await open();
    expect(await s.advance(13 * HOUR)).toEqual([]); // 23:00, the scheduler was down since 10:00
    expect(await s.advance(10 * HOUR - MIN)).toEqual([]); // Tuesday 08:59
    expect(await s.advance(MIN)).toEqual([expect.stringMatching(/^\[staff\] Reminder: #1001 .* used 80%/)]);
    expect(await events()).toEqual(['late']);
  });

  it.each([
    ['always', 1],
    ['working_hours', 0],
  ] as const)(
    'a breach found at night with breachAlerts=%s sends %d alert(s) before morning',
    async (rule, count) => {
      await open({ rules: (r) => ({ ...r, tickets: { ...r.tickets, breachAlerts: rule } }) });
      const night = await s.advance(33 * HOUR); // Tuesday 19:00
      expect(night.filter((l) => l.startsWith('[managers] SLA breach'))).toHaveLength(count);
      const morning = await s.advance(14 * HOUR); // Wednesday 09:00
      expect(morning.filter((l) => l.startsWith('[managers]'))).toHaveLength(count === 1 ? 0 : 1);
    },
  );

  async function events(): Promise<Array<string | undefined>> {
    return (await s.store.listEvents(1001)).filter((e) => e.kind === 'reminder_sent').map((e) => e.text);
  }
});

describe('a business calendar running out of holidays', () => {
  let s: SlaDesk;
  afterEach(() => s.close());
  /** Monday 2026-12-14 10:00 in Shanghai: cn-workdays lists holidays through 2026-12-31. */
  const DEC_14 = Date.parse('2026-12-14T02:00:00Z');

  it('is told to managers in the daily digest, even on a day with nothing else to report', async () => {
    s = await slaDesk({ calendars: { enterprise: 'cn-workdays' }, digest: true, now: DEC_14 });
    expect(await s.advance(23 * HOUR + 30 * MIN)).toEqual([
      [
        '[managers] Daily SLA digest, 2026-12-15:',
        "Business calendar cn-workdays lists holidays only through 2026-12-31 (days left: 16). Add the next year's holidays and make-up working days to config/calendars/cn-workdays.json, or deadlines after that date will count holidays as working days.",
      ].join('\n'),
    ]);
  });

  it('is logged as a warning at start, and says nothing when no plan uses such a calendar', async () => {
    s = await slaDesk({ calendars: { enterprise: 'cn-workdays' }, digest: true, now: DEC_14 });
    s.desk.sla.warnAboutCalendars(s.clock.now());
    expect(s.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ id: 'cn-workdays', through: '2026-12-31', daysLeft: 17 }),
      }),
    );
    await s.close();
    s = await slaDesk({ digest: true, now: DEC_14 });
    s.desk.sla.warnAboutCalendars(s.clock.now());
    expect(s.logs.filter((l) => l.level === 'warn')).toEqual([]);
    expect(await s.advance(23 * HOUR + 30 * MIN)).toEqual([]);
  });
});
