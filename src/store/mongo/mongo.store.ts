/**
 * The MongoDB store, through mongoose: a thin translation of the Store port into
 * single-document atomic operations, so that several bot processes can share one
 * database (see docs/storage.md for the multi-instance argument). This is its Store half;
 * MongoStore (mongo.sla.ts) adds the SLA reminder ledger, as SqliteStore does on SQLite.
 *
 * - Every "exactly one wins" rests on the insert of a unique key, which MongoDB and the
 *   compatible engines (FerretDB 1.x, whose updates are not atomic) all enforce
 *   (mongo.claims.ts): ticket numbers, version compare-and-set, training bookings,
 *   reminder claims, and de-duplication (inbound `_id`, tickets.sourceKey), where a
 *   duplicate-key error (11000) is the answer "seen before", never a failure.
 * - A ticket and its events are written in one transaction when the deployment has them
 *   (replica set or sharded cluster); on a standalone server they are written in order.
 * - Every value is checked (../values.ts) before it reaches a query, every operator in a
 *   filter is built here and marked trusted, and the connection sanitises filters.
 */
import mongoose, { type Connection } from 'mongoose';
import type { Platform } from '../../core/chat';
import type {
  Customer,
  Group,
  GroupKind,
  Identity,
  Person,
  Subscription,
  Ticket,
  TicketEvent,
} from '../../core/model';
import { GROUP_KINDS, ROLES } from '../../core/model';
import type {
  ExportRecord,
  MessageLink,
  NewEvent,
  NewOutbound,
  NewTicket,
  Outbound,
  OutboundOutcome,
  OutboxQuery,
  PeopleQuery,
  Store,
  TicketPatch,
  TicketQuery,
} from '../../core/ports';
import { StoreError } from '../errors';
import type { Importable } from '../importable';
import { checkPatch, checkQuery } from '../ticket-inputs';
import { integer, oneOf, text } from '../values';
import { insertClaim, pruneClaims } from './mongo.claims';
import { isDuplicateKey, toStoreError } from './mongo.errors';
import type { MongoFeatures } from './mongo.features';
import { clearIn, importInto, isEmptyIn } from './mongo.import';
import { readMacro } from './mongo.macros';
import * as map from './mongo.mappers';
import { MongoOutbox } from './mongo.outbox';
import type { Models, SubscriptionDoc } from './mongo.schemas';
import { type Atomically, inSession, mapOne, missing, retryOnDuplicate } from './mongo.support';
import { TicketOps } from './mongo.ticket-ops';
import { bookedTraining, firstFreeSlot, releaseBooked, releaseSlots, withBooked } from './mongo.training';

const { trusted } = mongoose;

/** The Store port on MongoDB; open the full store (MongoStore) with openMongoStore (mongo.connect.ts). */
/** Where sameDatabaseAs leaves its marker for a moment. */
const IDENTITY = 'groupdesk_identity';

export class MongoBaseStore implements Store, Importable {
  private closed = false;
  private readonly tickets: TicketOps;
  private readonly outbox: MongoOutbox;
  protected readonly atomically: Atomically;

  constructor(
    private readonly connection: Connection,
    protected readonly m: Models,
    /** What the server can do (mongo.features.ts), learnt from it at open. */
    readonly features: MongoFeatures,
  ) {
    this.atomically = (fn) =>
      features.transactions ? connection.transaction((session) => fn(session)) : fn(undefined);
    this.tickets = new TicketOps(m, this.atomically, features);
    this.outbox = new MongoOutbox(m);
  }

  /** Whether multi-document writes run in a transaction (replica set or sharded cluster). */
  get transactions(): boolean {
    return this.features.transactions;
  }

  /**
   * No unit of work here: FerretDB 1.x has no multi-document transactions, so `work`'s writes
   * commit one by one (a crash between the change and its outbox rows loses the rows:
   * docs/storage.md, "crash window").
   */
  readonly atomicUnits = false;

  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  async commitUnit(): Promise<void> {}

