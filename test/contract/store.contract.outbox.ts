/**
 * Contract: the durable outbox (the Outbox port's rules in src/core/ports.ts). Both stores run
 * it; under `npm run test:mongo` that includes FerretDB, whose updates are not atomic.
 */
import type { NewOutbound, Outbound, Store } from '../../src/core/ports';
import { expectStoreError, HOUR, type StoreContext, T0 } from './store.fixtures';

const MIN = 60_000;

export const outbound = (chatId: string, text: string, over: Partial<NewOutbound> = {}): NewOutbound => ({
  message: { platform: 'qq', account: '10001', chatId, chatKind: 'group', text },
  expiresAt: T0 + 24 * HOUR,
  ...over,
});

/** Claims and settles every head due at `now`, as a sender would; returns the texts sent, in order. */
async function drainOnce(store: Store, now: number, owner = 'w1'): Promise<string[]> {
  const sent: string[] = [];
  for (const head of await store.dueOutbound(now, 100)) {
    const claimed = await store.claimOutbound(head, owner, now + MIN, now);
    if (!claimed) continue;
    sent.push(claimed.message.text);
    expect(await store.settleOutbound(claimed.id, owner, { result: 'sent', at: now })).toBe(true);
  }
  return sent;
}

export function describeOutboxContract({ store }: StoreContext): void {
  it('keeps each message whole (JSON passes unknown fields through), numbered in order per chat', async () => {
    const extra = { ...outbound('G1', 'one').message, futureField: { nested: [1, 2] } };
    const rows = await store().enqueueOutbound(
      [
        { message: extra, expiresAt: T0 + HOUR, after: { kind: 'ticket-thread', ticketNumber: 1001 } },
        outbound('G2', 'other chat'),
        outbound('G1', 'two'),
      ],
      T0,
    );
    expect(rows.map((r) => [r.chat, r.seq, r.state])).toEqual([
      ['qq:G1', 1, 'queued'],
      ['qq:G2', 1, 'queued'],
      ['qq:G1', 2, 'queued'],
    ]);
    const [first] = rows as [Outbound];
    expect(await store().getOutbound(first.id)).toStrictEqual({
      id: first.id,
      chat: 'qq:G1',
      seq: 1,
      message: extra,
      after: { kind: 'ticket-thread', ticketNumber: 1001 },
      state: 'queued',
      attempts: 0,
      nextAt: T0,
      idempotencyId: first.id,
      expiresAt: T0 + HOUR,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(first.id.length).toBeLessThanOrEqual(25); // Discord's nonce limit
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
  });

  it('offers only each chat’s head, so a chat is sent strictly in order and a stuck head blocks only its chat', async () => {
    await store().enqueueOutbound([outbound('G1', 'a1'), outbound('G1', 'a2'), outbound('G2', 'b1')], T0);
    const heads = await store().dueOutbound(T0, 10);
    expect(heads.map((h) => h.message.text).sort()).toEqual(['a1', 'b1']);
    const a1 = heads.find((h) => h.message.text === 'a1')!;
    const claimed = (await store().claimOutbound(a1, 'w1', T0 + MIN, T0))!;
    expect(claimed).toMatchObject({ state: 'sending', owner: 'w1', leaseUntil: T0 + MIN, nextAt: T0 + MIN });
    // G1's head is leased: G1 waits (its second message is not offered), G2 does not.
    expect((await store().dueOutbound(T0 + 1, 10)).map((h) => h.message.text)).toEqual(['b1']);
    // A retry puts the head back at its time, still in front of a2.
    expect(
      await store().settleOutbound(claimed.id, 'w1', {
        result: 'retry',
        at: T0 + 2,
        nextAt: T0 + MIN / 2,
        error: 'offline',
      }),
    ).toBe(true);
    expect((await store().dueOutbound(T0 + 3, 10)).map((h) => h.message.text)).toEqual(['b1']);
    // The head is the head whether due or not; a chat with nothing waiting has none.
    expect((await store().headOutbound('qq:G1'))?.message.text).toBe('a1');
    expect(await store().headOutbound('qq:nowhere')).toBeUndefined();
    const again = (await store().dueOutbound(T0 + MIN / 2, 10)).find((h) => h.chat === 'qq:G1')!;
    expect(again).toMatchObject({ seq: 1, attempts: 1, lastError: 'offline', state: 'queued' });
    expect(await drainOnce(store(), T0 + MIN / 2)).toEqual(expect.arrayContaining(['a1', 'b1']));
    expect(await drainOnce(store(), T0 + MIN / 2)).toEqual(['a2']);
    expect(await store().dueOutbound(T0 + HOUR, 10)).toEqual([]);
    const rows = await store().listOutbound({});
    expect(rows.map((r) => [r.message.text, r.state])).toEqual([
      ['a1', 'sent'],
      ['a2', 'sent'],
      ['b1', 'sent'],
    ]);
    expect(rows[0]).toMatchObject({ sentAt: T0 + MIN / 2, attempts: 1 });
    expect(rows[0]?.owner).toBeUndefined();
  });

  it('lets exactly one of two claimants have a head, and only the holder settle it', async () => {
    await store().enqueueOutbound([outbound('G1', 'once')], T0);
    const [head] = (await store().dueOutbound(T0, 10)) as [Outbound];
    const claims = await Promise.all([
      store().claimOutbound(head, 'w1', T0 + MIN, T0),
      store().claimOutbound(head, 'w2', T0 + MIN, T0),
    ]);
    const winners = claims.filter((c) => c !== undefined);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!.owner!;
    const loser = winner === 'w1' ? 'w2' : 'w1';
    expect(await store().settleOutbound(head.id, loser, { result: 'sent', at: T0 })).toBe(false);
    // A stale read (the row as it was before the claim) wins nothing either.
    expect(await store().claimOutbound(head, loser, T0 + 2 * MIN, T0 + MIN)).toBeUndefined();
    expect(await store().settleOutbound(head.id, winner, { result: 'sent', at: T0, messageId: 'm-9' })).toBe(
      true,
    );
    expect(await store().getOutbound(head.id)).toMatchObject({ state: 'sent', sentMessageId: 'm-9' });
    expect(await store().settleOutbound(head.id, winner, { result: 'sent', at: T0 })).toBe(false);
  });

  it('gives a crashed sender’s head to another once its lease ends; the old holder can no longer settle', async () => {
    await store().enqueueOutbound([outbound('G1', 'x')], T0);
    const [head] = (await store().dueOutbound(T0, 10)) as [Outbound];
    await store().claimOutbound(head, 'dead', T0 + MIN, T0);
    expect(await store().dueOutbound(T0 + MIN - 1, 10)).toEqual([]);
    const [expired] = (await store().dueOutbound(T0 + MIN, 10)) as [Outbound];
    expect(expired).toMatchObject({ state: 'sending', owner: 'dead' });
    const taken = await store().claimOutbound(expired, 'w2', T0 + 3 * MIN, T0 + MIN);
    expect(taken).toMatchObject({ owner: 'w2', leaseUntil: T0 + 3 * MIN });
    expect(await store().settleOutbound(head.id, 'dead', { result: 'sent', at: T0 + MIN })).toBe(false);
    expect(await store().settleOutbound(head.id, 'w2', { result: 'sent', at: T0 + MIN })).toBe(true);
  });

  it('a failed or dropped head lets its chat move on; retry and drop are for admins; depth counts the waiting', async () => {
    await store().enqueueOutbound(
      [outbound('G1', 'expired'), outbound('G1', 'next'), outbound('G2', 'd')],
      T0,
    );
    expect(await store().outboxDepth()).toEqual({ waiting: 3, oldestAt: T0 });
    const heads = await store().dueOutbound(T0, 10);
    const g1 = heads.find((h) => h.chat === 'qq:G1')!;
    const g2 = heads.find((h) => h.chat === 'qq:G2')!;
    await store().claimOutbound(g1, 'w1', T0 + MIN, T0);
    await store().settleOutbound(g1.id, 'w1', { result: 'failed', at: T0 + 1, error: 'expired after 24 h' });
    expect(await store().dropOutbound(g2.id, T0 + 2)).toBe(true);
    expect(await store().dropOutbound(g2.id, T0 + 2)).toBe(false); // dropped already: not waiting, not failed
    expect((await store().dueOutbound(T0 + 3, 10)).map((h) => h.message.text)).toEqual(['next']);
    expect(await store().outboxDepth()).toEqual({ waiting: 1, oldestAt: T0 });
    expect((await store().listOutbound({ states: ['failed'] })).map((r) => r.lastError)).toEqual([
      'expired after 24 h',
    ]);
    // Retrying the failed one puts it back at the head of its chat, attempts reset.
    expect(await store().retryOutbound(g1.id, T0 + 4)).toBe(true);
    const [back] = (await store().dueOutbound(T0 + 4, 10)) as [Outbound];
    expect(back).toMatchObject({ id: g1.id, state: 'queued', attempts: 0, nextAt: T0 + 4 });
    expect(await store().retryOutbound('no-such-id', T0)).toBe(false);
  });

  it('purges only settled rows changed before the cut-off', async () => {
    await store().enqueueOutbound([outbound('G1', 'old'), outbound('G2', 'waiting')], T0);
    await drainOnce(store(), T0);
    await store().enqueueOutbound([outbound('G3', 'still waiting')], T0 + HOUR);
    const sent = await store().listOutbound({ states: ['sent'] });
    expect(sent).toHaveLength(2);
    expect(await store().purgeOutbound(T0 + 1)).toBe(2);
    expect((await store().listOutbound({})).map((r) => r.message.text)).toEqual(['still waiting']);
  });

  it('after many sends in a chat every row is still found, in order, and a failed one can be retried', async () => {
    for (let i = 1; i <= 6; i++) {
      const [row] = await store().enqueueOutbound([outbound('G1', `m${i}`)], T0 + i);
      const claimed = await store().claimOutbound(row!, 'w1', T0 + i + MIN, T0 + i);
      const outcome =
        i === 2
          ? ({ result: 'failed', at: T0 + i, error: 'refused' } as const)
          : ({ result: 'sent', at: T0 + i } as const);
      expect(await store().settleOutbound(claimed!.id, 'w1', outcome)).toBe(true);
      expect((await store().getOutbound(row!.id))?.state).toBe(i === 2 ? 'failed' : 'sent');
    }
    const all = await store().listOutbound({ chat: 'qq:G1' });
    expect(all.map((r) => [r.seq, r.message.text])).toEqual([1, 2, 3, 4, 5, 6].map((n) => [n, `m${n}`]));
    const newest = await store().listOutbound({ chat: 'qq:G1', newestFirst: true, limit: 3 });
    expect(newest.map((r) => r.message.text)).toEqual(['m6', 'm5', 'm4']);
    const failed = all[1]!;
    expect(await store().retryOutbound(failed.id, T0 + 10)).toBe(true);
    expect((await store().dueOutbound(T0 + 10, 10)).map((r) => r.message.text)).toEqual(['m2']);
    const [next] = await store().enqueueOutbound([outbound('G1', 'm7')], T0 + 11);
    expect(next?.seq).toBe(7);
    expect((await store().listOutbound({ chat: 'qq:G1' })).map((r) => r.state)).toEqual([
      'sent',
      'queued',
      'sent',
      'sent',
      'sent',
      'sent',
      'queued',
    ]);
  });

  it('numbers concurrent enqueues into one chat without gaps or repeats', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      store().enqueueOutbound([outbound('G1', `m${i}`)], T0),
    );
    await Promise.all(writes);
    const rows = await store().listOutbound({ chat: 'qq:G1' });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('lists a chat newest first on request, and keeps a reply’s event time for /history', async () => {
    const after = {
      kind: 'staff-reply',
      ticketNumber: 1001,
      engineerId: 'p-bob',
      repliedAt: T0 + 5,
    } as const;
    await store().enqueueOutbound([outbound('G1', 'a'), outbound('G2', 'x'), outbound('G1', 'b')], T0);
    await store().enqueueOutbound([outbound('G1', 'c', { after })], T0);
    const newest = await store().listOutbound({ chat: 'qq:G1', newestFirst: true, limit: 2 });
    expect(newest.map((r) => r.message.text)).toEqual(['c', 'b']);
    expect(newest[0]?.after).toEqual(after);
  });

  it('refuses malformed rows instead of storing them', async () => {
    await expectStoreError(store().enqueueOutbound([{ expiresAt: T0 } as never], T0), 'STORE_INVALID_VALUE');
    await expectStoreError(
      store().enqueueOutbound([{ ...outbound('G1', 'x'), expiresAt: 'soon' as never }], T0),
      'STORE_INVALID_VALUE',
    );
    await expectStoreError(
      store().enqueueOutbound([outbound('G1', 'x', { after: { kind: 'eval' } as never })], T0),
      'STORE_INVALID_VALUE',
    );
    expect(await store().listOutbound({})).toEqual([]);
  });
}
