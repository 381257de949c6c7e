/**
 * The embedded store: one SQLite file (libsql's synchronous, better-sqlite3-compatible
 * API). Every method does its work synchronously when called, so calls from one process
 * never interleave; other processes sharing the file are kept apart by SQLite's write lock
 * (BEGIN IMMEDIATE plus busy_timeout). Writes are group-committed (group-commit.ts).
 * SqliteStore (sqlite.sla.ts) adds the SLA reminder ledger on the same connection.
 */
import Database from 'libsql';
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
import { type ConnectionOptions, type Db, openDatabase, prepare, StatementCache } from './connection';
import { GroupCommit } from './group-commit';
import { IMPORT_SQL, type ImportRow, importRow } from './import';
import { SqliteOutbox } from './outbox';
import * as bind from './params';
import * as rows from './rows';
import { readMacro } from './sqlite.macros';
import { EXPORT_SQL, prepareStatements, type Statements } from './statements';
import { ticketSelect, ticketUpdate } from './ticket.sql';

export interface SqliteStoreOptions extends Partial<ConnectionOptions> {
  /** Path of the database file (its directory is created if missing), or `:memory:`. */
  readonly file: string;
}

/** The Store port on SQLite; SqliteStore (sqlite.sla.ts) adds the SLA reminder ledger. */
export class SqliteBaseStore implements Store, Importable {
  protected readonly db: Db;
  private readonly sql: Statements;
  private readonly shapes: StatementCache;
  private readonly batch: GroupCommit;
  private readonly outbox: SqliteOutbox;
  private closed = false;

  constructor(private readonly options: SqliteStoreOptions) {
    this.db = openDatabase(options.file, connectionOptions(options));
    this.sql = prepareStatements(this.db);
    this.shapes = new StatementCache(this.db);
    this.batch = new GroupCommit(this.db);
    this.outbox = new SqliteOutbox(this.db, {
      write: (fn, atomic) => this.write(fn, atomic),
      read: (fn) => this.read(fn),
    });
  }

  readonly atomicUnits = true;

