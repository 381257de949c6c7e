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
import { loadConfig } from '../../config/load';
import type { Ticket } from '../../src/core/model';
import { type Plan, PlanBook } from '../../src/core/plans';
import type { NewEvent, SlaStore, Store, TicketPatch } from '../../src/core/ports';
import { backfillClocks } from '../../src/core/sla/backfill';
import { NO_DEADLINE } from '../../src/core/sla/nearest';
import { SlaPolicy } from '../../src/core/sla/policy';
import { openMongoStore } from '../../src/store/mongo';
import { openSqliteStore } from '../../src/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations';
import { describeWithMongo } from '../contract/mongo.suite';
import { create, event, HOUR, seed, T0 } from '../contract/store.fixtures';

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

/*
 * Clocks from event history: tickets written as the code before the next-response and
 * resolution promises wrote them (a deadline for the first response, events, nothing
 * else), on Basic with a 40 h resolution target and the default 24 h next reply.
 */
const config = loadConfig({ GROUPDESK_CONFIG_DIR: join(__dirname, '../../config') });
const basic: Plan = { ...config.plans.plans.find((p) => p.id === 'basic')!, resolutionHours: 40 };
const policy = new SlaPolicy(config.calendars, new PlanBook({ ...config.plans, plans: [basic] }));
const NOW = T0 + 22 * HOUR;

/** As the old TicketService left them; returns the two running tickets. */
async function oldHistory(store: Store) {
  await seed(store);
  const step = async (t: Ticket, at: number, patch: Omit<TicketPatch, 'updatedAt'>, events: NewEvent[]) =>
    (await store.updateTicket(t.number, t.version, { ...patch, updatedAt: at }, events))!;
  let a = await create(store, { dueAt: T0 + 24 * HOUR });
  a = await step(a, T0 + HOUR, { status: 'claimed', assigneeId: 'bob', firstResponseAt: T0 + HOUR }, [
    event({ at: T0 + HOUR, kind: 'staff_reply', actorId: 'bob', text: 'which version?' }),
    event({ at: T0 + HOUR, kind: 'status_change', actorId: 'bob', from: 'open', to: 'claimed' }),
  ]);
  a = await step(a, T0 + 2 * HOUR, { lastCustomerAt: T0 + 2 * HOUR }, [event({ at: T0 + 2 * HOUR })]);
  a = await step(a, T0 + 3 * HOUR, { lastCustomerAt: T0 + 3 * HOUR }, [event({ at: T0 + 3 * HOUR })]);
  let b = await create(store, { dueAt: T0 + 24 * HOUR });
  b = await step(
    b,
    T0 + 2 * HOUR,
    { status: 'waiting_on_customer', pausedAt: T0 + 2 * HOUR, firstResponseAt: T0 + 2 * HOUR },
    [
      event({ at: T0 + 2 * HOUR, kind: 'staff_reply', actorId: 'bob', text: 'can you send the log?' }),
      event({
        at: T0 + 2 * HOUR,
        kind: 'status_change',
        actorId: 'bob',
        from: 'open',
        to: 'waiting_on_customer',
      }),
    ],
  );
  b = await step(b, T0 + 12 * HOUR, { status: 'open', pausedAt: null, lastCustomerAt: T0 + 12 * HOUR }, [
    event({ at: T0 + 12 * HOUR, text: 'here it is' }),
    event({
      at: T0 + 12 * HOUR,
      kind: 'status_change',
      actorId: 'alice',
      from: 'waiting_on_customer',
      to: 'open',
    }),
  ]);
  return { a, b };
}

async function expectUpgraded(store: Store & SlaStore) {
  const { a, b } = await oldHistory(store);
  const deps = { store, ledger: store, policy, rules: config.sla.tickets };
  expect(await backfillClocks(deps, NOW)).toBe(2);
  expect(await store.getTicket(a.number)).toMatchObject({
    nextResponseSince: T0 + 2 * HOUR, // the first follow-up opened the window, the second did not restart it
    nextResponseDueAt: T0 + 26 * HOUR,
    resolutionDueAt: T0 + 40 * HOUR,
    nearestDueAt: T0 + 26 * HOUR,
    updatedAt: a.updatedAt, // nobody changed it
  });
  expect(await store.getTicket(b.number)).toMatchObject({
    nextResponseSince: T0 + 12 * HOUR, // the answer to /wait
    nextResponseDueAt: T0 + 36 * HOUR,
    resolutionDueAt: T0 + 50 * HOUR, // 10 h waiting on the customer do not count
  });
  // 20 of a's 24 next-reply hours and 22 of its 40 resolution hours are gone: those stages
  // are recorded as skipped, so the first tick sends no alert about the past.
  const rows = async (subject: string) =>
    (await store.listReminders(subject)).map((r) => [r.stage, r.status]);
  expect(await rows(`ticket:${a.number}:next_response:${T0 + 2 * HOUR}`)).toEqual([
    ['half', 'skipped'],
    ['late', 'skipped'],
  ]);
  expect(await rows(`ticket:${a.number}:resolution`)).toEqual([['half', 'skipped']]);
  expect(await rows(`ticket:${b.number}:next_response:${T0 + 12 * HOUR}`)).toEqual([]);
  // Idempotent: a second start finds every clock set.
  expect(await backfillClocks(deps, NOW + HOUR)).toBe(0);
  expect(await rows(`ticket:${a.number}:resolution`)).toEqual([['half', 'skipped']]);
}

describe('SQLite: clocks from event history on upgrade', () => {
  it('gives old running tickets their next-response and resolution clocks, past stages skipped', async () => {
    const store = openSqliteStore(':memory:');
    try {
      await expectUpgraded(store);
    } finally {
      await store.close();
    }
  });
});

describeWithMongo(
  'MongoDB: clocks from event history on upgrade',
  ['gives old tickets their clocks'],
  (db) => {
    it('gives old running tickets their next-response and resolution clocks, past stages skipped', async () => {
      const store = await openMongoStore(db);
      try {
        await expectUpgraded(store);
      } finally {
        await store.close();
      }
    });
  },
);
