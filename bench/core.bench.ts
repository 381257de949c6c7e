/**
 * Ticket-opening messages through the real router on the embedded store (or any store
 * `open` returns: the MongoDB figure runs the same loop), against raw single-row SQLite
 * inserts on the same machine as the reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { loadConfig } from '../config/load';
import { createDesk } from '../src/app';
import type { InboundMessage } from '../src/core/chat';
import { systemClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import type { Store } from '../src/core/ports';
import { seedDemo } from '../src/demo';
import { openSqliteStore, sqliteFileIn } from '../src/store/sqlite';

export interface CoreFigures {
  messages: number;
  inFlight: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rawInsertUs: number;
  perMessageUs: number;
  ratioToRawInsert: number;
  rssMb: number;
  rssBeforeMb: number;
  heapUsedMb: number;
}

/**
 * `inFlight` messages are handled at once, from as many different customer groups (a bot
 * serving many groups sees them interleaved); each group's messages stay in order.
 */
export async function benchCore(
  messages: number,
  inFlight = 4,
  open: (dir: string) => Promise<Store> = async (dir) => openSqliteStore(sqliteFileIn(dir)),
): Promise<CoreFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-'));
  try {
    const rawInsertUs = rawInsert(path.join(dir, 'raw.sqlite'), 20_000);
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      // Every message opens a ticket: a sender's quick @bot messages are not merged here.
      GROUPDESK_MERGE_SECONDS: '0',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../config'),
    });
    const store = await open(dir);
    let delivered = 0;
    const desk = createDesk({
      config,
      store,
      clock: systemClock,
      logger: silentLogger,
      messenger: { send: async () => ({ messageId: String(++delivered) }) },
    });
    await seedDemo(desk.services);
    const groups = Array.from({ length: inFlight }, (_, g) => `bench-${g}`);
    for (const [g, chatId] of groups.entries()) {
      await desk.services.directory.bindGroup('console', chatId, g % 2 ? 'acme' : 'globex');
    }
    const latencies = new Float64Array(messages);
    const message = (i: number): InboundMessage => ({
      platform: 'console',
      chatId: groups[Math.abs(i) % groups.length]!,
      chatKind: 'group',
      messageId: `bench-${i}`,
      sender: { id: (Math.abs(i) % groups.length) % 2 ? 'alice' : 'erin' },
      text: `request ${i}: the build fails on Node 20 with ERR_REQUIRE_ESM`,
      mentions: [],
      addressed: true,
    });
    const warmUp = Math.min(500, Math.ceil(messages / 10));
    for (let i = 0; i < warmUp; i++) await desk.router.handle(message(-1 - i));
    const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < messages; i = next++) {
        const t0 = process.hrtime.bigint();
        await desk.router.handle(message(i));
        latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    await desk.router.idle();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const last = await store.queryTickets({ limit: 1, createdSince: 0 });
    if (!last.length || delivered < messages * 2) throw new Error('bench: messages did not open tickets');
    global.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const rssMb = rss / 2 ** 20;
    await store.close();
    latencies.sort();
    const perMessageUs = (seconds * 1e6) / messages;
    return {
      messages,
      inFlight,
      messagesPerSecond: Math.round(messages / seconds),
      p50Ms: round(latencies[Math.floor(messages * 0.5)]!),
      p99Ms: round(latencies[Math.floor(messages * 0.99)]!),
      rawInsertUs: round(rawInsertUs),
      perMessageUs: round(perMessageUs),
      ratioToRawInsert: round(perMessageUs / rawInsertUs),
      rssMb: Math.round(rssMb),
      rssBeforeMb: Math.round(rssBeforeMb),
      heapUsedMb: Math.round(heapUsed / 2 ** 20),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean µs of one autocommitted single-row insert with the store's pragmas. */
function rawInsert(file: string, rows: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE t (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, subject TEXT NOT NULL, created INTEGER NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO t (customer, subject, created) VALUES (?, ?, ?)');
  for (let i = 0; i < 1000; i++) insert.run('acme', `warm ${i}`, i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rows; i++) insert.run('acme', `the build fails ${i}`, Date.now());
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / rows;
  db.close();
  return us;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
