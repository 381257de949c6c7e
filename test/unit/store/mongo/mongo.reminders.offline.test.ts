/**
 * The MongoDB reminder ledger without a server: its schema and indexes, the checks that run
 * before any query, and the exact commands it hands the driver. The store runs on a
 * connection that is never opened and does not buffer: mongoose casts each query against
 * the schema (strict, sanitised) and then refuses to send it, and the connection's
 * `operation-start` event shows what would have been sent. Nothing emulates MongoDB; the
 * behaviour against a real server is the contract suite's (MONGODB_URI=… npm test).
 */
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { loadConfig } from '../../../../config/load';
import { createDesk } from '../../../../src/app';
import { ManualClock } from '../../../../src/core/clock';
import { isSlaStore, type ReminderOutcome } from '../../../../src/core/ports';
import { MongoStore } from '../../../../src/store/mongo';
import type { MongoFeatures } from '../../../../src/store/mongo/mongo.features';
import * as map from '../../../../src/store/mongo/mongo.mappers';
import { type Models, modelsOn } from '../../../../src/store/mongo/mongo.schemas';
import { expectStoreError, T0 } from '../../../contract/store.fixtures';

const MIN = 60_000;
/** What mongoose says when a query passed casting and reached the (absent) driver. */
const NOT_SENT = /before initial connection is complete/;

interface Sent {
  readonly collection: string;
  readonly method: string;
  readonly params: unknown[];
}

/** A standalone server with every feature but transactions. */
const STANDALONE: MongoFeatures = { transactions: false, partialIndexes: true, condInAddFields: true };