  async claimInbound(key: string, at: number): Promise<boolean> {
    const doc = { _id: text(key, 'inbound.key'), at: integer(at, 'inbound.at') };
    return this.run(async () => {
      try {
        await this.m.inbound.create(doc);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    });
  }

  async releaseInbound(key: string): Promise<void> {
    const id = text(key, 'inbound.key');
    await this.run(() => this.m.inbound.deleteOne({ _id: id }));
  }

  /**
   * Forgets inbound keys claimed before `olderThan` (ms); returns how many. Old version and
   * reminder claims go too (nothing reads a claim once its write is done; training
   * bookings stay, they are the quota's record).
   */
  async pruneInbound(olderThan: number): Promise<number> {
    const before = integer(olderThan, 'olderThan');
    return this.run(async () => {
      await pruneClaims(this.m.ticketVersions, before);
      await pruneClaims(this.m.reminderClaims, before);
      return (await this.m.inbound.deleteMany({ at: trusted({ $lt: before }) })).deletedCount;
    });
  }

  async putCustomer(customer: Customer): Promise<void> {
    const doc = map.customerDoc(customer);
    await this.run(() =>
      this.m.customers.replaceOne({ _id: doc._id }, doc, { upsert: true, runValidators: true }),
    );
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const key = text(id, 'customer.id');
    return this.run(async () => mapOne(await this.m.customers.findById(key).lean().exec(), map.toCustomer));
  }

  async listCustomers(): Promise<Customer[]> {
    return this.run(async () =>
      (await this.m.customers.find().sort({ _id: 1 }).lean().exec()).map(map.toCustomer),
    );
  }

  async putSubscription(subscription: Subscription): Promise<void> {
    const doc = map.subscriptionDoc(subscription);
    await this.run(async () => {
      await this.m.subscriptions.replaceOne({ _id: doc._id }, doc, { upsert: true, runValidators: true });
      await releaseSlots(this.m.trainingSlots, doc._id, doc.trainingUsed);
    });
  }

  async listSubscriptions(customerId: string): Promise<Subscription[]> {
    const id = text(customerId, 'subscription.customerId');
    return this.run(async () => {
      const docs = await this.m.subscriptions
        .find({ customerId: id })
        .sort({ endsAt: -1, _id: 1 })
        .lean()
        .exec();
      const booked = await bookedTraining(
        this.m.trainingSlots,
        docs.map((d) => d._id),
      );
      return docs.map((d) => withBooked(map.toSubscription(d), booked));
    });
  }

  /**
   * Books the first free session `<subscription>#<n>` (each a unique insert, so two bookings
   * never take one place), then raises `trainingUsed` past it (mongo.training.ts).
   */
  async consumeTraining(subscriptionId: string, quota: number): Promise<boolean> {
    const id = text(subscriptionId, 'subscription.id');
    const limit = integer(quota, 'quota');
    return this.run(async () => {
      const subscription = await this.m.subscriptions.findById(id).select({ trainingUsed: 1 }).lean().exec();
      if (subscription === null) return false;
      const first = await firstFreeSlot(this.m.trainingSlots, id, subscription.trainingUsed);
      for (let n = first; n < limit; n++) {
        if (!(await insertClaim(this.m.trainingSlots, { _id: `${id}#${n}`, at: Date.now() }))) continue;
        await this.m.subscriptions.updateOne({ _id: id }, { $max: { trainingUsed: n + 1 } });
        return true;
      }
      return false;
    });
  }

  async releaseTraining(subscriptionId: string): Promise<boolean> {
    const id = text(subscriptionId, 'subscription.id');
    return this.run(() => releaseBooked(this.m.subscriptions, this.m.trainingSlots, id));
  }

  async putPerson(person: Person): Promise<void> {
    const doc = map.personDoc(person);
    await this.run(() =>
      this.m.people.replaceOne({ _id: doc._id }, doc, { upsert: true, runValidators: true }),
    );
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const key = text(id, 'person.id');
    return this.run(async () => mapOne(await this.m.people.findById(key).lean().exec(), map.toPerson));
  }

  async deletePerson(id: string): Promise<void> {
    const key = text(id, 'person.id');
    await this.run(() =>
      this.atomically(async (session) => {
        await this.m.people.deleteOne({ _id: key }, inSession(session));
        await this.m.identities.deleteMany({ personId: key }, inSession(session));
      }),
    );
  }

  async listPeople(query: PeopleQuery): Promise<Person[]> {
    const filter = {
      ...(query.role !== undefined && { role: oneOf(query.role, ROLES, 'query.role') }),
      ...(query.customerId !== undefined && { customerId: text(query.customerId, 'query.customerId') }),
    };
    return this.run(async () =>
      (await this.m.people.find(filter).sort({ _id: 1 }).lean().exec()).map(map.toPerson),
    );
  }

  async putIdentity(identity: Identity): Promise<void> {
    const doc = map.identityDoc(identity);
    await this.run(async () => {
      if ((await this.m.people.exists({ _id: doc.personId })) === null) throw missing('person');
      await retryOnDuplicate(() =>
        this.m.identities.updateOne(
          { platform: doc.platform, userId: doc.userId },
          { $set: { personId: doc.personId } },
          { upsert: true, runValidators: true },
        ),
      );
    });
  }

  async findPersonByIdentity(platform: Platform, userId: string): Promise<Person | undefined> {
    const filter = { platform: text(platform, 'platform'), userId: text(userId, 'userId') };
    return this.run(async () => {
      const identity = await this.m.identities.findOne(filter).lean().exec();
      if (identity === null) return undefined;
      return mapOne(await this.m.people.findById(identity.personId).lean().exec(), map.toPerson);
    });
  }

  async listIdentities(personId: string): Promise<Identity[]> {
    const id = text(personId, 'person.id');
    return this.run(async () =>
      (await this.m.identities.find({ personId: id }).sort({ platform: 1, userId: 1 }).lean().exec()).map(
        map.toIdentity,
      ),
    );
  }

  async putGroup(group: Group): Promise<void> {
    const doc = map.groupDoc(group);
    await this.run(() =>
      retryOnDuplicate(() =>
        this.m.groups.replaceOne({ platform: doc.platform, chatId: doc.chatId }, doc, {
          upsert: true,
          runValidators: true,
        }),
      ),
    );
  }

  async getGroup(platform: Platform, chatId: string): Promise<Group | undefined> {
    const filter = { platform: text(platform, 'platform'), chatId: text(chatId, 'chatId') };
    return this.run(async () => mapOne(await this.m.groups.findOne(filter).lean().exec(), map.toGroup));
  }

  async listGroups(kind?: GroupKind): Promise<Group[]> {
    const filter = kind === undefined ? {} : { kind: oneOf(kind, GROUP_KINDS, 'group.kind') };
    return this.run(async () =>
      (await this.m.groups.find(filter).sort({ platform: 1, chatId: 1 }).lean().exec()).map(map.toGroup),
    );
  }

  async createTicket(ticket: NewTicket, firstEvent: NewEvent): Promise<{ ticket: Ticket; created: boolean }> {
    const doc = map.newTicketDoc(ticket);
    const event = map.eventDoc(0, firstEvent);
    return this.run(() => this.tickets.create(doc, event));
  }

  async getTicket(number: number): Promise<Ticket | undefined> {
    const id = integer(number, 'ticket.number');
    return this.run(() => this.tickets.get(id));
  }

  async findTicketByThread(
    platform: Platform,
    chatId: string,
    threadId: string,
  ): Promise<Ticket | undefined> {
    const args = [text(platform, 'platform'), text(chatId, 'chatId'), text(threadId, 'threadId')] as const;
    return this.run(() => this.tickets.byThread(...args));
  }

  async updateTicket(
    number: number,
    expectedVersion: number,
    patch: TicketPatch,
    events: readonly NewEvent[],
  ): Promise<Ticket | undefined> {
    const id = integer(number, 'ticket.number');
    const version = integer(expectedVersion, 'expectedVersion');
    const fields = checkPatch(patch);
    const docs = events.map((event) => map.eventDoc(id, event));
    return this.run(() => this.tickets.update(id, version, fields, docs));
  }

  async addEvent(ticketNumber: number, event: NewEvent): Promise<void> {
    const doc = map.eventDoc(ticketNumber, event);
    await this.run(() => this.tickets.addEvent(doc));
  }

  async listEvents(ticketNumber: number): Promise<TicketEvent[]> {
    const id = integer(ticketNumber, 'ticket.number');
    return this.run(() => this.tickets.events(id));
  }

  async queryTickets(query: TicketQuery): Promise<Ticket[]> {
    const checked = checkQuery(query);
    return this.run(() => this.tickets.query(checked));
  }

  async latestTicketOf(requesterId: string, platform: Platform, chatId: string): Promise<Ticket | undefined> {
    const args = [
      text(requesterId, 'requesterId'),
      text(platform, 'platform'),
      text(chatId, 'chatId'),
    ] as const;
    return this.run(() => this.tickets.latestOf(...args));
  }

  async linkMessage(link: MessageLink): Promise<void> {
    const doc = map.messageLinkDoc(link);
    await this.run(() => this.tickets.link(doc));
  }

  async findTicketByMessage(
    platform: Platform,
    chatId: string,
    messageId: string,
  ): Promise<Ticket | undefined> {
    const args = [text(platform, 'platform'), text(chatId, 'chatId'), text(messageId, 'messageId')] as const;
    return this.run(() => this.tickets.byMessage(...args));
  }

  /** Streams every collection through a cursor, in ExportRecord order. Not a snapshot across collections. */
  async *exportAll(): AsyncIterable<ExportRecord> {
    this.assertOpen();
    const m = this.m;
    const booked = await bookedTraining(m.trainingSlots);
    const toSubscription = (d: SubscriptionDoc) => withBooked(map.toSubscription(d), booked);
    const sources = [
      ['customer', m.customers.find().sort({ _id: 1 }), map.toCustomer],
      ['subscription', m.subscriptions.find().sort({ _id: 1 }), toSubscription],
      ['person', m.people.find().sort({ _id: 1 }), map.toPerson],
      ['identity', m.identities.find().sort({ platform: 1, userId: 1 }), map.toIdentity],
      ['group', m.groups.find().sort({ platform: 1, chatId: 1 }), map.toGroup],
      ['ticket', m.tickets.find().sort({ _id: 1 }), map.toTicket],
      ['event', m.events.find().sort({ ticketNumber: 1, at: 1, _id: 1 }), map.toEvent],
      [
        'message_link',
        m.messageLinks.find().sort({ platform: 1, chatId: 1, messageId: 1 }),
        map.toMessageLink,
      ],
      ['macro', m.macros.find().sort({ name: 1, locale: 1 }), readMacro],
    ] as const;
    for (const [kind, query, toRecord] of sources) {
      try {
        for await (const doc of query.lean().cursor())
          yield { kind, record: (toRecord as (d: unknown) => object)(doc) };
      } catch (error) {
        throw toStoreError(error);
      }
    }
  }

  /** Importable (../importable.ts), for `groupdesk migrate`. */
  async isEmpty(): Promise<boolean> {
    return this.run(() => isEmptyIn(this.m));
  }

  async clearAll(): Promise<void> {
    await this.run(() => clearIn(this.m));
  }

  async importRecords(records: readonly ExportRecord[]): Promise<void> {
    await this.run(() => importInto(this.m, records));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }

  /**
   * True when `other` is connected to this very database, however the two URIs spell it
   * (host aliases, DNS names, options): a marker written here is looked for there. For
   * `groupdesk migrate`, which must never copy a database onto itself.
   */
  async sameDatabaseAs(other: MongoBaseStore): Promise<boolean> {
    const id = `migrate-probe-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const marks = this.connection.db!.collection<{ _id: string }>(IDENTITY);
    await this.run(() => marks.insertOne({ _id: id }));
    try {
      return await other.hasIdentityMark(id);
    } finally {
      await this.run(() => marks.deleteOne({ _id: id })).catch(() => undefined);
    }
  }

  protected async hasIdentityMark(id: string): Promise<boolean> {
    const marks = this.connection.db!.collection<{ _id: string }>(IDENTITY);
    return this.run(async () => (await marks.findOne({ _id: id })) !== null);
  }

  enqueueOutbound(entries: readonly NewOutbound[], now: number): Promise<Outbound[]> {
    return this.run(() => this.outbox.enqueue(entries, now));
  }

  dueOutbound(now: number, limit: number): Promise<Outbound[]> {
    return this.run(() => this.outbox.due(now, limit));
  }

  claimOutbound(
    row: Outbound,
    owner: string,
    leaseUntil: number,
    now: number,
  ): Promise<Outbound | undefined> {
    return this.run(() => this.outbox.claim(row, owner, leaseUntil, now));
  }

  settleOutbound(id: string, owner: string, outcome: OutboundOutcome): Promise<boolean> {
    return this.run(() => this.outbox.settle(id, owner, outcome));
  }

  getOutbound(id: string): Promise<Outbound | undefined> {
    return this.run(() => this.outbox.get(id));
  }

  headOutbound(chat: string): Promise<Outbound | undefined> {
    return this.run(() => this.outbox.head(chat));
  }

  listOutbound(query: OutboxQuery): Promise<Outbound[]> {
    return this.run(() => this.outbox.list(query));
  }

  retryOutbound(id: string, now: number): Promise<boolean> {
    return this.run(() => this.outbox.retry(id, now));
  }

  dropOutbound(id: string, now: number): Promise<boolean> {
    return this.run(() => this.outbox.drop(id, now));
  }

  purgeOutbound(before: number): Promise<number> {
    return this.run(() => this.outbox.purge(before));
  }

  outboxDepth(): Promise<{ waiting: number; oldestAt?: number }> {
    return this.run(() => this.outbox.depth());
  }

  /** Drops the whole database (tests and `migrate --force` only). */
  async dropDatabase(): Promise<void> {
    await this.run(() => this.connection.dropDatabase());
  }

  /** Rejects after close() and translates driver errors into StoreErrors. */
  protected async run<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the MongoDB store is closed');
  }
}
