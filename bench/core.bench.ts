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
  /** A customer's follow-up naming its ticket (`#N more`), same groups in flight. */
  followUpUs: number;
  followUpRatio: number;
  /** An engineer's `/reply #N …` from the staff channel (one chat: in order). */
  staffReplyUs: number;
  staffReplyRatio: number;
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
    const opened = new Map<string, number>();
    const desk = createDesk({
      config,
      store,
      clock: systemClock,
      logger: silentLogger,
      messenger: {
        send: async (sent) => {
          // Which ticket each request opened, from its acknowledgement, for the follow-ups.
          if (sent.replyToMessageId?.startsWith('bench-') && !opened.has(sent.replyToMessageId)) {
            const number = /#(\d+)/.exec(sent.text)?.[1];
            if (number) opened.set(sent.replyToMessageId, Number(number));
          }
          return { messageId: String(++delivered) };
        },
      },
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
    // BENCH_RESOLVED=1: the warm-up's tickets are resolved, so every new ticket (the same
    // words) has similar resolved tickets to list in its staff announcement: the worst case.
    if (process.env.BENCH_RESOLVED) await resolveAll(store);
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
    // The two other messages of a ticket's life, on the tickets just opened.
    const phase = Math.min(messages, 5000);
    const ticketOf = (i: number) => opened.get(`bench-${i}`) ?? 0;
    const followUp = (i: number): InboundMessage => ({
      ...message(i),
      messageId: `follow-${i}`,
      text: `#${ticketOf(i)} more detail ${i}: it also fails on Node 22`,
      addressed: false,
    });
    const followUpUs = await timedLoop(phase, inFlight, (i) => desk.router.handle(followUp(i)));
    await desk.router.idle();
    const followed = (await store.listEvents(ticketOf(phase - 1))).filter(
      (e) => e.kind === 'customer_message',
    );
    if (followed.length < 2) throw new Error('bench: follow-ups did not reach their tickets');
    const staffReply = (i: number): InboundMessage => ({
      platform: 'console',
      chatId: 'staff',
      chatKind: 'group',
      messageId: `reply-${i}`,
      sender: { id: 'bob' },
      text: `/reply #${ticketOf(i)} Please upgrade to 3.3.0, it loads ESM plugins.`,
      mentions: [],
      addressed: false,
    });
    const sentBefore = delivered;
    const staffReplyUs = await timedLoop(phase, 1, (i) => desk.router.handle(staffReply(i)));
    await desk.router.idle();
    if (delivered - sentBefore < phase) throw new Error('bench: staff replies were not delivered');
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
      followUpUs: round(followUpUs),
      followUpRatio: round(followUpUs / rawInsertUs),
      staffReplyUs: round(staffReplyUs),
      staffReplyRatio: round(staffReplyUs / rawInsertUs),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean µs per call of `handle(0..count-1)`, `inFlight` at a time. */
async function timedLoop(
  count: number,
  inFlight: number,
  handle: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await handle(i);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Number(process.hrtime.bigint() - t0) / 1e3 / count;
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

async function resolveAll(store: Store): Promise<void> {
  const now = Date.now();
  for (const t of await store.queryTickets({ statuses: ['open', 'claimed'], limit: 500 })) {
    await store.updateTicket(
      t.number,
      t.version,
      { status: 'resolved', resolvedAt: now, updatedAt: now },
      [],
    );
  }
}
