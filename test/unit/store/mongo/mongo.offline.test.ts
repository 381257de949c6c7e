/**
 * The parts of the MongoDB store that need no server: schemas and their validation,
 * update and pipeline building, mapping, error translation, and failing fast (with the
 * store's own error) when the server cannot be reached.
 */
import { createServer } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { StoreError } from '../../../../src/store/errors';
import { openMongoStore } from '../../../../src/store/mongo';
import { toStoreError } from '../../../../src/store/mongo/mongo.errors';
import { collectionsOf, importDoc } from '../../../../src/store/mongo/mongo.import';
import * as map from '../../../../src/store/mongo/mongo.mappers';
import { type Models, modelsOn } from '../../../../src/store/mongo/mongo.schemas';
import { ticketPipeline, ticketUpdate } from '../../../../src/store/mongo/mongo.tickets';
import { openSqliteStore } from '../../../../src/store/sqlite';
import { checkPatch, checkQuery } from '../../../../src/store/ticket-inputs';
import { collect, event, group, newTicket, person, T0 } from '../../../contract/store.fixtures';
import { fillSource } from '../../../integration/migrate.fixtures';

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('MongoDB store without a server', () => {
  let connection: Connection;
  let models: Models;
  beforeAll(() => {
    // Never opened: documents can be built and validated, nothing is sent anywhere.
    connection = mongoose.createConnection();
    connection.set('autoCreate', false);
    connection.set('autoIndex', false);
    connection.set('sanitizeFilter', true); // as openMongoStore sets it
    models = modelsOn(connection);
  });
  afterAll(() => connection.close());

  it('validates the documents the mappers build, and refuses unknown fields and bad values', async () => {
    const ticket = { ...map.newTicketDoc(newTicket()), _id: 1001 };
    await expect(new models.tickets(ticket).validate()).resolves.toBeUndefined();
    await expect(new models.people(map.personDoc(person())).validate()).resolves.toBeUndefined();
    await expect(new models.events({ ...map.eventDoc(1001, event()) }).validate()).resolves.toBeUndefined();
    expect(() => new models.tickets({ ...ticket, $where: 'sleep(1000)' })).toThrow(/not in schema/);
    expect(() => new models.groups({ ...map.groupDoc(group()), isAdmin: true })).toThrow(/not in schema/);
    await expect(new models.tickets({ ...ticket, status: 'bogus' }).validate()).rejects.toMatchObject({
      errors: { status: expect.anything() },
    });
    await expect(new models.tickets({ ...ticket, createdAt: 1.5 }).validate()).rejects.toMatchObject({
      errors: { createdAt: expect.anything() },
    });
  });

  it('declares the indexes the queries need', () => {
    const names = (model: { schema: { indexes(): Array<[object, { name?: string }]> } }) =>
      model.schema.indexes().map(([, options]) => options.name);
    expect(names(models.tickets)).toEqual([
      'tickets_by_source_key',
      'tickets_by_status',
      'tickets_awaiting_response',
      'tickets_awaiting_next_response',
      'tickets_awaiting_resolution',
      'tickets_queue',
      'tickets_nearest_due',
      'tickets_by_customer',
      'tickets_by_customer_status',
      'tickets_by_requester',
      'tickets_by_assignee',
      'tickets_by_thread',
      'tickets_by_created',
    ]);
    expect(names(models.inbound)).toEqual(['inbound_by_at']);
    expect(names(models.identities)).toEqual(['identities_by_user', 'identities_by_person']);
    expect(names(models.messageLinks)).toEqual(['message_links_by_message']);
    expect(names(models.events)).toEqual(['events_by_ticket']);
  });

  it('maps documents back to domain records without _id and with absent fields absent', () => {
    const doc = { ...map.newTicketDoc(newTicket({ dueAt: undefined, sourceKey: 'k' })), _id: 1001 };
    const ticket = map.toTicket(doc);
    expect(ticket).toStrictEqual({
      ...newTicket({ dueAt: undefined, sourceKey: 'k' }),
      number: 1001,
      version: 1,
    });
    expect('_id' in ticket || 'dueAt' in ticket).toBe(false);
    expect(map.toPerson({ _id: 'bob', name: 'Bob', role: 'engineer', createdAt: T0 })).toStrictEqual({
      id: 'bob',
      name: 'Bob',
      role: 'engineer',
      createdAt: T0,
    });
  });

  it('carries a language both ways, refuses an unknown one, and reads a foreign stored one as absent', () => {
    const anna = {
      id: 'anna',
      name: 'Anna',
      role: 'subscriber',
      customerId: 'acme',
      locale: 'en',
      createdAt: T0,
    } as const;
    expect(map.personDoc(anna)).toMatchObject({ _id: 'anna', locale: 'en' });
    expect(map.toPerson(map.personDoc(anna))).toStrictEqual(anna);
    const staff = {
      platform: 'slack',
      chatId: 'C1',
      kind: 'staff',
      locale: 'zh-CN',
      autoMode: false,
      boundAt: T0,
    } as const;
    expect(map.toGroup(map.groupDoc(staff))).toStrictEqual(staff);
    expect(() => map.personDoc({ ...anna, locale: 'fr' as never })).toThrow(/person\.locale/);
    expect(() => map.groupDoc({ ...staff, locale: { $ne: null } as never })).toThrow(/group\.locale/);
    expect(
      'locale' in map.toPerson({ _id: 'x', name: 'X', role: 'engineer', locale: 'fr', createdAt: T0 }),
    ).toBe(false);
  });

  it('turns a patch into $set, $unset for null, and a version bump', () => {
    const update = ticketUpdate(
      checkPatch({ assigneeId: null, status: 'claimed', dueAt: null, updatedAt: T0 }),
    );
    expect(update).toEqual({
      $set: { status: 'claimed', updatedAt: T0 },
      $unset: { assigneeId: '', dueAt: '' },
      $inc: { version: 1 },
    });
    expect(ticketUpdate(checkPatch({ updatedAt: T0 }))).toEqual({
      $set: { updatedAt: T0 },
      $inc: { version: 1 },
    });
  });

  it('builds the queue pipeline: filters, deadline-less last, limit', () => {
    const pipeline = ticketPipeline(
      checkQuery({ customerId: 'acme', statuses: ['open', 'open'], dueBefore: T0 }),
    );
    expect(pipeline[0]).toEqual({
      $match: { customerId: 'acme', status: { $in: ['open'] }, firstResponseAt: null, dueAt: { $lt: T0 } },
    });
    expect(pipeline[2]).toEqual({ $sort: { priority: 1, noDeadline: 1, dueAt: 1, _id: 1 } });
    expect(pipeline[3]).toEqual({ $limit: 50 });
  });

  it('keeps the operators the store builds (trusted) and neutralises any smuggled in a value', () => {
    // _castConditions is where mongoose applies sanitizeFilter before sending a query.
    type Castable = { _castConditions(): void; getFilter(): Record<string, unknown> };
    const ours = models.subscriptions.find({ _id: 's', trainingUsed: mongoose.trusted({ $lt: 3 }) });
    (ours as unknown as Castable)._castConditions();
    const filter = (ours as unknown as Castable).getFilter();
    expect(filter._id).toBe('s');
    expect(Object.entries(filter.trainingUsed as object)).toEqual([['$lt', 3]]); // not wrapped in $eq
    const smuggled = models.customers.find({ name: { $ne: null } as never });
    (smuggled as unknown as Castable)._castConditions();
    expect((smuggled as unknown as Castable).getFilter()).toEqual({ name: { $eq: { $ne: null } } });
  });

  it('turns every exported record into a valid document for migrate, and refuses a wrong one', async () => {
    const source = openSqliteStore(':memory:');
    await fillSource(source);
    const records = await collect(source.exportAll());
    await source.close();
    const collections = collectionsOf(models);
    for (const record of records) {
      const doc = importDoc(record);
      const model = collections[record.kind as keyof typeof collections] as unknown as new (
        d: object,
      ) => { validate(): Promise<unknown> };
      expect([record.kind, await new model(doc).validate()]).toEqual([record.kind, undefined]);
    }
    const ticket = records.find((r) => r.kind === 'ticket')!;
    expect(importDoc(ticket)).toMatchObject({ _id: 1001, version: 2, status: 'claimed', assigneeId: 'bob' });
    expect(() => importDoc({ ...ticket, record: { ...ticket.record, number: '1001' } })).toThrow(StoreError);
    expect(() => importDoc({ kind: 'reminder' as never, record: {} })).toThrow(/record\.kind/);
  });

  it('translates driver errors into the store’s codes', () => {
    const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
    expect(toStoreError(named('MongoServerSelectionError'))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(toStoreError(named('MongoNetworkError'))).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(toStoreError(named('ValidationError'))).toMatchObject({ code: 'STORE_INVALID_VALUE' });
    const other = new Error('boom');
    expect(toStoreError(other)).toBe(other);
  });

  it('takes the socket errors of a server that went away for an outage, whatever wraps them', () => {
    // What a killed FerretDB gave the driver in test/integration/mongo.outage.test.ts.
    const ended = Object.assign(new Error('This socket has been ended by the other party'), {
      code: 'EPIPE',
    });
    expect(toStoreError(ended)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const bulk = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4000'), {
      name: 'MongoBulkWriteError',
    });
    expect(toStoreError(bulk)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const wrapped = new Error('write failed', {
      cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(toStoreError(wrapped)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const duplicate = Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
    expect(toStoreError(duplicate)).toBe(duplicate);
  });

  it('fails fast with STORE_UNAVAILABLE when no server answers', async () => {
    const port = await closedPort();
    const opening = openMongoStore({
      uri: `mongodb://127.0.0.1:${port}/groupdesk`,
      serverSelectionTimeoutMS: 300,
    });
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});
