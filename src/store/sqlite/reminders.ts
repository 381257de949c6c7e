/**
 * The SLA reminder ledger on SQLite: the SlaStore half of SqliteStore (see the rules on
 * SlaStore in src/core/ports.ts). A claim reads the earliest due rows and leases them in one
 * write, and a batch of outcomes is one atomic write whose statements are guarded by owner
 * and status, so two processes sharing the file can never both take or settle the same row.
 *
 * Every write goes through the store's group commit (group-commit.ts), never a
 * transaction of its own: one connection cannot open a second BEGIN inside the batch that
 * is open on it, and a claim resolves only once it is committed, like any store write.
 * Lists are read as one JSON row with get() (rows.listSql): libsql leaks native memory on
 * every all()/iterate(), and the tick runs several ledger reads a minute for ever.
 */
import type { Ticket } from '../../core/model';
import {
  type PlannedReminder,
  REMINDER_STATUSES,
  type Reminder,
  type ReminderOutcome,
  reminderKey,
} from '../../core/ports';
import { invalidValue } from '../errors';
import { batch, clampLimit } from '../reminder-inputs';
import { integer, oneOf, text } from '../values';
import { type Db, prepare, type Statement } from './connection';
import { OutcomeBatch } from './reminders.outcomes';
import { REMINDER_SQL } from './reminders.sql';
import { readList, readTicket } from './rows';

/** How the ledger reaches the store's connection: through its group commit (group-commit.ts). */
export interface LedgerAccess {
  /** Runs `fn` in the open batch (a savepoint when `atomic`); settles once committed. Throws when closed. */
  write<T>(fn: () => T, atomic?: boolean): Promise<T>;
  /** Runs `fn` now; delivered once the open batch is committed. Throws when closed. */
  read<T>(fn: () => T): Promise<T>;
}

/** A ledger row as REMINDER_COLUMNS lists it. */
type RawRow = [
  string,
  string,
  string,
  number,
  number,
  string,
  number,
  number,
  string,
  string | null,
  number | null,
  number | null,
  string | null,
  number,
];

export class SqliteReminderLedger {
  private readonly sql: { readonly [K in keyof typeof REMINDER_SQL]: Statement };

  constructor(
    db: Db,
    private readonly access: LedgerAccess,
  ) {
    const prepared = Object.entries(REMINDER_SQL).map(([name, sql]) => [name, prepare(db, sql)]);
    this.sql = Object.fromEntries(prepared) as never;
  }

  async schedule(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    await this.insert('schedule', reminders, now);
  }

  async skip(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    await this.insert('skip', reminders, now);
  }

  private async insert(kind: 'schedule' | 'skip', reminders: readonly PlannedReminder[], now: number) {
    const at = integer(now, 'now');
    const rows = batch(reminders, 'reminders').map((r) => {
      const subject = text(r.subject, 'reminder.subject');
      const stage = text(r.stage, 'reminder.stage');
      return [reminderKey(subject, stage), subject, stage, integer(r.dueAt, 'reminder.dueAt')];
    });
    if (rows.length === 0) return;
    const params = { rows: JSON.stringify(rows), now: at };
    await this.access.write(() => this.sql[kind].run(params));
  }

  cancel(subject: string, now: number): Promise<number> {
    const params = { subject: text(subject, 'subject'), now: integer(now, 'now') };
    return this.access.write(() => this.sql.cancel.run(params).changes);
  }

  due(now: number, limit: number): Promise<Reminder[]> {
    const params = { now: integer(now, 'now'), limit: clampLimit(limit) };
    return this.access.read(() => readList(this.sql.due.get(params), fromRow));
  }

  claim(owner: string, leaseUntil: number, now: number, limit: number): Promise<Reminder[]> {
    const params = {
      owner: text(owner, 'owner'),
      lease: integer(leaseUntil, 'leaseUntil'),
      now: integer(now, 'now'),
    };
    if (params.lease <= params.now) throw invalidValue('leaseUntil', 'a time after now', leaseUntil);
    const max = clampLimit(limit);
    return this.access.write(() => {
      // Under the write lock from this read to the update: the rows are exactly as read, now leased.
      const claimed = readList(this.sql.claimable.get({ ...params, limit: max }), fromRow);
      if (claimed.length === 0) return [];
      this.sql.claim.run({ ...params, keys: JSON.stringify(claimed.map((r) => r.key)) });
      return claimed;
    }, true);
  }

  settle(owner: string, outcomes: readonly ReminderOutcome[]): Promise<number> {
    const holder = text(owner, 'owner');
    const b = new OutcomeBatch();
    for (const o of batch(outcomes, 'outcomes')) b.add(o);
    if (b.size === 0) return Promise.resolve(0);
    return this.access.write(() => {
      // Events first, while the rows are still held: only outcomes that will be recorded write one.
      for (const { rows, ...shared } of b.alike.values())
        this.sql.eventsAlike.run({ ...shared, events: JSON.stringify(rows), owner: holder });
      if (b.events.length) this.sql.events.run({ events: JSON.stringify(b.events), owner: holder });
      let settled = 0;
      for (const [at, keys] of b.sentAt)
        settled += this.sql.settleSentAt.run({ at, keys: JSON.stringify(keys), owner: holder }).changes;
      if (b.sent.length)
        settled += this.sql.settleSent.run({ rows: JSON.stringify(b.sent), owner: holder }).changes;
      if (b.other.length)
        settled += this.sql.settleOther.run({ rows: JSON.stringify(b.other), owner: holder }).changes;
      return settled;
    }, true);
  }

  failedSince(since: number, limit: number): Promise<Reminder[]> {
    const params = { since: integer(since, 'since'), limit: clampLimit(limit) };
    return this.access.read(() => readList(this.sql.failedSince.get(params), fromRow));
  }

  list(subject: string): Promise<Reminder[]> {
    const params = { subject: text(subject, 'subject') };
    return this.access.read(() => readList(this.sql.bySubject.get(params), fromRow));
  }

  tickets(numbers: readonly number[]): Promise<Ticket[]> {
    const checked = batch(numbers, 'numbers').map((n) => integer(n, 'ticket.number'));
    if (checked.length === 0) return Promise.resolve([]);
    const params = { numbers: JSON.stringify(checked) };
    return this.access.read(() => readList(this.sql.tickets.get(params), readTicket));
  }
}

function fromRow(values: unknown): Reminder {
  const row = values as RawRow;
  const [
    key,
    subject,
    stage,
    dueAt,
    nextAt,
    status,
    round,
    attempts,
    delivered,
    owner,
    lease,
    lastSentAt,
    lastError,
    updatedAt,
  ] = row;
  const list: unknown = JSON.parse(delivered);
  return {
    key,
    subject,
    stage,
    dueAt,
    nextAt,
    status: oneOf(status, REMINDER_STATUSES, 'reminder.status'),
    round,
    attempts,
    delivered: Array.isArray(list) ? list.map(String) : [],
    ...(owner !== null ? { owner } : {}),
    ...(lease !== null ? { leaseUntil: lease } : {}),
    ...(lastSentAt !== null ? { lastSentAt } : {}),
    ...(lastError !== null ? { lastError } : {}),
    updatedAt,
  };
}
