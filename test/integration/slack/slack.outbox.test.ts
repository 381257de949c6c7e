/**
 * The outbox against the real Slack adapter and a fake Web API: a 500 (after the client's own
 * quick retries) puts the message back with backoff; a 429 with Retry-After puts it back for
 * at least that long; then it is delivered, once.
 */
import type { OutboundMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { OutboxSender } from '../../../src/outbox/sender';
import { openSqliteStore } from '../../../src/store/sqlite';
import { type Harness, startHttpHarness } from './slack.harness';

const T0 = Date.UTC(2026, 0, 5, 8);

describe('Slack through the outbox', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('a 500, then a 429 with Retry-After: delivered after it, not before, and once', async () => {
    // No retries of its own after a 429: the wait is the outbox's, on the manual clock.
    h = await startHttpHarness(undefined, {
      timing: { perChannelMs: 0, retryAfterUnitMs: 1000, maxRateLimitRetries: 0 },
    });
    const store = openSqliteStore(':memory:');
    const clock = new ManualClock(T0);
    const sender = new OutboxSender(
      { store, messenger: h.adapter, clock, logger: silentLogger },
      { expireMs: 3_600_000, random: () => 0, pollMs: 60_000 },
    );
    const message: OutboundMessage = {
      platform: 'slack',
      chatId: 'C1',
      chatKind: 'group',
      text: 'Ticket #1001 is open',
    };
    const posts = () => h.fake.callsOf('chat.postMessage').length;
    // The client itself tries a 5xx three times (retryConfig: 2 retries), then gives up.
    h.fake.answerNext('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } }, 3);
    h.fake.rateLimitNext('chat.postMessage', 7);
    const [first] = await sender.send([{ message }]);
    expect(first).toMatchObject({ state: 'queued' });
    expect(posts()).toBe(3);
    const row = async () => (await store.listOutbound({}))[0]!;
    expect(await row()).toMatchObject({ attempts: 1, nextAt: T0 + 500 });

    clock.set((await row()).nextAt);
    sender.kick('slack:C1');
    await sender.idle();
    expect(posts()).toBe(4); // the 429
    const { nextAt, lastError } = await row();
    expect(nextAt - clock.now()).toBeGreaterThanOrEqual(7000);
    expect(lastError).toMatch(/rate limited/);

    clock.advance(6999);
    sender.kick('slack:C1');
    await sender.idle();
    expect(posts()).toBe(4); // not before Slack said

    clock.set(nextAt);
    sender.kick('slack:C1');
    await sender.idle();
    expect(posts()).toBe(5);
    expect(await row()).toMatchObject({ state: 'sent', attempts: 2 });
    sender.kick('slack:C1');
    await sender.idle();
    expect(posts()).toBe(5);
    sender.stop();
    await store.close();
  }, 20_000);
});

describe('Slack refusing a post for good', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it.each([
    ['channel_not_found', 'failed', 1],
    ['internal_error', 'queued', 3], // not for good: the client's own retries, then the outbox's
  ])('%s: the outbox settles it as %s after %i post(s)', async (error, state, posts) => {
    h = await startHttpHarness(undefined, {
      timing: { perChannelMs: 0, retryAfterUnitMs: 1000, maxRateLimitRetries: 0 },
    });
    const store = openSqliteStore(':memory:');
    const failed: string[] = [];
    const sender = new OutboxSender(
      {
        store,
        messenger: h.adapter,
        clock: new ManualClock(T0),
        logger: silentLogger,
        onFailed: async (row) => {
          failed.push(row.lastError ?? '');
        },
      },
      { expireMs: 3_600_000, random: () => 0, pollMs: 60_000 },
    );
    const status = error === 'internal_error' ? 500 : 200;
    h.fake.answerNext('chat.postMessage', { status, body: { ok: false, error } }, 3);
    const [first] = await sender.send([
      { message: { platform: 'slack', chatId: 'C404', chatKind: 'group', text: 'Ticket #1001 is open' } },
    ]);
    expect(first).toMatchObject({ state });
    expect(h.fake.callsOf('chat.postMessage')).toHaveLength(posts);
    const [row] = await store.listOutbound({});
    expect(row).toMatchObject({ state, attempts: state === 'failed' ? 0 : 1 });
    expect(failed).toEqual(state === 'failed' ? [expect.stringContaining('channel_not_found')] : []);
    sender.stop();
    await store.close();
  });
});
