/**
 * The SLA reminder ledger on SQLite: the SlaStore half of SqliteStore (see the rules on
 * SlaStore in src/core/ports.ts). Claims and outcomes are single guarded UPDATEs inside
 * one IMMEDIATE transaction per call, so two processes sharing the file can never both
 * take or settle the same row, and a batch costs one commit instead of one per row.
 */
import {
  type PlannedReminder,
  REMINDER_STATUSES,
  type Reminder,
  type ReminderOutcome,
  reminderKey,
} from '../../core/ports';
import { invalidValue } from '../errors';
import { integer, oneOf, optionalInteger, text } from '../values';
import { type Db, immediate, type Statement } from './connection';
import { eventParams } from './rows';
import { SQL as CORE_SQL } from './statements';

/** Longest error text kept on a row (a stack trace is not needed to see what went wrong). */
const MAX_ERROR_CHARS = 500;
/** Most rows one call may name (one transaction, one statement per row). */
const MAX_BATCH = 10_000;

const RELEASE = 'owner = NULL, lease_until = NULL, updated_at = :at';
const HELD = "WHERE key = :key AND owner = :owner AND status = 'pending'";

const SQL = {
  schedule:
    'INSERT INTO reminders (key, subject, stage, due_at, next_at, status, round, attempts, delivered, updated_at) ' +
    "VALUES (:key, :subject, :stage, :due_at, :due_at, 'pending', 0, 0, '[]', :now) " +
    "ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at, next_at = excluded.due_at, status = 'pending', " +
    'owner = NULL, lease_until = NULL, updated_at = excluded.updated_at ' +
    "WHERE reminders.status = 'cancelled' OR (reminders.status = 'pending' AND reminders.due_at <> excluded.due_at " +
    'AND reminders.next_at > :now AND reminders.lease_until IS NULL)',
  cancel:
    "UPDATE reminders SET status = 'cancelled', owner = NULL, lease_until = NULL, updated_at = :now " +
    "WHERE subject = :subject AND status = 'pending' AND (lease_until IS NULL OR lease_until <= :now)",
  // Written to match the partial index reminders_due.
  due: "SELECT * FROM reminders WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?",
  claim:
    'UPDATE reminders SET owner = :owner, lease_until = :lease, next_at = :lease, updated_at = :now ' +
    "WHERE key = :key AND status = 'pending' AND next_at <= :now RETURNING *",
  sent:
    "UPDATE reminders SET status = CASE WHEN :rearm IS NULL THEN 'sent' ELSE 'pending' END, " +
    "next_at = COALESCE(:rearm, next_at), round = round + 1, attempts = 0, delivered = '[]', " +
    `last_sent_at = :at, last_error = NULL, ${RELEASE} ${HELD}`,
  closed: `UPDATE reminders SET status = :status, ${RELEASE} ${HELD}`,
  failed:
    "UPDATE reminders SET status = 'failed', attempts = attempts + 1, last_error = :error, " +
    `delivered = :delivered, ${RELEASE} ${HELD}`,
  deferred:
    'UPDATE reminders SET next_at = :next, attempts = attempts + :failed, ' +
    'last_error = COALESCE(:error, last_error), delivered = COALESCE(:delivered, delivered), ' +
    `${RELEASE} ${HELD}`,
  failedSince:
    "SELECT * FROM reminders WHERE status = 'failed' AND updated_at >= ? ORDER BY updated_at, key LIMIT ?",
  bySubject: 'SELECT * FROM reminders WHERE subject = ? ORDER BY due_at, key',
  insertEvent: CORE_SQL.insertEvent,
} as const;

interface ReminderRow {
  key: string;
  subject: string;
  stage: string;
  due_at: number;
  next_at: number;
  status: Reminder['status'];
  round: number;
  attempts: number;
  delivered: string;
  owner: string | null;
  lease_until: number | null;
  last_sent_at: number | null;
  last_error: string | null;
  updated_at: number;
}

type Params = Record<string, string | number | null>;

export class SqliteReminderLedger {
  private readonly sql: { readonly [K in keyof typeof SQL]: Statement };

  /** `guard` throws when the store is closed (libsql must never see a closed handle). */
  constructor(
    private readonly db: Db,
    private readonly guard: () => void,
  ) {
    this.sql = Object.fromEntries(Object.entries(SQL).map(([k, v]) => [k, db.prepare(v)])) as never;
  }

  schedule(reminders: readonly PlannedReminder[], now: number): void {
    this.guard();
    const at = integer(now, 'now');
    const rows = batch(reminders, 'reminders').map((r) => {
      const subject = text(r.subject, 'reminder.subject');
      const stage = text(r.stage, 'reminder.stage');
      return {
        key: reminderKey(subject, stage),
        subject,
        stage,
        due_at: integer(r.dueAt, 'reminder.dueAt'),
        now: at,
      };
    });
    if (rows.length === 0) return;
    immediate(this.db, () => {
      for (const row of rows) this.sql.schedule.run(row);
    });
  }

  cancel(subject: string, now: number): number {
    this.guard();
    return this.sql.cancel.run({ subject: text(subject, 'subject'), now: integer(now, 'now') }).changes;
  }

