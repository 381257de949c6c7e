/**
 * SQL of the reminder ledger (reminders.ts). A batch is one statement wherever SQLite
 * allows it: outcomes arrive as one JSON array joined with `json_each`, because with
 * libsql each statement call costs far more than the row work it does (the scheduler's
 * tick is measured in bench/). Lists are folded into one JSON row (rows.listSql) and read
 * with get(): libsql leaks native memory on every all()/iterate().
 */
import { listSql, TICKET_COLUMNS } from './rows';

/** Ledger columns, in the order `fromRow` (reminders.ts) reads them. */
export const REMINDER_COLUMNS = [
  'key',
  'subject',
  'stage',
  'due_at',
  'next_at',
  'status',
  'round',
  'attempts',
  'delivered',
  'owner',
  'lease_until',
  'last_sent_at',
  'last_error',
  'updated_at',
] as const;

/** REMINDER_COLUMNS as a claim leaves them (see `claim` below). */
const CLAIMED_COLUMNS = REMINDER_COLUMNS.map((column) => {
  switch (column) {
    case 'next_at':
    case 'lease_until':
      return ':lease';
    case 'owner':
      return ':owner';
    case 'updated_at':
      return ':now';
    default:
      return column;
  }
});

/**
 * Outcome rows of `settle`, as reminders.ts writes them into JSON arrays: plain arrays,
 * not objects, because SQLite parses the element again for every `->>` (a sent reminder,
 * the common case, needs three fields; everything else goes through the longer shape).
 */
export type SentJson = readonly [key: string, at: number, rearm: number | null];
/** An event of `eventsAlike`: the outcome's key, the ticket and the text; the rest is shared. */
export type AlikeEventJson = readonly [key: string, ticketNumber: number, text: string | null];
/** An event to append with a sent outcome: the outcome's key, then the events table's columns. */
export type EventJson = readonly [
  key: string,
  ticketNumber: number,
  at: number,
  kind: string,
  actorId: string,
  text: string | null,
  from: string | null,
  to: string | null,
];
export type OtherJson = readonly [
  key: string,
  result: 'skipped' | 'cancelled' | 'failed' | 'deferred',
  at: number,
  next: number | null,
  failed: 0 | 1,
  error: string | null,
  delivered: string | null,
];

/**
 * A subject's rows through the primary key: keys are `<subject>/<stage>` and '0' is the
 * character after '/', so the range holds exactly them (no index of its own to keep up on
 * every ticket opened).
 */
const OF_SUBJECT = "key > :subject || '/' AND key < :subject || '0' AND subject = :subject";
const HELD = "reminders.key = o.key AND reminders.owner = :owner AND reminders.status = 'pending'";
// Written to match the partial index reminders_due.
const DUE = "reminders WHERE status = 'pending' AND next_at <= :now";