describe('MongoDB reminder ledger without a server', () => {
  let connection: Connection;
  let models: Models;
  let store: MongoStore;
  let sent: Sent[];

  beforeAll(() => {
    connection = mongoose.createConnection();
    connection.set('autoCreate', false);
    connection.set('autoIndex', false);
    connection.set('sanitizeFilter', true); // as openMongoStore sets them
    // openMongoStore passes bufferCommands: false to createConnection; an unopened
    // connection keeps it in its config. Without it a query would wait 10 s in a buffer.
    (connection as unknown as { config: Record<string, unknown> }).config.bufferCommands = false;
    models = modelsOn(connection);
    connection.on('operation-start', (op: { collectionName: string; method: string; params: unknown[] }) =>
      sent.push({ collection: op.collectionName, method: op.method, params: op.params }),
    );
  });
  beforeEach(() => {
    sent = [];
    store = new MongoStore(connection, models, STANDALONE);
  });
  afterAll(() => connection.close());

  /** The command a call hands the driver (the call then fails: there is no server). */
  async function commandOf(call: Promise<unknown>): Promise<Sent> {
    await expect(call).rejects.toThrow(NOT_SENT);
    expect(sent).toHaveLength(1);
    // As the driver would serialise it (mongoose marks trusted operators with a symbol).
    return JSON.parse(JSON.stringify(sent[0]));
  }

  it('keeps the ledger: the desk picks it up from MongoStore, even when it caches the store', () => {
    expect(isSlaStore(store)).toBe(true);
    const config = loadConfig({
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../../config'),
      GROUPDESK_CACHE_TTL_MS: '60000', // the desk wraps the store in a CachedStore
    });
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    const desk = createDesk({ config, store, clock: new ManualClock(T0), logger });
    expect(desk.sla.scheduler).toBeDefined();
    expect(desk.sla.planner).toBeDefined();
    expect(sent).toEqual([]); // building the desk sends nothing
  });

  it('declares one row per (subject, stage) as _id, and the partial indexes the tick reads', async () => {
    expect(models.reminders.schema.path('_id').instance).toBe('String');
    const indexes = models.reminders.schema.indexes();
    expect(indexes).toEqual([
      [
        { nextAt: 1, _id: 1 },
        { name: 'reminders_due', partialFilterExpression: { status: 'pending' } },
      ],
      [{ subject: 1, dueAt: 1 }, { name: 'reminders_by_subject' }],
      [
        { updatedAt: 1, _id: 1 },
        { name: 'reminders_failed', partialFilterExpression: { status: 'failed' } },
      ],
    ]);
    const row = {
      _id: 'ticket:1001/half',
      subject: 'ticket:1001',
      stage: 'half',
      dueAt: T0,
      nextAt: T0,
      status: 'pending',
      round: 0,
      attempts: 0,
      delivered: [],
      updatedAt: T0,
    };
    await expect(new models.reminders(row).validate()).resolves.toBeUndefined();
    await expect(new models.reminders({ ...row, status: 'done' }).validate()).rejects.toMatchObject({
      errors: { status: expect.anything() },
    });
    await expect(new models.reminders({ ...row, leaseUntil: 1.5 }).validate()).rejects.toMatchObject({
      errors: { leaseUntil: expect.anything() },
    });
    expect(() => new models.reminders({ ...row, claimedBy: 'w1' })).toThrow(/not in schema/);
    expect(map.toReminder(row)).toStrictEqual({
      key: 'ticket:1001/half',
      subject: 'ticket:1001',
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

  it('claims by first reading the earliest due pending rows (each then takes a unique claim)', async () => {
    const claim = await commandOf(store.claimReminders('w1', T0 + MIN, T0, 5));
    expect(claim).toEqual({
      collection: 'reminders',
      method: 'find',
      params: [
        { status: 'pending', nextAt: { $lte: T0 } }, // what reminders_due covers
        expect.objectContaining({ sort: { nextAt: 1, _id: 1 }, limit: 5 }),
      ],
    });
    sent.length = 0;
    const due = await commandOf(store.dueReminders(T0, 20_000)); // the limit is clamped
    expect(due.params).toEqual([
      { status: 'pending', nextAt: { $lte: T0 } },
      { sort: { nextAt: 1, _id: 1 }, limit: 10_000 },
    ]);
  });

  it('records an outcome only while its owner holds the pending row', async () => {
    const outcomes: ReminderOutcome[] = [
      { key: 's/a', result: 'sent', at: T0, rearmAt: T0 + 4 * 60 * MIN },
      {
        key: 's/a',
        result: 'deferred',
        at: T0,
        nextAt: T0 + MIN,
        failure: { error: 'down', delivered: ['g:x'] },
      },
      { key: 's/a', result: 'failed', at: T0, error: 'x'.repeat(600), delivered: [] },
      { key: 's/a', result: 'skipped', at: T0 },
    ];
    const updates = [];
    for (const outcome of outcomes) {
      sent.length = 0;
      const { method, params } = await commandOf(store.settleReminders('w1', [outcome]));
      expect([method, params[0]]).toEqual(['updateOne', { _id: 's/a', owner: 'w1', status: 'pending' }]);
      updates.push(params[1]);
    }
    const unlease = { owner: '', leaseUntil: '' };
    expect(updates).toEqual([
      {
        $set: {
          status: 'pending',
          nextAt: T0 + 4 * 60 * MIN,
          attempts: 0,
          delivered: [],
          lastSentAt: T0,
          updatedAt: T0,
        },
        $inc: { round: 1 },
        $unset: { ...unlease, lastError: '' },
      },
      {
        $set: { status: 'pending', nextAt: T0 + MIN, updatedAt: T0, lastError: 'down', delivered: ['g:x'] },
        $inc: { attempts: 1 },
        $unset: unlease,
      },
      {
        $set: { status: 'failed', lastError: 'x'.repeat(500), delivered: [], updatedAt: T0 },
        $inc: { attempts: 1 },
        $unset: unlease,
      },
      { $set: { status: 'skipped', updatedAt: T0 }, $unset: unlease },
    ]);
    // An outcome with a ticket event first checks that the ticket exists (as addEvent does).
    sent.length = 0;
    const event = {
      ticketNumber: 1001,
      event: { at: T0, kind: 'reminder_sent' as const, actorId: 'system' },
    };
    const check = await commandOf(
      store.settleReminders('w1', [{ key: 's/a', result: 'sent', at: T0, event }]),
    );
    expect([check.collection, check.method, check.params[0]]).toEqual([
      'tickets',
      'countDocuments',
      { _id: { $in: [1001] } },
    ]);
  });

  it('re-plans only under the port’s condition, and cancels only unleased pending rows', async () => {
    const { method, params } = await commandOf(
      store.scheduleReminders([{ subject: 'ticket:1', stage: 'half', dueAt: T0 + MIN }], T0),
    );
    expect([method, params[1]]).toEqual(['bulkWrite', { ordered: true }]); // insert, then re-plan
    const [insert, replan] = params[0] as Array<{
      updateOne: { filter: object; update: object; upsert?: boolean };
    }>;
    expect(insert?.updateOne).toMatchObject({ filter: { _id: 'ticket:1/half' }, upsert: true });
    expect(Object.keys(insert!.updateOne.update)).toEqual(['$setOnInsert']);
    expect(replan?.updateOne.filter).toEqual({
      _id: 'ticket:1/half',
      $or: [
        { status: 'cancelled' },
        { status: 'pending', dueAt: { $ne: T0 + MIN }, nextAt: { $gt: T0 }, leaseUntil: { $exists: false } },
      ],
    });
    sent.length = 0;
    const cancel = await commandOf(store.cancelReminders('ticket:1', T0));
    expect(cancel.params[0]).toEqual({
      subject: 'ticket:1',
      status: 'pending',
      leaseUntil: { $not: { $gt: T0 } },
    });
  });

  it('checks every value before any query, with the store’s error code', async () => {
    const nul = 'ticket:1\u0000';
    const tooMany = <T>(item: T): T[] => Array.from({ length: 10_001 }, () => item);
    const refused = [
      () => store.scheduleReminders([{ subject: nul, stage: 'half', dueAt: T0 }], T0),
      () => store.scheduleReminders([{ subject: 's', stage: 'half', dueAt: T0 }], T0 + 0.5),
      () => store.scheduleReminders(tooMany({ subject: 's', stage: 'half', dueAt: T0 }), T0),
      () => store.cancelReminders({ $ne: null } as unknown as string, T0),
      () => store.dueReminders(Number.NaN, 10),
      () => store.dueReminders(T0, 2.5),
      () => store.claimReminders('w1', T0, T0, 10), // a lease that has already ended
      () => store.claimReminders({ $gt: '' } as unknown as string, T0 + MIN, T0, 10),
      () =>
        store.settleReminders('w1', tooMany({ key: 's/a', result: 'skipped', at: T0 } as ReminderOutcome)),
      () => store.settleReminders('w1', [{ key: 's/a', result: 'done' as 'sent', at: T0 }]),
      () =>
        store.settleReminders('w1', [
          { key: 's/a', result: 'failed', at: T0, error: 'x', delivered: 'g' as never },
        ]),
      () =>
        store.settleReminders('w1', [
          {
            key: 's/a',
            result: 'sent',
            at: T0,
            event: { ticketNumber: 1, event: { at: T0, kind: 'hack' as never, actorId: 'x' } },
          },
        ]),
      () => store.failedReminders(T0, Number.POSITIVE_INFINITY),
      () => store.listReminders(nul),
      () => store.getTickets(['1001' as unknown as number]),
      () => store.getTickets(tooMany(1001)),
    ];
    // One at a time: a call that wrongly went on to a query must not leave the others unhandled.
    for (const call of refused) await expectStoreError(call(), 'STORE_INVALID_VALUE');
    expect(sent).toEqual([]);
    // Empty batches need no query at all.
    await expect(store.scheduleReminders([], T0)).resolves.toBeUndefined();
    await expect(store.settleReminders('w1', [])).resolves.toBe(0);
    await expect(store.getTickets([])).resolves.toEqual([]);
    expect(sent).toEqual([]);
  });

  it('empties the ledger first when migrate --force clears the store (the ledger is not copied)', async () => {
    const clear = await commandOf(store.clearAll());
    expect([clear.collection, clear.method, clear.params[0]]).toEqual(['reminders', 'deleteMany', {}]);
  });

  it('refuses every ledger call once closed', async () => {
    const closed = new MongoStore(mongoose.createConnection(), models, STANDALONE);
    await closed.close();
    await expectStoreError(closed.claimReminders('w1', T0 + MIN, T0, 10), 'STORE_CLOSED');
    await expectStoreError(closed.scheduleReminders([], T0), 'STORE_CLOSED');
    expect(sent).toEqual([]);
  });
});