  due(now: number, limit: number): Reminder[] {
    this.guard();
    const max = Math.min(MAX_BATCH, Math.max(1, Math.floor(integer(limit, 'limit'))));
    return (this.sql.due.all(integer(now, 'now'), max) as ReminderRow[]).map(toReminder);
  }

  claim(keys: readonly string[], owner: string, leaseUntil: number, now: number): Reminder[] {
    this.guard();
    const params = {
      owner: text(owner, 'owner'),
      lease: integer(leaseUntil, 'leaseUntil'),
      now: integer(now, 'now'),
    };
    if (params.lease <= params.now) throw invalidValue('leaseUntil', 'a time after now', leaseUntil);
    const names = batch(keys, 'keys').map((k) => text(k, 'key'));
    if (names.length === 0) return [];
    return immediate(this.db, () =>
      names.flatMap((key) => {
        const row = this.sql.claim.get({ ...params, key }) as ReminderRow | undefined;
        return row ? [toReminder(row)] : [];
      }),
    );
  }

  settle(owner: string, outcomes: readonly ReminderOutcome[]): number {
    this.guard();
    const holder = text(owner, 'owner');
    const writes = batch(outcomes, 'outcomes').map((o) => outcomeWrite(holder, o));
    if (writes.length === 0) return 0;
    return immediate(this.db, () => {
      let settled = 0;
      for (const { statement, params, event } of writes) {
        if (this.sql[statement].run(params).changes !== 1) continue; // not ours (any more)
        settled++;
        if (event) this.sql.insertEvent.run(event);
      }
      return settled;
    });
  }

  failedSince(since: number, limit: number): Reminder[] {
    this.guard();
    const max = Math.min(MAX_BATCH, Math.max(1, Math.floor(integer(limit, 'limit'))));
    return (this.sql.failedSince.all(integer(since, 'since'), max) as ReminderRow[]).map(toReminder);
  }

  list(subject: string): Reminder[] {
    this.guard();
    return (this.sql.bySubject.all(text(subject, 'subject')) as ReminderRow[]).map(toReminder);
  }
}

function batch<T>(items: readonly T[], field: string): readonly T[] {
  if (!Array.isArray(items)) throw invalidValue(field, 'a list', items);
  if (items.length > MAX_BATCH) throw invalidValue(field, `at most ${MAX_BATCH} items`, items.length);
  return items;
}

interface Write {
  readonly statement: 'sent' | 'closed' | 'failed' | 'deferred';
  readonly params: Params;
  readonly event?: Params;
}

/** Checks an outcome and turns it into its guarded UPDATE (and event), before any lock is taken. */
function outcomeWrite(owner: string, o: ReminderOutcome): Write {
  const base = { key: text(o.key, 'outcome.key'), owner, at: integer(o.at, 'outcome.at') };
  switch (
    oneOf(o.result, ['sent', 'skipped', 'cancelled', 'failed', 'deferred'] as const, 'outcome.result')
  ) {
    case 'sent': {
      const sent = o as Extract<ReminderOutcome, { result: 'sent' }>;
      const event = sent.event ? eventParams(sent.event.ticketNumber, sent.event.event) : undefined;
      const params = { ...base, rearm: optionalInteger(sent.rearmAt, 'outcome.rearmAt') };
      return { statement: 'sent', params, ...(event ? { event } : {}) };
    }
    case 'failed': {
      const failed = o as Extract<ReminderOutcome, { result: 'failed' }>;
      return {
        statement: 'failed',
        params: { ...base, error: errorText(failed.error), delivered: recipients(failed.delivered) },
      };
    }
    case 'deferred': {
      const deferred = o as Extract<ReminderOutcome, { result: 'deferred' }>;
      const failure = deferred.failure;
      return {
        statement: 'deferred',
        params: {
          ...base,
          next: integer(deferred.nextAt, 'outcome.nextAt'),
          failed: failure ? 1 : 0,
          error: failure ? errorText(failure.error) : null,
          delivered: failure ? recipients(failure.delivered) : null,
        },
      };
    }
    default:
      return { statement: 'closed', params: { ...base, status: o.result } };
  }
}

function errorText(error: unknown): string {
  return text(error, 'outcome.error').slice(0, MAX_ERROR_CHARS);
}

function recipients(list: unknown): string {
  if (!Array.isArray(list)) throw invalidValue('outcome.delivered', 'a list of recipient keys', list);
  return JSON.stringify(list.map((r) => text(r, 'outcome.delivered')));
}

function toReminder(row: ReminderRow): Reminder {
  const delivered: unknown = JSON.parse(row.delivered);
  return {
    key: row.key,
    subject: row.subject,
    stage: row.stage,
    dueAt: row.due_at,
    nextAt: row.next_at,
    status: oneOf(row.status, REMINDER_STATUSES, 'reminder.status'),
    round: row.round,
    attempts: row.attempts,
    delivered: Array.isArray(delivered) ? delivered.map(String) : [],
    ...(row.owner !== null ? { owner: row.owner } : {}),
    ...(row.lease_until !== null ? { leaseUntil: row.lease_until } : {}),
    ...(row.last_sent_at !== null ? { lastSentAt: row.last_sent_at } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    updatedAt: row.updated_at,
  };
}
