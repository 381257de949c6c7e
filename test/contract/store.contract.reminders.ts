/**
 * Contract: the SLA reminder ledger (SlaStore). Every rule the scheduler's exactly-once
 * argument rests on is pinned here, so a second implementation (MongoDB) cannot drift.
 */
import { isSlaStore, type SlaStore } from '../../src/core/ports';
import {
  create,
  event,
  expectStoreError,
  HOUR,
  newTicket,
  type StoreContext,
  seed,
  T0,
} from './store.fixtures';

const MIN = 60_000;

export function describeReminderContract({ store }: StoreContext): void {
  const ledger = (): SlaStore => {
    const s = store();
    if (!isSlaStore(s)) throw new Error('this store does not keep the reminder ledger');
    return s;
  };
  const plan = (subject: string, stage: string, dueAt: number) => ({ subject, stage, dueAt });
  const keys = async (now: number) => (await ledger().dueReminders(now, 100)).map((r) => r.key);

  it('schedules pending rows and returns the due ones, earliest first, within the limit', async () => {
    await ledger().scheduleReminders(
      [
        plan('ticket:1', 'breach', T0 + 3 * HOUR),
        plan('ticket:1', 'half', T0 + HOUR),
        plan('ticket:2', 'half', T0),
      ],
      T0,
    );
    expect(await keys(T0 + HOUR)).toEqual(['ticket:2/half', 'ticket:1/half']);
    expect((await ledger().dueReminders(T0 + 5 * HOUR, 2)).map((r) => r.key)).toHaveLength(2);
    const [row] = await ledger().listReminders('ticket:2');
    expect(row).toEqual({
      key: 'ticket:2/half',
      subject: 'ticket:2',
      stage: 'half',
      dueAt: T0,
      nextAt: T0,
      status: 'pending',
      round: 0,
      attempts: 0,
      delivered: [],
      updatedAt: T0,
    });
  });

  it('re-plans a pending row to a new time, revives a cancelled one, never touches a settled one', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'b', T0), plan('s', 'c', T0)], T0);
    const [a] = await ledger().claimReminders('w1', T0 + MIN, T0, 1); // the earliest: s/a
    await ledger().settleReminders('w1', [{ key: a!.key, result: 'sent', at: T0 }]);
    expect(await ledger().cancelReminders('s', T0)).toBe(2);
    await ledger().scheduleReminders([plan('s', 'a', T0 + HOUR), plan('s', 'b', T0 + HOUR)], T0 + 1);
    const rows = await ledger().listReminders('s');
    expect(rows.map((r) => [r.stage, r.status, r.nextAt])).toEqual([
      ['a', 'sent', T0 + MIN],
      ['c', 'cancelled', T0],
      ['b', 'pending', T0 + HOUR],
    ]);
    // Planning the same time again changes nothing (not even updatedAt).
    await ledger().scheduleReminders([plan('s', 'b', T0 + HOUR)], T0 + 2);
    expect((await ledger().listReminders('s')).find((r) => r.stage === 'b')?.updatedAt).toBe(T0 + 1);
    // Once due, a row is the worker's to decide: a new plan does not move it.
    await ledger().scheduleReminders([plan('s', 'b', T0 + 3 * HOUR)], T0 + HOUR);
    expect((await ledger().listReminders('s')).find((r) => r.stage === 'b')?.nextAt).toBe(T0 + HOUR);
  });

  it('records missing stages as skipped, never touches an existing row, and a plan never revives them', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0 + HOUR)], T0);
    await ledger().skipReminders([plan('s', 'a', T0), plan('s', 'b', T0), plan('s', 'c', T0 + MIN)], T0 + 1);
    await ledger().skipReminders([plan('s', 'b', T0 + 2 * MIN)], T0 + 2); // again: nothing changes
    await ledger().scheduleReminders([plan('s', 'b', T0 + HOUR), plan('s', 'c', T0 + HOUR)], T0 + 3);
    const rows = await ledger().listReminders('s');
    expect(rows.map((r) => [r.stage, r.status, r.dueAt, r.updatedAt])).toEqual([
      ['b', 'skipped', T0, T0 + 1],
      ['c', 'skipped', T0 + MIN, T0 + 1],
      ['a', 'pending', T0 + HOUR, T0],
    ]);
    expect(await keys(T0 + 2 * HOUR)).toEqual(['s/a']); // skipped rows are never due
  });

  it('a claim leases a due row to one owner until the lease ends', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'later', T0 + HOUR)], T0);
    const won = await ledger().claimReminders('w1', T0 + 2 * MIN, T0, 10);
    expect(won.map((r) => [r.key, r.owner, r.leaseUntil, r.nextAt])).toEqual([
      ['s/a', 'w1', T0 + 2 * MIN, T0 + 2 * MIN],
    ]);
    expect(await ledger().claimReminders('w2', T0 + 3 * MIN, T0 + MIN, 10)).toEqual([]);
    expect(await keys(T0 + MIN)).toEqual([]);
    // The lease ends: the row is due again and another owner may take it; the first is out.
    expect(await keys(T0 + 2 * MIN)).toEqual(['s/a']);
    expect(await ledger().claimReminders('w2', T0 + 4 * MIN, T0 + 2 * MIN, 10)).toHaveLength(1);
    expect(await ledger().settleReminders('w1', [{ key: 's/a', result: 'sent', at: T0 + 2 * MIN }])).toBe(0);
    expect(await ledger().settleReminders('w2', [{ key: 's/a', result: 'sent', at: T0 + 3 * MIN }])).toBe(1);
    expect(await ledger().claimReminders('w3', T0 + HOUR, T0 + 30 * MIN, 10)).toEqual([]);
  });

  it('claims the earliest due rows first, up to the limit', async () => {
    await ledger().scheduleReminders(
      [plan('s', 'c', T0 + 2), plan('s', 'a', T0 + 1), plan('s', 'b', T0)],
      T0,
    );
    expect((await ledger().claimReminders('w1', T0 + MIN, T0 + 5, 2)).map((r) => r.key)).toEqual([
      's/b',
      's/a',
    ]);
  });

  it('takes rows by when they are next due, and returns them by due time, as the claim left them', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'b', T0 + 1)], T0);
    await ledger().claimReminders('w1', T0 + MIN, T0, 1);
    await ledger().settleReminders('w1', [{ key: 's/a', result: 'deferred', at: T0, nextAt: T0 + 2 }]);
    // Next due: b (T0 + 1) before a (T0 + 2); due: a (T0) before b (T0 + 1).
    const claimed = await ledger().claimReminders('w2', T0 + HOUR, T0 + 5, 2);
    expect(claimed.map((r) => [r.key, r.owner, r.leaseUntil, r.nextAt, r.updatedAt])).toEqual([
      ['s/a', 'w2', T0 + HOUR, T0 + HOUR, T0 + 5],
      ['s/b', 'w2', T0 + HOUR, T0 + HOUR, T0 + 5],
    ]);
    expect(await ledger().listReminders('s')).toEqual(claimed);
  });

  it('under a limit, the row next due is taken first', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'b', T0 + 1)], T0);
    await ledger().claimReminders('w1', T0 + MIN, T0, 1);
    await ledger().settleReminders('w1', [{ key: 's/a', result: 'deferred', at: T0, nextAt: T0 + 2 }]);
    expect((await ledger().claimReminders('w2', T0 + HOUR, T0 + 5, 1)).map((r) => r.key)).toEqual(['s/b']);
  });

  it('two owners claiming at once split the due rows: each row is won once', async () => {
    const stages = Array.from({ length: 50 }, (_, i) => plan('s', `st${i}`, T0));
    await ledger().scheduleReminders(stages, T0);
    const [a, b] = await Promise.all([
      ledger().claimReminders('w1', T0 + MIN, T0, 30),
      ledger().claimReminders('w2', T0 + MIN, T0, 30),
    ]);
    // How the rows split is the store's business (SQLite leases a whole batch at once, 30
    // and 20; MongoDB row by row, in any proportion): the port promises each row once.
    const won = [...a!, ...b!];
    expect(won).toHaveLength(50);
    expect(new Set(won.map((r) => r.key)).size).toBe(50);
    expect(Math.max(a!.length, b!.length)).toBeLessThanOrEqual(30);
    expect(a!.every((r) => r.owner === 'w1') && b!.every((r) => r.owner === 'w2')).toBe(true);
  });

  it('a sent outcome is final, or re-arms the row for its next round; its ticket event is written with it', async () => {
    await seed(store());
    const ticket = await create(store());
    const subject = `ticket:${ticket.number}`;
    await ledger().scheduleReminders([plan(subject, 'breach', T0), plan(subject, 'half', T0)], T0);
    await ledger().claimReminders('w1', T0 + MIN, T0, 10);
    const event = {
      ticketNumber: ticket.number,
      event: { at: T0, kind: 'reminder_sent' as const, actorId: 'system', text: 'breach' },
    };
    const settled = await ledger().settleReminders('w1', [
      { key: `${subject}/breach`, result: 'sent', at: T0, rearmAt: T0 + 4 * HOUR, event },
      { key: `${subject}/half`, result: 'skipped', at: T0 },
    ]);
    expect(settled).toBe(2);
    const rows = await ledger().listReminders(subject);
    expect(rows.map((r) => [r.stage, r.status, r.round, r.nextAt, r.lastSentAt, r.owner])).toEqual([
      ['breach', 'pending', 1, T0 + 4 * HOUR, T0, undefined],
      ['half', 'skipped', 0, T0 + MIN, undefined, undefined],
    ]);
    const events = await store().listEvents(ticket.number);
    expect(events.filter((e) => e.kind === 'reminder_sent').map((e) => e.text)).toEqual(['breach']);
  });

  it('records a mixed batch whole: every sent row once, and an event only for rows still held', async () => {
    await seed(store());
    const [a, b] = [await create(store()), await create(store())];
    const stages = ['half', 'late', 'breach', 'extra'];
    await ledger().scheduleReminders(
      stages.flatMap((stage) => [
        plan(`ticket:${a.number}`, stage, T0),
        plan(`ticket:${b.number}`, stage, T0),
      ]),
      T0,
    );
    expect(await ledger().claimReminders('w1', T0 + MIN, T0, 10)).toHaveLength(8);
    const sent = (t: typeof a, stage: string, at: number, extra: object = {}) => ({
      key: `ticket:${t.number}/${stage}`,
      result: 'sent' as const,
      at,
      event: {
        ticketNumber: t.number,
        event: { at, kind: 'reminder_sent' as const, actorId: 'system', text: stage },
      },
      ...extra,
    });
    const settled = await ledger().settleReminders('w1', [
      sent(a, 'half', T0),
      sent(b, 'half', T0),
      sent(a, 'late', T0 + 1), // another time: its own group
      sent(b, 'late', T0, { rearmAt: T0 + HOUR }),
      {
        ...sent(a, 'breach', T0),
        event: {
          ticketNumber: a.number,
          event: { at: T0, kind: 'status_change' as const, actorId: 'system', from: 'open', to: 'claimed' },
        },
      },
      { key: `ticket:${b.number}/breach`, result: 'sent', at: T0 }, // no event
      sent(a, 'nope', T0), // never scheduled: neither recorded nor its event written
    ]);
    expect(settled).toBe(6);
    const statusOf = async (t: typeof a) =>
      (await ledger().listReminders(`ticket:${t.number}`)).map((r) => [
        r.stage,
        r.status,
        r.round,
        r.lastSentAt,
      ]);
    expect(await statusOf(a)).toEqual(
      expect.arrayContaining([
        ['half', 'sent', 1, T0],
        ['late', 'sent', 1, T0 + 1],
        ['breach', 'sent', 1, T0],
        ['extra', 'pending', 0, undefined],
      ]),
    );
    expect(await statusOf(b)).toEqual(
      expect.arrayContaining([
        ['half', 'sent', 1, T0],
        ['late', 'pending', 1, T0],
        ['breach', 'sent', 1, T0],
        ['extra', 'pending', 0, undefined],
      ]),
    );
    const added = async (t: typeof a) =>
      (await store().listEvents(t.number))
        .filter((e) => e.actorId === 'system')
        .map((e) => [e.kind, e.at, e.text ?? null, e.from ?? null, e.to ?? null]);
    expect(await added(a)).toEqual([
      ['reminder_sent', T0, 'half', null, null],
      ['status_change', T0, null, 'open', 'claimed'],
      ['reminder_sent', T0 + 1, 'late', null, null],
    ]);
    expect(await added(b)).toEqual([
      ['reminder_sent', T0, 'half', null, null],
      ['reminder_sent', T0, 'late', null, null],
    ]);
    // Settled rows are no longer held: a replay of the batch records nothing and writes no event.
    expect(await ledger().settleReminders('w1', [sent(a, 'half', T0), sent(b, 'late', T0)])).toBe(0);
    expect(await added(b)).toHaveLength(2);
  });

  it('takes ledger calls made in the same turn as ticket writes (one open write batch)', async () => {
    await seed(store());
    const ticket = await create(store());
    const subject = `ticket:${ticket.number}`;
    await ledger().scheduleReminders([plan(subject, 'breach', T0)], T0);
    // Nothing awaited in between: on SQLite all of these share the open group commit, so a
    // ledger transaction of its own would nest inside it and fail.
    // The ticket writes come first, so that the ledger's calls find the batch open.
    const [, opened, claimed] = await Promise.all([
      store().addEvent(ticket.number, { at: T0, kind: 'internal_note', actorId: 'bob', text: 'looking' }),
      store().createTicket(newTicket({ sourceKey: 'same-turn' }), event()),
      ledger().claimReminders('w1', T0 + MIN, T0, 10),
      ledger().scheduleReminders([plan('other', 'half', T0 + HOUR)], T0),
    ]);
    expect(claimed!.map((r) => r.key)).toEqual([`${subject}/breach`]);
    const [, settled] = await Promise.all([
      store().updateTicket(
        opened!.ticket.number,
        opened!.ticket.version,
        { status: 'claimed', updatedAt: T0 },
        [],
      ),
      ledger().settleReminders('w1', [
        {
          key: `${subject}/breach`,
          result: 'sent',
          at: T0,
          event: { ticketNumber: ticket.number, event: { at: T0, kind: 'reminder_sent', actorId: 'system' } },
        },
      ]),
      ledger().cancelReminders('other', T0),
    ]);
    expect(settled).toBe(1);
    expect((await store().listEvents(ticket.number)).map((e) => e.kind)).toEqual([
      'customer_message',
      'internal_note',
      'reminder_sent',
    ]);
    expect((await ledger().listReminders('other')).map((r) => r.status)).toEqual(['cancelled']);
  });

  it('deferrals count failed attempts and remember who was reached; failures are listed', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'b', T0)], T0);
    await ledger().claimReminders('w1', T0 + MIN, T0, 10);
    await ledger().settleReminders('w1', [
      {
        key: 's/a',
        result: 'deferred',
        at: T0,
        nextAt: T0 + 2 * MIN,
        failure: { error: 'down', delivered: ['group:x'] },
      },
      { key: 's/b', result: 'deferred', at: T0, nextAt: T0 + 5 * MIN },
    ]);
    let [a, b] = await ledger().listReminders('s');
    expect([a?.attempts, a?.delivered, a?.lastError, a?.nextAt]).toEqual([
      1,
      ['group:x'],
      'down',
      T0 + 2 * MIN,
    ]);
    expect([b?.attempts, b?.lastError, b?.nextAt]).toEqual([0, undefined, T0 + 5 * MIN]);
    expect(await ledger().claimReminders('w1', T0 + 3 * MIN, T0 + 2 * MIN, 10)).toHaveLength(1); // s/b waits
    await ledger().settleReminders('w1', [
      { key: 's/a', result: 'failed', at: T0 + 2 * MIN, error: 'x'.repeat(2000), delivered: ['group:x'] },
    ]);
    [a] = await ledger().listReminders('s');
    expect([a?.status, a?.attempts, a?.lastError?.length]).toEqual(['failed', 2, 500]);
    expect((await ledger().failedReminders(T0, 10)).map((r) => r.key)).toEqual(['s/a']);
    expect(await ledger().failedReminders(T0 + 3 * MIN, 10)).toEqual([]);
    expect(await keys(T0 + HOUR)).toEqual(['s/b']);
  });

  it('cancels only the subject’s pending rows that no live lease holds', async () => {
    await ledger().scheduleReminders([plan('s', 'a', T0), plan('s', 'b', T0), plan('t', 'a', T0)], T0);
    await ledger().claimReminders('w1', T0 + MIN, T0, 1); // s/a
    expect(await ledger().cancelReminders('s', T0)).toBe(1);
    expect((await ledger().listReminders('s')).map((r) => r.status)).toEqual(['pending', 'cancelled']);
    expect(await ledger().cancelReminders('s', T0 + MIN)).toBe(1); // the lease has ended
    expect((await ledger().listReminders('t'))[0]?.status).toBe('pending');
  });

  it('reads the tickets of a batch in one call, leaving unknown numbers out', async () => {
    await seed(store());
    const [a, b] = [await create(store()), await create(store())];
    const found = await ledger().getTickets([b.number, a.number, 999_999]);
    expect(found.map((t) => t.number).sort()).toEqual([a.number, b.number]);
    expect(found.find((t) => t.number === a.number)).toEqual(a);
    expect(await ledger().getTickets([])).toEqual([]);
  });

  it('refuses bad values cleanly', async () => {
    await expectStoreError(ledger().claimReminders('w1', T0, T0, 10), 'STORE_INVALID_VALUE');
    await expectStoreError(
      ledger().scheduleReminders([{ subject: 'x', stage: 'y', dueAt: Number.NaN }], T0),
      'STORE_INVALID_VALUE',
    );
    await expectStoreError(
      ledger().settleReminders('w1', [{ key: 's/a', result: 'bogus' as 'sent', at: T0 }]),
      'STORE_INVALID_VALUE',
    );
    await expectStoreError(ledger().getTickets(['1' as unknown as number]), 'STORE_INVALID_VALUE');
    await expectStoreError(
      ledger().cancelReminders({ $ne: null } as unknown as string, T0),
      'STORE_INVALID_VALUE',
    );
  });
}
