/**
 * Store-level benchmark (not part of npm test): the store calls a ticket-opening message
 * makes — claim the inbound key, four lookups, create the ticket, link the bot's message —
 * against raw single-row SQLite inserts in the same process and on the same disk.
 * Prints one JSON line. Usage: npx tsx bench/store.bench.ts [messages] [in flight]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { openSqliteStore } from '../src/store/sqlite';

const messages = Number(process.argv[2] ?? 20_000);
const inFlight = Number(process.argv[3] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'groupdesk-bench-'));
const T0 = Date.UTC(2026, 0, 5);

function rawInsertMicros(count: number): number {
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, k TEXT, v TEXT)');
  const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) insert.run(`k${i}`, 'Build fails on Node 20');
  const micros = Number(process.hrtime.bigint() - start) / 1000 / count;
  db.close();
  return micros;
}

async function main(): Promise<void> {
  const store = openSqliteStore(join(dir, 'groupdesk.sqlite'));
  await store.putCustomer({ id: 'acme', name: 'Acme', createdAt: T0 });
  await store.putPerson({
    id: 'alice',
    name: 'Alice',
    role: 'subscriber',
    customerId: 'acme',
    createdAt: T0,
  });
  await store.putIdentity({ platform: 'slack', userId: 'U1', personId: 'alice' });
  await store.putGroup({
    platform: 'slack',
    chatId: 'C1',
    kind: 'customer',
    customerId: 'acme',
    autoMode: false,
    boundAt: T0,
  });
  await store.putSubscription({
    id: 's1',
    customerId: 'acme',
    plan: 'basic',
    startsAt: T0,
    endsAt: T0 + 365 * 86_400_000,
    graceDays: 7,
    trainingUsed: 0,
    createdAt: T0,
  });

  const latencies: number[] = [];
  const message = async (i: number): Promise<void> => {
    const start = process.hrtime.bigint();
    const sourceKey = `slack::T1:${1_700_000_000 + i * 7919}`;
    await store.claimInbound(sourceKey, T0 + i);
    await store.getGroup('slack', 'C1');
    await store.findPersonByIdentity('slack', 'U1');
    await store.listSubscriptions('acme');
    await store.latestTicketOf('alice', 'slack', 'C1');
    const { ticket } = await store.createTicket(
      {
        customerId: 'acme',
        requesterId: 'alice',
        platform: 'slack',
        chatId: 'C1',
        sourceKey,
        category: 'consultation',
        priority: 'p2',
        status: 'open',
        subject: 'Build fails on Node 20',
        plan: 'basic',
        createdAt: T0 + i,
        updatedAt: T0 + i,
        lastCustomerAt: T0 + i,
        dueAt: T0 + i + 86_400_000,
      },
      { at: T0 + i, kind: 'customer_message', actorId: 'alice', text: 'Build fails on Node 20' },
    );
    await store.linkMessage({
      platform: 'slack',
      chatId: 'C1',
      messageId: `bot-${i}`,
      ticketNumber: ticket.number,
    });
    latencies.push(Number(process.hrtime.bigint() - start) / 1000);
  };

  const rawBefore = rawInsertMicros(10_000);
  const start = process.hrtime.bigint();
  for (let i = 0; i < messages; i += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, messages - i) }, (_, j) => message(i + j)));
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rawMicros = (rawBefore + rawInsertMicros(10_000)) / 2;
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const perMessageMicros = (seconds * 1e6) / messages;
  const at = (q: number) => Math.round(latencies[Math.floor(q * (latencies.length - 1))] ?? 0);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'store',
      messages,
      inFlight,
      messagesPerSecond: Math.round(messages / seconds),
      p50Micros: at(0.5),
      p99Micros: at(0.99),
      rawInsertMicros: Number(rawMicros.toFixed(1)),
      costRatio: Number((perMessageMicros / rawMicros).toFixed(1)),
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
      externalMB: Math.round(process.memoryUsage().external / 1e6),
    })}\n`,
  );
}

void main();
