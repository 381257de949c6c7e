/**
 * Stores written before the queue key (src/core/sla/nearest.ts) existed: on upgrade every
 * ticket in the queue gets it, on SQLite (schema step 9, from a version-7 file filled by
 * SQL) and on MongoDB (at open, tickets written through the store as the old TicketService
 * wrote them, without the key), so /queue and /overdue miss none of them. Idempotent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import type { Store } from '../../src/core/ports';
import { NO_DEADLINE } from '../../src/core/sla/nearest';
import { openMongoStore } from '../../src/store/mongo';
import { openSqliteStore } from '../../src/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations';
import { describeWithMongo } from '../contract/mongo.suite';
import { create, HOUR, T0 } from '../contract/store.fixtures';

/** Tickets as the old code path left them: deadlines, no queue key. Returns their numbers by name. */
async function oldTickets(store: Store) {
  const firstDue = await create(store, { dueAt: T0 + 9 * HOUR });
  const nextDue = await create(store, {
    status: 'claimed',
    dueAt: T0 - 50 * HOUR,
    firstResponseAt: T0 - 60 * HOUR,
    nextResponseDueAt: T0 + 2 * HOUR,
  });
  const resolutionPast = await create(store, { dueAt: T0 + 24 * HOUR, resolutionDueAt: T0 - HOUR });
  const waiting = await create(store, { status: 'waiting_on_customer', dueAt: T0 });
  const answered = await create(store, {
    status: 'claimed',
    dueAt: T0 - HOUR,
    firstResponseAt: T0 - 2 * HOUR,
  });
  await create(store, { status: 'resolved', dueAt: T0 - HOUR });
  return { firstDue, nextDue, resolutionPast, waiting, answered };
}

async function expectQueue(store: Store, t: Awaited<ReturnType<typeof oldTickets>>) {
  const queue = await store.queryTickets({ order: 'deadline' });
  expect(queue.map((x) => [x.number, x.nearestDueAt])).toEqual([
    [t.resolutionPast.number, T0 - HOUR],
    [t.nextDue.number, T0 + 2 * HOUR],
    [t.firstDue.number, T0 + 9 * HOUR],
    [t.waiting.number, NO_DEADLINE],
    [t.answered.number, NO_DEADLINE],
  ]);
  expect((await store.queryTickets({ nearestDueBefore: T0 })).map((x) => x.number)).toEqual([
    t.resolutionPast.number,
  ]);
}

describe('SQLite: schema step 9 gives old tickets their queue key', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-upgrade-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('from a version-7 file, and again on reopening without change', async () => {
    const file = join(dir, 'v7.sqlite');
    const db = new Database(file);
    migrate(
      db,
      file,
      MIGRATIONS.filter((m) => m.version <= 7),
    );
    db.close();
    // The rows are written through today's store (without keys, as the old TicketService
    // wrote them) and copied into the v7 file column by column, as v7 had them.
    let store = openSqliteStore(join(dir, 'fresh.sqlite'));
    const made = await oldTickets(store);
    const rows = (await store.queryTickets({ limit: 500 })).map((t) => t.number);
    await store.close();
    const v7 = new Database(file);
    v7.exec(`ATTACH '${join(dir, 'fresh.sqlite')}' AS fresh`);
    v7.exec(`INSERT INTO tickets SELECT number, customer_id, requester_id, platform, chat_id, thread_id, source_key,
      category, priority, status, subject, assignee_id, plan, created_at, updated_at, last_customer_at, due_at,
      first_response_at, paused_at, resolved_at, closed_at, version, next_response_due_at, resolution_due_at
      FROM fresh.tickets`);
    v7.exec('DETACH fresh');
    v7.close();
    store = openSqliteStore(file);
    expect((await store.queryTickets({ limit: 500 })).map((t) => t.number).sort()).toEqual(rows.sort());
    await expectQueue(store, made);
    await store.close();
    store = openSqliteStore(file);
    await expectQueue(store, made);
    await store.close();
  });
});

describeWithMongo('MongoDB: old tickets get their queue key at open', ['fills the key once'], (db) => {
  it('fills the key once; a second open finds nothing to do', async () => {
    let store = await openMongoStore(db);
    const made = await oldTickets(store);
    expect(await store.queryTickets({ order: 'deadline' })).toEqual([]); // the key is what the queue reads
    await store.close();
    store = await openMongoStore(db);
    await expectQueue(store, made);
    await store.close();
    store = await openMongoStore(db);
    await expectQueue(store, made);
    await store.close();
  });
});