  /** One SAVEPOINT in the group commit (group-commit.ts): all of `work`'s writes commit together, or none. */
  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    this.open();
    return this.batch.unit(work);
  }

  commitUnit(): Promise<void> {
    return this.batch.commitUnit();
  }

  async claimInbound(key: string, at: number): Promise<boolean> {
    const args = [text(key, 'inbound.key'), integer(at, 'inbound.at')];
    return this.write((sql) => sql.claimInbound.run(...args).changes === 1);
  }

  async releaseInbound(key: string): Promise<void> {
    const checked = text(key, 'inbound.key');
    await this.write((sql) => sql.releaseInbound.run(checked));
  }

  /** Forgets inbound keys claimed before `olderThan` (ms); returns how many. Not part of the port. */
  async pruneInbound(olderThan: number): Promise<number> {
    const before = integer(olderThan, 'olderThan');
    return this.write((sql) => sql.pruneInbound.run(before).changes);
  }

  async putCustomer(customer: Customer): Promise<void> {
    const params = bind.customerParams(customer);
    await this.write((sql) => sql.putCustomer.run(params));
  }

  async getCustomer(id: string): Promise<Customer | undefined> {
    const checked = text(id, 'customer.id');
    return this.read((sql) => mapOne(sql.getCustomer.get(checked), rows.readCustomer));
  }

  async listCustomers(): Promise<Customer[]> {
    return this.read((sql) => rows.readList(sql.listCustomers.get(), rows.readCustomer));
  }

  async putSubscription(subscription: Subscription): Promise<void> {
    const params = bind.subscriptionParams(subscription);
    await this.write((sql) => sql.putSubscription.run(params));
  }

  async listSubscriptions(customerId: string): Promise<Subscription[]> {
    const checked = text(customerId, 'subscription.customerId');
    return this.read((sql) => rows.readList(sql.listSubscriptions.get(checked), rows.readSubscription));
  }

  async releaseTraining(subscriptionId: string): Promise<boolean> {
    const id = text(subscriptionId, 'subscription.id');
    return this.write((sql) => sql.releaseTraining.run(id).changes === 1);
  }

  async consumeTraining(subscriptionId: string, quota: number): Promise<boolean> {
    const args = [text(subscriptionId, 'subscription.id'), integer(quota, 'quota')];
    return this.write((sql) => sql.consumeTraining.run(...args).changes === 1);
  }

  async putPerson(person: Person): Promise<void> {
    const params = bind.personParams(person);
    await this.write((sql) => sql.putPerson.run(params));
  }

  async getPerson(id: string): Promise<Person | undefined> {
    const checked = text(id, 'person.id');
    return this.read((sql) => mapOne(sql.getPerson.get(checked), rows.readPerson));
  }

  /** Its identities go with it (ON DELETE CASCADE); its tickets keep the id as history. */
  async deletePerson(id: string): Promise<void> {
    const checked = text(id, 'person.id');
    await this.write((sql) => sql.deletePerson.run(checked));
  }

  async listPeople(query: PeopleQuery): Promise<Person[]> {
    const where: string[] = [];
    const params: bind.Params = {};
    if (query.role !== undefined) {
      where.push('role = :role');
      params.role = oneOf(query.role, ROLES, 'query.role');
    }
    if (query.customerId !== undefined) {
      where.push('customer_id = :customer_id');
      params.customer_id = text(query.customerId, 'query.customerId');
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `;
    return this.read(() => {
      const statement = this.shapes.get(`people:${clause}`, () =>
        rows.listSql(rows.PERSON_COLUMNS, `people ${clause}`, 'id'),
      );
      return rows.readList(statement.get(params), rows.readPerson);
    });
  }

  async putIdentity(identity: Identity): Promise<void> {
    const params = bind.identityParams(identity);
    await this.write((sql) => missingReference(() => sql.putIdentity.run(params), 'person'));
  }

  async findPersonByIdentity(platform: Platform, userId: string): Promise<Person | undefined> {
    const args = [text(platform, 'platform'), text(userId, 'userId')];
    return this.read((sql) => mapOne(sql.findPersonByIdentity.get(...args), rows.readPerson));
  }

  async listIdentities(personId: string): Promise<Identity[]> {
    const checked = text(personId, 'person.id');
    return this.read((sql) => rows.readList(sql.listIdentities.get(checked), rows.readIdentity));
  }

  async putGroup(group: Group): Promise<void> {
    const params = bind.groupParams(group);
    await this.write((sql) => sql.putGroup.run(params));
  }

  async getGroup(platform: Platform, chatId: string): Promise<Group | undefined> {
    const args = [text(platform, 'platform'), text(chatId, 'chatId')];
    return this.read((sql) => mapOne(sql.getGroup.get(...args), rows.readGroup));
  }

  async listGroups(kind?: GroupKind): Promise<Group[]> {
    const checked = kind === undefined ? undefined : oneOf(kind, GROUP_KINDS, 'group.kind');
    return this.read((sql) =>
      rows.readList(
        checked === undefined ? sql.listGroups.get() : sql.listGroupsOfKind.get(checked),
        rows.readGroup,
      ),
    );
  }

  async createTicket(ticket: NewTicket, firstEvent: NewEvent): Promise<{ ticket: Ticket; created: boolean }> {
    // Checked before the write lock is taken; the event gets its number inside.
    const row = bind.newTicketRow(ticket);
    const values = bind.NEW_TICKET_COLUMNS.map((column) => row[column]);
    const first = bind.eventRow(0, firstEvent);
    return this.write((sql) => {
      // One statement allocates the number and inserts, or inserts nothing for a known sourceKey.
      const inserted = sql.insertTicket.get(...values) as [number] | undefined;
      if (inserted === undefined) {
        return { ticket: rows.readTicket(sql.ticketBySourceKey.get(row.source_key)), created: false };
      }
      const [number] = inserted;
      sql.insertEvent.run(...bind.eventValues({ ...first, ticket_number: number }));
      // The stored row is exactly `row` plus number and version: no need to read it back.
      return { ticket: rows.toTicket({ ...row, number, version: 1 }), created: true };
    }, true);
  }

  async getTicket(number: number): Promise<Ticket | undefined> {
    const checked = integer(number, 'ticket.number');
    return this.read((sql) => mapOne(sql.getTicket.get(checked), rows.readTicket));
  }

  async findTicketByThread(
    platform: Platform,
    chatId: string,
    threadId: string,
  ): Promise<Ticket | undefined> {
    const args = [text(platform, 'platform'), text(chatId, 'chatId'), text(threadId, 'threadId')];
    return this.read((sql) => mapOne(sql.findTicketByThread.get(...args), rows.readTicket));
  }

  async updateTicket(
    number: number,
    expectedVersion: number,
    patch: TicketPatch,
    events: readonly NewEvent[],
  ): Promise<Ticket | undefined> {
    const ticketNumber = integer(number, 'ticket.number');
    const version = integer(expectedVersion, 'expectedVersion');
    const fields = checkPatch(patch);
    const eventValues = events.map((event) => bind.eventValues(bind.eventRow(ticketNumber, event)));
    return this.write((sql) => {
      const update = ticketUpdate(this.shapes, ticketNumber, version, fields);
      const row = update.statement.get(update.params);
      if (row === undefined) return undefined; // someone else changed it first (or no such ticket)
      for (const values of eventValues) sql.insertEvent.run(...values);
      return rows.readTicket(row);
    }, true);
  }

  async addEvent(ticketNumber: number, event: NewEvent): Promise<void> {
    const values = bind.eventValues(bind.eventRow(ticketNumber, event));
    await this.write((sql) => missingReference(() => sql.insertEvent.run(...values), 'ticket'));
  }

  async listEvents(ticketNumber: number): Promise<TicketEvent[]> {
    const checked = integer(ticketNumber, 'ticket.number');
    return this.read((sql) => rows.readList(sql.listEvents.get(checked), rows.readEvent));
  }

  async queryTickets(query: TicketQuery): Promise<Ticket[]> {
    const checked = checkQuery(query);
    return this.read(() => {
      const select = ticketSelect(this.shapes, checked);
      return rows.readList(select.statement.get(select.params), rows.readTicket);
    });
  }

  async latestTicketOf(requesterId: string, platform: Platform, chatId: string): Promise<Ticket | undefined> {
    const args = [text(requesterId, 'requesterId'), text(platform, 'platform'), text(chatId, 'chatId')];
    return this.read((sql) => mapOne(sql.latestTicketOf.get(...args), rows.readTicket));
  }

  async linkMessage(link: MessageLink): Promise<void> {
    const values = bind.messageLinkValues(link);
    await this.write((sql) => missingReference(() => sql.linkMessage.run(...values), 'ticket'));
  }

  async findTicketByMessage(
    platform: Platform,
    chatId: string,
    messageId: string,
  ): Promise<Ticket | undefined> {
    const args = [text(platform, 'platform'), text(chatId, 'chatId'), text(messageId, 'messageId')];
    return this.read((sql) => mapOne(sql.findTicketByMessage.get(...args), rows.readTicket));
  }

  enqueueOutbound(entries: readonly NewOutbound[], now: number): Promise<Outbound[]> {
    return this.outbox.enqueue(entries, now);
  }

  dueOutbound(now: number, limit: number): Promise<Outbound[]> {
    return this.outbox.due(now, limit);
  }

  claimOutbound(
    row: Outbound,
    owner: string,
    leaseUntil: number,
    now: number,
  ): Promise<Outbound | undefined> {
    return this.outbox.claim(row, owner, leaseUntil, now);
  }

  settleOutbound(id: string, owner: string, outcome: OutboundOutcome): Promise<boolean> {
    return this.outbox.settle(id, owner, outcome);
  }

  getOutbound(id: string): Promise<Outbound | undefined> {
    return this.outbox.get(id);
  }

  headOutbound(chat: string): Promise<Outbound | undefined> {
    return this.outbox.head(chat);
  }

  listOutbound(query: OutboxQuery): Promise<Outbound[]> {
    return this.outbox.list(query);
  }

  retryOutbound(id: string, now: number): Promise<boolean> {
    return this.outbox.retry(id, now);
  }

  dropOutbound(id: string, now: number): Promise<boolean> {
    return this.outbox.drop(id, now);
  }

  purgeOutbound(before: number): Promise<number> {
    return this.outbox.purge(before);
  }

  outboxDepth(): Promise<{ waiting: number; oldestAt?: number }> {
    return this.outbox.depth();
  }

  /**
   * Streams every record. For a file, the export reads through its own connection inside
   * one read transaction: a consistent snapshot (counts and checksums agree with each
   * other) that never blocks the bot's writes, thanks to WAL.
   */
  async *exportAll(): AsyncIterable<ExportRecord> {
    this.open();
    const memory = this.options.file === ':memory:';
    const db = memory ? this.db : openSnapshotReader(this.options.file, connectionOptions(this.options));
    try {
      if (!memory) db.exec('BEGIN');
      for (const [kind, sql] of Object.entries(EXPORT_SQL) as Array<[ExportRecord['kind'], string]>) {
        const read = EXPORT_READERS[kind];
        for (const values of prepare(db, sql).iterate()) yield { kind, record: read(values) };
      }
    } finally {
      if (!memory) {
        if (db.inTransaction) db.exec('COMMIT');
        db.close();
      }
    }
  }

  /** Importable (../importable.ts), for `groupdesk migrate`. */
  async isEmpty(): Promise<boolean> {
    return this.read(
      () => (this.shapes.get('import:isEmpty', () => IMPORT_SQL.isEmpty).get() as [number])[0] === 1,
    );
  }

  async clearAll(): Promise<void> {
    await this.write(() => this.db.exec(IMPORT_SQL.clearAll), true);
  }

  async importRecords(records: readonly ExportRecord[]): Promise<void> {
    const rows = records.map(importRow); // checked before the write lock is taken
    await this.write((sql) => {
      for (const { statement, values } of rows) {
        const prepared =
          statement === 'importTicket' || statement === 'importMacro'
            ? this.shapes.get(`import:${statement}`, () => IMPORT_SQL[statement])
            : sql[statement];
        if (isPositional(values)) prepared.run(...values);
        else prepared.run(values);
      }
    }, true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.batch.flush();
    // Fold the WAL into the file (libsql does not on close), so that a stopped bot's
    // groupdesk.sqlite alone holds everything. Another process still reading keeps its
    // WAL frames: then this is a partial checkpoint, which is fine.
    try {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // busy or read-only: the WAL stays, as before; nothing is lost
    }
    this.db.close();
  }

  /** Runs a write in the current group commit; settles once it is committed. */
  protected write<T>(fn: (sql: Statements) => T, atomic = false): Promise<T> {
    const sql = this.open();
    return this.batch.write(() => fn(sql), atomic);
  }

  /** Runs a read now; delivered once the open batch (whose writes it may see) is committed. */
  protected read<T>(fn: (sql: Statements) => T): Promise<T> {
    const sql = this.open();
    return this.batch.read(() => fn(sql));
  }

  /** The prepared statements, or a clean rejection once closed (libsql must not see a closed handle). */
  protected open(): Statements {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the SQLite store is closed');
    return this.sql;
  }
}

function connectionOptions(options: Partial<ConnectionOptions>): ConnectionOptions {
  return {
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    synchronous: options.synchronous ?? 'normal',
    ...(options.logger !== undefined && { logger: options.logger }),
  };
}

function openSnapshotReader(file: string, options: ConnectionOptions): Db {
  const db = new Database(file);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
  return db;
}

const EXPORT_READERS: { readonly [K in ExportRecord['kind']]: (values: unknown) => object } = {
  customer: rows.readCustomer,
  subscription: rows.readSubscription,
  person: rows.readPerson,
  identity: rows.readIdentity,
  group: rows.readGroup,
  ticket: rows.readTicket,
  event: rows.readEvent,
  message_link: rows.readMessageLink,
  macro: readMacro,
};

function isPositional(values: ImportRow['values']): values is ReadonlyArray<string | number | null> {
  return Array.isArray(values);
}

function mapOne<T>(values: unknown, read: (values: unknown) => T): T | undefined {
  return values === undefined ? undefined : read(values);
}

/** A foreign-key failure becomes the store-neutral "that ticket/person does not exist". */
function missingReference(write: () => unknown, parent: 'ticket' | 'person'): void {
  try {
    write();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new StoreError('STORE_MISSING_REFERENCE', `no such ${parent}`, { cause: error });
    }
    throw error;
  }
}
