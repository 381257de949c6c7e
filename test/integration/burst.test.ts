/**
 * A burst through the per-chat queue, per platform: 40 messages to one chat (and 10 to a
 * second) enqueued at once in the real outbox (SQLite file), sent by the real OutboxSender
 * through the real adapter and SDK to the platform's local fake, which throttles a few of
 * them in the middle. Every message arrives once, in its chat's order; sends to one chat
 * are never closer than the adapter's pacing; after a throttle the next attempt waits what
 * the platform said. Only lower bounds on time are checked: a slow machine cannot fail them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutboundMessage, Platform, SentMessage } from '../../src/core/chat';
import { systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { OutboxSender } from '../../src/outbox/sender';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';
import { dingtalkOnPeer, feishuOnPeer } from '../fakes/on-peers';

const PER_CHAT_MS = 15;
const RETRY_UNIT_MS = 40;
const BURST = 40;
const OTHER = 10;

/** One adapter on its fake, throttling two sends after the 15th. */
interface Rig {
  readonly platform: Platform;
  readonly chats: readonly [string, string];
  send(message: OutboundMessage): Promise<SentMessage>;
  /** The texts each chat received, in order. */
  received(chat: string): string[];
  /** Every send attempt: wall-clock time, chat, and whether it was throttled. */
  attempts(): ReadonlyArray<{ readonly wall: number; readonly to: string; readonly limited: boolean }>;
  /** How long, in ms, the platform asked to wait after a throttle. */
  readonly throttleMs: number;
  close(): Promise<void>;
}

const timing = { perChatMs: PER_CHAT_MS, retryUnitMs: RETRY_UNIT_MS, maxRetries: 1 };

async function feishu(): Promise<Rig> {
  const { peer, adapter } = await feishuOnPeer(timing);
  // Two 429s in a row after 15 sends, with x-ogw-ratelimit-reset: 2 (seconds).
  peer.rateLimit(2, 2, 15);
  return {
    platform: 'feishu',
    chats: ['oc_burst1', 'oc_burst2'],
    send: (m) => adapter.send(m),
    received: (chat) =>
      peer
        .sent()
        .filter((c) => c.to === chat)
        .map((c) => c.text),
    attempts: () => peer.attempts,
    throttleMs: 2 * RETRY_UNIT_MS,
    close: async () => {
      await adapter.stop();
      await peer.close();
    },
  };
}

async function dingtalk(): Promise<Rig> {
  const { peer, adapter } = await dingtalkOnPeer(timing);
  // Two throttled answers (429, Retry-After: 2) after 15 sends.
  peer.failAfter(
    'openapi',
    15,
    { status: 429, headers: { 'retry-after': '2' }, body: { code: 'Throttling.Api' } },
    2,
  );
  return {
    platform: 'dingtalk',
    chats: ['cidBurst1==', 'cidBurst2=='],
    send: (m) => adapter.send(m),
    received: (chat) => peer.sent.filter((s) => s.to === chat).map((s) => s.text),
    attempts: () =>
      peer.requests
        .filter((r) => r.route === 'openapi')
        .map((r) => ({ wall: r.wall, to: r.to, limited: r.failed })),
    throttleMs: 2 * RETRY_UNIT_MS,
    close: async () => {
      await adapter.stop();
      await peer.close();
    },
  };
}

const rigs: Record<string, () => Promise<Rig>> = { feishu, dingtalk };

describe.each(Object.keys(rigs))('a burst of %s sends', (name) => {
  it(`${BURST} + ${OTHER} messages arrive once each, in order, paced and throttled as the platform says`, async () => {
    const rig = await rigs[name]!();
    const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-burst-'));
    const store = openSqliteStore(sqliteFileIn(dir));
    const outbox = new OutboxSender(
      { store, messenger: { send: (m) => rig.send(m) }, clock: systemClock, logger: silentLogger },
      { expireMs: 3_600_000, baseDelayMs: 10, maxDelayMs: 200, pollMs: 50 },
    );
    const [busy, quiet] = rig.chats;
    const message = (chatId: string, i: number): OutboundMessage => ({
      platform: rig.platform,
      chatId,
      chatKind: 'group',
      text: `${chatId} message ${i}`,
    });
    try {
      outbox.start();
      const items = [
        ...Array.from({ length: BURST }, (_, i) => ({ message: message(busy, i) })),
        ...Array.from({ length: OTHER }, (_, i) => ({ message: message(quiet, i) })),
      ];
      await outbox.send(items);
      // Throttled rows wait for their retry outside any drain: wait for the peer, bounded.
      for (let waited = 0; waited < 400; waited += 1) {
        if (rig.received(busy).length + rig.received(quiet).length >= BURST + OTHER) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await outbox.idle();

      expect(rig.received(busy)).toEqual(Array.from({ length: BURST }, (_, i) => `${busy} message ${i}`));
      expect(rig.received(quiet)).toEqual(Array.from({ length: OTHER }, (_, i) => `${quiet} message ${i}`));

      const attempts = rig.attempts();
      expect(attempts.filter((a) => a.limited)).toHaveLength(2);
      expect(attempts).toHaveLength(BURST + OTHER + 2);
      for (const chat of rig.chats) {
        const mine = attempts.filter((a) => a.to === chat);
        // After a throttle, the chat's next attempt waited at least what the platform asked.
        mine.forEach((a, i) => {
          const next = mine[i + 1];
          if (a.limited && next !== undefined)
            expect(next.wall - a.wall).toBeGreaterThanOrEqual(rig.throttleMs - 2);
        });
        // Pacing starts sends PER_CHAT_MS apart; arrival times jitter per request, so the
        // span is checked (from the second attempt: the first also fetched a token).
        const span = mine.at(-1)!.wall - mine[1]!.wall;
        expect(span).toBeGreaterThanOrEqual((mine.length - 2) * PER_CHAT_MS - 5);
      }
    } finally {
      outbox.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await rig.close();
    }
  }, 30_000);
});
