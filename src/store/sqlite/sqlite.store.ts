/**
 * The embedded store: one SQLite file (libsql's synchronous, better-sqlite3-compatible
 * API). Every method runs to completion synchronously inside its promise, so calls from
 * one process never interleave; calls from other processes sharing the file are kept
 * apart by SQLite's write lock (BEGIN IMMEDIATE plus busy_timeout).
 */
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
  NewTicket,
  PeopleQuery,
  Store,
  TicketPatch,
  TicketQuery,
} from '../../core/ports';
import { StoreError } from '../errors';
import { checkPatch, checkQuery } from '../ticket-inputs';
import { integer, oneOf, text } from '../values';
import { type ConnectionOptions, type Db, immediate, openDatabase, StatementCache } from './connection';
import * as rows from './rows';
import {
  connectionOptions,
  exportSnapshot,
  mapAll,
  mapOne,
  translateMissingReference,
} from './sqlite.helpers';
import { prepareStatements, type Statements } from './statements';
import { ticketSelect, ticketUpdate } from './ticket.sql';

export interface SqliteStoreOptions extends Partial<ConnectionOptions> {
  /** Path of the database file (its directory is created if missing), or `:memory:`. */
  readonly file: string;
}

/** The Store port on SQLite; SqliteStore (sqlite.sla.ts) adds the SLA reminder ledger. */
export class SqliteBaseStore implements Store {
  protected readonly db: Db;
  private readonly sql: Statements;
  private readonly shapes: StatementCache;
  private closed = false;

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openDatabase(options.file, connectionOptions(options));
    this.sql = prepareStatements(this.db);
    this.shapes = new StatementCache(this.db);
  }

  async claimInbound(key: string, at: number): Promise<boolean> {
    return this.open().claimInbound.run(text(key, 'inbound.key'), integer(at, 'inbound.at')).changes === 1;
  }

  async releaseInbound(key: string): Promise<void> {
    this.open().releaseInbound.run(text(key, 'inbound.key'));
  }

  /** Forgets inbound keys claimed before `olderThan` (ms); returns how many. Not part of the port. */
  async pruneInbound(olderThan: number): Promise<number> {
    return this.open().pruneInbound.run(integer(olderThan, 'olderThan')).changes;
  }

  async putCustomer(customer: Customer): Promise<void> {
    this.open().putCustomer.run(rows.customerParams(customer));
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    return mapOne(this.open().getCustomer.get(text(id, 'customer.id')), rows.toCustomer);
  }

  async listCustomers(): Promise<Customer[]> {
    return mapAll(this.open().listCustomers.all(), rows.toCustomer);
  }

  async putSubscription(subscription: Subscription): Promise<void> {
    this.open().putSubscription.run(rows.subscriptionParams(subscription));
  }

  async listSubscriptions(customerId: string): Promise<Subscription[]> {
    const found = this.open().listSubscriptions.all(text(customerId, 'subscription.customerId'));
    return mapAll(found, rows.toSubscription);
  }

  async consumeTraining(subscriptionId: string, quota: number): Promise<boolean> {
    const id = text(subscriptionId, 'subscription.id');
    return this.open().consumeTraining.run(id, integer(quota, 'quota')).changes === 1;
  }

  async putPerson(person: Person): Promise<void> {
    this.open().putPerson.run(rows.personParams(person));
  }

  async getPerson(id: string): Promise<Person | undefined> {
    return mapOne(this.open().getPerson.get(text(id, 'person.id')), rows.toPerson);
  }

  /** Its identities go with it (ON DELETE CASCADE); its tickets keep the id as history. */
  async deletePerson(id: string): Promise<void> {
    this.open().deletePerson.run(text(id, 'person.id'));
  }

  async listPeople(query: PeopleQuery): Promise<Person[]> {
    this.open();
    const where: string[] = [];
    const params: rows.Params = {};
    if (query.role !== undefined) {
      where.push('role = :role');
      params.role = oneOf(query.role, ROLES, 'query.role');
    }
    if (query.customerId !== undefined) {
      where.push('customer_id = :customer_id');
      params.customer_id = text(query.customerId, 'query.customerId');
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `;
    const statement = this.shapes.get(`people:${clause}`, () => `SELECT * FROM people ${clause}ORDER BY id`);
    return mapAll(statement.all(params), rows.toPerson);
  }

  async putIdentity(identity: Identity): Promise<void> {
    translateMissingReference(() => this.open().putIdentity.run(rows.identityParams(identity)), 'person');
  }

  async findPersonByIdentity(platform: Platform, userId: string): Promise<Person | undefined> {
    const found = this.open().findPersonByIdentity.get(text(platform, 'platform'), text(userId, 'userId'));
    return mapOne(found, rows.toPerson);
  }

  async listIdentities(personId: string): Promise<Identity[]> {
    return mapAll(this.open().listIdentities.all(text(personId, 'person.id')), rows.toIdentity);
  }

  async putGroup(group: Group): Promise<void> {
    this.open().putGroup.run(rows.groupParams(group));
  }

  async getGroup(platform: Platform, chatId: string): Promise<Group | undefined> {
    return mapOne(this.open().getGroup.get(text(platform, 'platform'), text(chatId, 'chatId')), rows.toGroup);
  }

  async listGroups(kind?: GroupKind): Promise<Group[]> {
    const sql = this.open();
    const found =
      kind === undefined
        ? sql.listGroups.all()
        : sql.listGroupsOfKind.all(oneOf(kind, GROUP_KINDS, 'group.kind'));
    return mapAll(found, rows.toGroup);
  }

  async createTicket(ticket: NewTicket, firstEvent: NewEvent): Promise<{ ticket: Ticket; created: boolean }> {
    const sql = this.open();
    // Both are checked before the write lock is taken; the event gets its number inside.
    const params = rows.newTicketParams(ticket);
    const eventParams = rows.eventParams(0, firstEvent);
    return immediate(this.db, () => {
      const existing = sql.ticketBySourceKey.get(params.source_key) as rows.TicketRow | undefined;
      if (existing !== undefined) return { ticket: rows.toTicket(existing), created: false };
      const { value: number } = sql.nextTicketNumber.get() as { value: number };
      const row = sql.insertTicket.get({ ...params, number }) as rows.TicketRow;
      sql.insertEvent.run({ ...eventParams, ticket_number: number });
      return { ticket: rows.toTicket(row), created: true };
    });
  }

  async getTicket(number: number): Promise<Ticket | undefined> {
    return mapOne(this.open().getTicket.get(integer(number, 'ticket.number')), rows.toTicket);
  }

  async findTicketByThread(
    platform: Platform,
    chatId: string,
    threadId: string,
  ): Promise<Ticket | undefined> {
    const found = this.open().findTicketByThread.get(
      text(platform, 'platform'),
      text(chatId, 'chatId'),
      text(threadId, 'threadId'),
    );
    return mapOne(found, rows.toTicket);
  }

  async updateTicket(
    number: number,
    expectedVersion: number,
    patch: TicketPatch,
    events: readonly NewEvent[],
  ): Promise<Ticket | undefined> {
    const sql = this.open();
    const ticketNumber = integer(number, 'ticket.number');
    const version = integer(expectedVersion, 'expectedVersion');
    const update = ticketUpdate(this.shapes, ticketNumber, version, checkPatch(patch));
    const eventParams = events.map((event) => rows.eventParams(ticketNumber, event));
    return immediate(this.db, () => {
      const row = update.statement.get(update.params) as rows.TicketRow | undefined;
      if (row === undefined) return undefined; // someone else changed it first (or no such ticket)
      for (const params of eventParams) sql.insertEvent.run(params);
      return rows.toTicket(row);
    });
  }

  async addEvent(ticketNumber: number, event: NewEvent): Promise<void> {
    const params = rows.eventParams(ticketNumber, event);
    translateMissingReference(() => this.open().insertEvent.run(params), 'ticket');
  }

  async listEvents(ticketNumber: number): Promise<TicketEvent[]> {
    return mapAll(this.open().listEvents.all(integer(ticketNumber, 'ticket.number')), rows.toEvent);
  }

  async queryTickets(query: TicketQuery): Promise<Ticket[]> {
    this.open();
    const select = ticketSelect(this.shapes, checkQuery(query));
    return mapAll(select.statement.all(select.params), rows.toTicket);
  }

  async latestTicketOf(requesterId: string, platform: Platform, chatId: string): Promise<Ticket | undefined> {
    const found = this.open().latestTicketOf.get(
      text(requesterId, 'requesterId'),
      text(platform, 'platform'),
      text(chatId, 'chatId'),
    );
    return mapOne(found, rows.toTicket);
  }

  async linkMessage(link: MessageLink): Promise<void> {
    const params = rows.messageLinkParams(link);
    translateMissingReference(() => this.open().linkMessage.run(params), 'ticket');
  }

  async findTicketByMessage(
    platform: Platform,
    chatId: string,
    messageId: string,
  ): Promise<Ticket | undefined> {
    const found = this.open().findTicketByMessage.get(
      text(platform, 'platform'),
      text(chatId, 'chatId'),
      text(messageId, 'messageId'),
    );
    return mapOne(found, rows.toTicket);
  }

  /** Streams every record from one consistent snapshot (see exportSnapshot). */
  exportAll(): AsyncIterable<ExportRecord> {
    this.open();
    return exportSnapshot(this.db, this.options.file, connectionOptions(this.options));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** The prepared statements, or a clean rejection once closed (libsql must not see a closed handle). */
  protected open(): Statements {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the SQLite store is closed');
    return this.sql;
  }
}
