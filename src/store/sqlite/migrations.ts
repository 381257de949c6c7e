/**
 * Versioned schema for the embedded store. The version lives in `PRAGMA user_version`
 * (in the file header, so it commits and rolls back with the migration that sets it).
 * Steps are append-only: a released step is never edited, a change is a new step.
 */
import type Database from 'libsql';
import { StoreError } from '../errors';
import { slaClocksMigration } from './migration-v6-sla-clocks';
import { REUSE_MIGRATION } from './migration-v7-reuse';
import { UPSTREAM_LINKS_MIGRATION } from './migration-v8-upstream-links';
import { SLA_WINDOWS_MIGRATION } from './migration-v9-sla-windows';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

/*
 * Index → the Store query it serves (every query the port makes is listed):
 *   inbound PK(key)                       claimInbound / releaseInbound
 *   inbound_by_at(at)                     pruneInbound (keeps the table bounded)
 *   customers PK(id)                      getCustomer, listCustomers (ordered by id)
 *   subscriptions_by_customer             listSubscriptions (customer_id, ends_at DESC)
 *   subscriptions PK(id)                  putSubscription, consumeTraining
 *   people PK(id)                         getPerson, deletePerson, listPeople with no filter
 *   people_by_role(role)                  listPeople({ role })
 *   people_by_customer(customer_id, role) listPeople({ customerId [, role] })
 *   identities PK(platform, user_id)      findPersonByIdentity, putIdentity
 *   identities_by_person(person_id)       listIdentities, and the ON DELETE CASCADE of deletePerson
 *   chat_groups PK(platform, chat_id)     getGroup, putGroup
 *   chat_groups_by_kind(kind)             listGroups(kind)
 *   tickets PK(number)                    getTicket, updateTicket (CAS on number + version)
 *   tickets_by_source_key UNIQUE          createTicket idempotency (ON CONFLICT DO NOTHING)
 *   counters PK(name)                     createTicket: the next number, in the same statement
 *   tickets_by_status(status, priority, due_at, number)
 *                                         queryTickets({ statuses }) — the queue and /overdue
 *   tickets_awaiting_response(due_at) partial: first_response_at IS NULL AND due_at IS NOT NULL
 *                                         queryTickets({ dueBefore }) — the SLA scheduler: its cost
 *                                         follows what is due, not how many tickets exist
 *   tickets_queue(priority, nearest_due_at, number) partial: nearest_due_at IS NOT NULL (v9)
 *                                         queryTickets({ order: 'deadline' }) — /queue, the web queue
 *   tickets_nearest_due(nearest_due_at) partial (v9)
 *                                         queryTickets({ nearestDueBefore }) — /overdue, the digest
 *   tickets_awaiting_next_response(next_response_due_at), tickets_awaiting_resolution(resolution_due_at)
 *                                         partial (v6): reserved for the per-metric SLA scan (issue 20)
 *   tickets_by_customer(customer_id, created_at)
 *                                         queryTickets({ customerId [, createdSince] }) — reports
 *   tickets_by_customer_status(customer_id, status)
 *                                         queryTickets({ customerId, statuses }) — /status (v5)
 *   tickets_by_requester(requester_id, platform, chat_id, last_customer_at)
 *                                         latestTicketOf, queryTickets({ requesterId }) — /mine
 *   tickets_by_assignee(assignee_id, status) partial: assignee_id IS NOT NULL
 *                                         queryTickets({ assigneeId }) — workload
 *   tickets_by_thread(platform, chat_id, thread_id) partial: thread_id IS NOT NULL
 *                                         findTicketByThread
 *   tickets_by_created(created_at)        queryTickets({ createdSince }) across customers — /report
 *   events_by_ticket(ticket_number, at)   listEvents, and the FK from events to tickets
 *   events_upstream_links(lower(to_value), ticket_number) partial: kind = 'upstream_link'
 *                                         ticketsLinkedTo — a tracker's webhook and the poller (v8)
 *   message_links PK(platform, chat_id, message_id)
 *                                         findTicketByMessage, linkMessage
 *   reminders PK(key)                     claimReminders, settleReminders, scheduleReminders (upsert),
 *                                         and by key range `<subject>/…` cancelReminders, listReminders
 *   reminders_due(next_at) partial: status = 'pending'
 *                                         dueReminders — the SLA scheduler's tick: its cost follows
 *                                         what is due, not how many tickets or reminders exist
 *   reminders_failed(updated_at) partial: status = 'failed'
 *                                         failedReminders — the daily digest
 * message_links has no index by ticket: tickets are never deleted, so its foreign key never
 * has to look children up, and one index fewer keeps the per-message insert cheap.
 *
 * STRICT tables make SQLite refuse a value of the wrong type instead of storing it.
 * The table is `chat_groups` because GROUPS is an SQL keyword (window frames).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'initial schema',
    sql: `
      CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      INSERT INTO counters (name, value) VALUES ('ticket', 1000);

      CREATE TABLE inbound (key TEXT PRIMARY KEY, at INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      CREATE INDEX inbound_by_at ON inbound (at);

      CREATE TABLE customers (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, plan TEXT NOT NULL,
        starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, grace_days INTEGER NOT NULL,
        training_used INTEGER NOT NULL, created_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id, ends_at DESC);

      CREATE TABLE people (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, customer_id TEXT,
        created_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX people_by_role ON people (role);
      CREATE INDEX people_by_customer ON people (customer_id, role) WHERE customer_id IS NOT NULL;

      CREATE TABLE identities (
        platform TEXT NOT NULL, user_id TEXT NOT NULL,
        person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        PRIMARY KEY (platform, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX identities_by_person ON identities (person_id);

      CREATE TABLE chat_groups (
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, kind TEXT NOT NULL, customer_id TEXT,
        title TEXT, auto_mode INTEGER NOT NULL, bound_at INTEGER NOT NULL,
        PRIMARY KEY (platform, chat_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX chat_groups_by_kind ON chat_groups (kind);

      CREATE TABLE tickets (
        number INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, requester_id TEXT NOT NULL,
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, thread_id TEXT, source_key TEXT NOT NULL,
        category TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL, subject TEXT NOT NULL,
        assignee_id TEXT, plan TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        last_customer_at INTEGER NOT NULL, due_at INTEGER, first_response_at INTEGER,
        paused_at INTEGER, resolved_at INTEGER, closed_at INTEGER, version INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX tickets_by_source_key ON tickets (source_key);
      CREATE INDEX tickets_by_status ON tickets (status, priority, due_at, number);
      CREATE INDEX tickets_awaiting_response ON tickets (due_at)
        WHERE first_response_at IS NULL AND due_at IS NOT NULL;
      CREATE INDEX tickets_by_customer ON tickets (customer_id, created_at);
      CREATE INDEX tickets_by_requester ON tickets (requester_id, platform, chat_id, last_customer_at);
      CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status) WHERE assignee_id IS NOT NULL;
      CREATE INDEX tickets_by_thread ON tickets (platform, chat_id, thread_id) WHERE thread_id IS NOT NULL;
      CREATE INDEX tickets_by_created ON tickets (created_at);
      -- Keeps the counter at or above every stored number, also for rows inserted with an
      -- explicit number (an import), so a number is never handed out twice.
      CREATE TRIGGER tickets_advance_counter AFTER INSERT ON tickets BEGIN
        UPDATE counters SET value = max(value, NEW.number) WHERE name = 'ticket';
      END;

      CREATE TABLE events (
        id INTEGER PRIMARY KEY, ticket_number INTEGER NOT NULL REFERENCES tickets (number),
        at INTEGER NOT NULL, kind TEXT NOT NULL, actor_id TEXT NOT NULL,
        text TEXT, from_value TEXT, to_value TEXT
      ) STRICT;
      CREATE INDEX events_by_ticket ON events (ticket_number, at);

      CREATE TABLE message_links (
        platform TEXT NOT NULL, chat_id TEXT NOT NULL, message_id TEXT NOT NULL,
        ticket_number INTEGER NOT NULL REFERENCES tickets (number),
        PRIMARY KEY (platform, chat_id, message_id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'SLA reminder ledger',
    // One row per (subject, stage); `delivered` is a JSON array of recipient keys.
    sql: `
      CREATE TABLE reminders (
        key TEXT PRIMARY KEY, subject TEXT NOT NULL, stage TEXT NOT NULL,
        due_at INTEGER NOT NULL, next_at INTEGER NOT NULL, status TEXT NOT NULL,
        round INTEGER NOT NULL, attempts INTEGER NOT NULL, delivered TEXT NOT NULL,
        owner TEXT, lease_until INTEGER, last_sent_at INTEGER, last_error TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX reminders_due ON reminders (next_at) WHERE status = 'pending';
      CREATE INDEX reminders_failed ON reminders (updated_at) WHERE status = 'failed';
    `,
  },
  {
    version: 3,
    description: 'language per group and per person',
    // Nullable: absent means "inherit" (person → group → deployment), so existing rows keep
    // today's behaviour. Values are checked against LOCALES before any write (params.ts).
    sql: `
      ALTER TABLE chat_groups ADD COLUMN locale TEXT;
      ALTER TABLE people ADD COLUMN locale TEXT;
    `,
  },
  {
    version: 4,
    description: 'durable outbox',
    // One row per outbound message; `message` and `after` are JSON. (chat, seq) is the order
    // within a chat; the partial indexes serve the heads (lowest waiting seq per chat), the
    // due list and the housekeeping purge, each over the rows it needs only.
    sql: `
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY, chat TEXT NOT NULL, seq INTEGER NOT NULL,
        message TEXT NOT NULL, after TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_at INTEGER NOT NULL, owner TEXT, lease_until INTEGER, last_error TEXT,
        idempotency_id TEXT NOT NULL, sent_at INTEGER, sent_message_id TEXT,
        expires_at INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        UNIQUE (chat, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX outbox_heads ON outbox (chat, seq) WHERE state IN ('queued', 'sending');
      CREATE INDEX outbox_due ON outbox (next_at) WHERE state IN ('queued', 'sending');
      CREATE INDEX outbox_settled ON outbox (updated_at) WHERE state IN ('sent', 'failed', 'dropped');
    `,
  },
  {
    version: 5,
    description: "a customer's tickets by status",
    // A subscriber's /status (customer, requester, the open statuses) read every ticket the
    // customer ever had through tickets_by_customer: 233 ms at 500,000 of them (bench/views).
    // With the status beside the customer it reads the open ones only.
    sql: `
      CREATE INDEX tickets_by_customer_status ON tickets (customer_id, status);
    `,
  },
  slaClocksMigration,
  REUSE_MIGRATION,
  UPSTREAM_LINKS_MIGRATION,
  SLA_WINDOWS_MIGRATION,
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersionOf(db: Database.Database): number {
  const row = db.pragma('user_version', { simple: true }) as { user_version: number };
  return row.user_version;
}

/**
 * Brings the file up to the newest version, one step per transaction. BEGIN IMMEDIATE takes
 * the write lock before the version is read, so two processes starting together cannot both
 * apply a step; the loser sees the new version and skips it. Returns the versions applied.
 */
export function migrate(db: Database.Database, file: string, migrations = MIGRATIONS): number[] {
  const newest = migrations[migrations.length - 1]?.version ?? 0;
  const found = schemaVersionOf(db);
  if (found > newest) throw schemaTooNew(file, found, newest);
  const applied: number[] = [];
  for (const step of migrations) {
    if (step.version <= found) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      const current = schemaVersionOf(db);
      if (current > newest) throw schemaTooNew(file, current, newest);
      if (current < step.version) {
        db.exec(step.sql);
        // A pragma takes no bound parameters; the version is an integer from this file.
        db.exec(`PRAGMA user_version = ${Math.trunc(step.version)}`);
        applied.push(step.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
  return applied;
}

function schemaTooNew(file: string, found: number, newest: number): StoreError {
  return new StoreError(
    'STORE_SCHEMA_TOO_NEW',
    `${file} has schema version ${found}, but this GroupDesk knows versions up to ${newest}. ` +
      'It was written by a newer GroupDesk: run that version (or newer), or restore a backup made for this one.',
  );
}
