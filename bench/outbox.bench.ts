/**
 * What the durable outbox adds to a ticket-opening message: its two outbound rows (the
 * acknowledgement in the customer's group, the announcement in the staff channel) written,
 * claimed, sent to a platform that accepts at once, and settled, through the real sender on
 * the embedded store. The core bench's figure already includes this path (the router sends
 * through the outbox); this isolates it, in the same run, so the two can be put side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { OutboxSender } from '../src/outbox/sender';
import { openSqliteStore, sqliteFileIn } from '../src/store/sqlite';

export interface OutboxFigures {
  messages: number;
  /** Rows per message: acknowledgement and announcement. */
  rowsPerMessage: number;
  perMessageUs: number;
  rowsPerSecond: number;
  p99Ms: number;
  delivered: number;
}

export async function benchOutbox(messages: number, inFlight = 4): Promise<OutboxFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-outbox-'));
  const store = openSqliteStore(sqliteFileIn(dir));
  let delivered = 0;
  const sender = new OutboxSender(
    {
      store,
      messenger: { send: async () => ({ messageId: String(++delivered) }) },
      clock: systemClock,
      logger: silentLogger,
    },
    { expireMs: 86_400_000 },
  );
  try {
    const latencies = new Float64Array(messages);
    const one = async (i: number) => {
      const t0 = process.hrtime.bigint();
      await sender.send([
        {
          message: {
            platform: 'console',
            chatId: `bench-${i % inFlight}`,
            chatKind: 'group',
            text: `ack ${i}`,
          },
        },
      ]);
      await sender.send([
        { message: { platform: 'console', chatId: 'staff', chatKind: 'group', text: `new ${i}` } },
      ]);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let i = 0; i < Math.min(200, messages); i++) await one(i); // warm-up, then measured afresh
    delivered = 0;
    let next = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < messages; i = next++) await one(i);
      }),
    );
    await sender.idle();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort();
    const round = (n: number) => Math.round(n * 1000) / 1000;
    return {
      messages,
      rowsPerMessage: 2,
      perMessageUs: round((seconds * 1e6) / messages),
      rowsPerSecond: Math.round((2 * messages) / seconds),
      p99Ms: round(latencies[Math.floor(messages * 0.99)]!),
      delivered,
    };
  } finally {
    sender.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