export const REMINDER_SQL = {
  // One statement for a ticket's stages. `WHERE true` tells the parser that ON CONFLICT
  // belongs to the INSERT, not to a join in the SELECT.
  schedule:
    'INSERT INTO reminders (key, subject, stage, due_at, next_at, status, round, attempts, delivered, updated_at) ' +
    "SELECT value->>0, value->>1, value->>2, value->>3, value->>3, 'pending', 0, 0, '[]', :now " +
    'FROM json_each(:rows) WHERE true ' +
    "ON CONFLICT (key) DO UPDATE SET due_at = excluded.due_at, next_at = excluded.due_at, status = 'pending', " +
    'owner = NULL, lease_until = NULL, updated_at = excluded.updated_at ' +
    "WHERE reminders.status = 'cancelled' OR (reminders.status = 'pending' AND reminders.due_at <> excluded.due_at " +
    'AND reminders.next_at > :now AND reminders.lease_until IS NULL)',
  skip:
    'INSERT INTO reminders (key, subject, stage, due_at, next_at, status, round, attempts, delivered, updated_at) ' +
    "SELECT value->>0, value->>1, value->>2, value->>3, value->>3, 'skipped', 0, 0, '[]', :now " +
    'FROM json_each(:rows) WHERE true ON CONFLICT (key) DO NOTHING',
  cancel:
    "UPDATE reminders SET status = 'cancelled', owner = NULL, lease_until = NULL, updated_at = :now " +
    `WHERE ${OF_SUBJECT} AND status = 'pending' AND (lease_until IS NULL OR lease_until <= :now)`,
  due: listSql(REMINDER_COLUMNS, DUE, 'next_at, key', ':limit'),
  // The rows `claim` is about to lease, as they will read once it has: what claimReminders
  // returns, ordered by due time here rather than sorted in JavaScript (bench/sla.bench.ts).
  claimable:
    `SELECT json_group_array(json_array(${CLAIMED_COLUMNS.join(', ')}) ORDER BY due_at, key) ` +
    `FROM (SELECT * FROM ${DUE} ORDER BY next_at, key LIMIT :limit)`,
  // Runs right after `claimable` inside the same write transaction: nobody can take the rows in between.
  claim:
    'UPDATE reminders SET owner = :owner, lease_until = :lease, next_at = :lease, updated_at = :now ' +
    "WHERE key IN (SELECT value FROM json_each(:keys)) AND status = 'pending' AND next_at <= :now",
  // Events first, while the rows are still held: only outcomes that will be recorded write one.
  events:
    'INSERT INTO events (ticket_number, at, kind, actor_id, text, from_value, to_value) ' +
    'SELECT e.value->>1, e.value->>2, e.value->>3, e.value->>4, e.value->>5, e.value->>6, e.value->>7 ' +
    'FROM json_each(:events) AS e JOIN reminders ON reminders.key = e.value->>0 AND reminders.owner = :owner ' +
    "AND reminders.status = 'pending'",
  // The usual batch, in short: the tick's reminder events share time, kind and actor, so
  // each row carries only [key, ticket, text] (every `->>` parses its element again).
  eventsAlike:
    'INSERT INTO events (ticket_number, at, kind, actor_id, text) SELECT e.n, :at, :kind, :actor, e.t ' +
    'FROM (SELECT value->>0 AS k, value->>1 AS n, value->>2 AS t FROM json_each(:events)) AS e ' +
    "JOIN reminders ON reminders.key = e.k AND reminders.owner = :owner AND reminders.status = 'pending'",
  // The usual batch again: reminders sent at one time, none re-armed, named by key alone.
  settleSentAt:
    "UPDATE reminders SET status = 'sent', round = round + 1, attempts = 0, delivered = '[]', " +
    'last_sent_at = :at, last_error = NULL, owner = NULL, lease_until = NULL, updated_at = :at ' +
    "WHERE key IN (SELECT value FROM json_each(:keys)) AND owner = :owner AND status = 'pending'",
  settleSent:
    "UPDATE reminders SET status = CASE WHEN o.rearm IS NULL THEN 'sent' ELSE 'pending' END, " +
    "next_at = COALESCE(o.rearm, reminders.next_at), round = reminders.round + 1, attempts = 0, delivered = '[]', " +
    'last_sent_at = o.at, last_error = NULL, owner = NULL, lease_until = NULL, updated_at = o.at ' +
    'FROM (SELECT value->>0 AS key, value->>1 AS at, value->>2 AS rearm FROM json_each(:rows)) AS o WHERE ' +
    HELD,
  settleOther:
    "UPDATE reminders SET status = CASE o.r WHEN 'deferred' THEN 'pending' ELSE o.r END, " +
    "next_at = CASE o.r WHEN 'deferred' THEN o.next ELSE reminders.next_at END, " +
    'attempts = reminders.attempts + o.failed, delivered = COALESCE(o.delivered, reminders.delivered), ' +
    'last_error = COALESCE(o.error, reminders.last_error), owner = NULL, lease_until = NULL, updated_at = o.at ' +
    'FROM (SELECT value->>0 AS key, value->>1 AS r, value->>2 AS at, value->>3 AS next, value->>4 AS failed, ' +
    'value->>5 AS error, value->>6 AS delivered FROM json_each(:rows)) AS o WHERE ' +
    HELD,
  failedSince: listSql(
    REMINDER_COLUMNS,
    "reminders WHERE status = 'failed' AND updated_at >= :since",
    'updated_at, key',
    ':limit',
  ),
  bySubject: listSql(REMINDER_COLUMNS, `reminders WHERE ${OF_SUBJECT}`, 'due_at, key'),
  // In no particular order (getTickets promises none): sorting a thousand rows of JSON for
  // nothing was half of this read's time.
  tickets:
    `SELECT json_group_array(json_array(${TICKET_COLUMNS.join(', ')})) ` +
    'FROM tickets WHERE number IN (SELECT value FROM json_each(:numbers))',
} as const;
