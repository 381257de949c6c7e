/**
 * Every fixed SQL statement of the SQLite store, prepared once per connection and reused:
 * several of them run for each inbound message, where re-parsing SQL would cost more than
 * the write itself. (Statements whose shape depends on the call live in ticket.sql.ts.)
 */
import type { Db, Statement } from './connection';

const TICKET_COLUMNS =
  'customer_id, requester_id, platform, chat_id, thread_id, source_key, category, priority, status, subject, ' +
  'assignee_id, plan, created_at, updated_at, last_customer_at, due_at, first_response_at, paused_at, ' +
  'resolved_at, closed_at';

export const SQL = {
  claimInbound: 'INSERT INTO inbound (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
  releaseInbound: 'DELETE FROM inbound WHERE key = ?',
  pruneInbound: 'DELETE FROM inbound WHERE at < ?',

  putCustomer:
    'INSERT INTO customers (id, name, created_at) VALUES (:id, :name, :created_at) ' +
    'ON CONFLICT (id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at',
  getCustomer: 'SELECT * FROM customers WHERE id = ?',
  listCustomers: 'SELECT * FROM customers ORDER BY id',

  putSubscription:
    'INSERT INTO subscriptions (id, customer_id, plan, starts_at, ends_at, grace_days, training_used, created_at) ' +
    'VALUES (:id, :customer_id, :plan, :starts_at, :ends_at, :grace_days, :training_used, :created_at) ' +
    'ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, plan = excluded.plan, ' +
    'starts_at = excluded.starts_at, ends_at = excluded.ends_at, grace_days = excluded.grace_days, ' +
    'training_used = excluded.training_used, created_at = excluded.created_at',
  listSubscriptions: 'SELECT * FROM subscriptions WHERE customer_id = ? ORDER BY ends_at DESC, id',
  // The condition and the increment are one statement: two processes cannot both pass it.
  consumeTraining:
    'UPDATE subscriptions SET training_used = training_used + 1 WHERE id = ? AND training_used < ?',

  // An upsert, not INSERT OR REPLACE: REPLACE deletes the old row first, which would cascade
  // to the person's identities.
  putPerson:
    'INSERT INTO people (id, name, role, customer_id, created_at) VALUES (:id, :name, :role, :customer_id, :created_at) ' +
    'ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, ' +
    'customer_id = excluded.customer_id, created_at = excluded.created_at',
  getPerson: 'SELECT * FROM people WHERE id = ?',
  deletePerson: 'DELETE FROM people WHERE id = ?',
  putIdentity:
    'INSERT INTO identities (platform, user_id, person_id) VALUES (:platform, :user_id, :person_id) ' +
    'ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id',
  findPersonByIdentity:
    'SELECT people.* FROM identities JOIN people ON people.id = identities.person_id ' +
    'WHERE identities.platform = ? AND identities.user_id = ?',
  listIdentities: 'SELECT * FROM identities WHERE person_id = ? ORDER BY platform, user_id',

  putGroup:
    'INSERT INTO chat_groups (platform, chat_id, kind, customer_id, title, auto_mode, bound_at) ' +
    'VALUES (:platform, :chat_id, :kind, :customer_id, :title, :auto_mode, :bound_at) ' +
    'ON CONFLICT (platform, chat_id) DO UPDATE SET kind = excluded.kind, customer_id = excluded.customer_id, ' +
    'title = excluded.title, auto_mode = excluded.auto_mode, bound_at = excluded.bound_at',
  getGroup: 'SELECT * FROM chat_groups WHERE platform = ? AND chat_id = ?',
  listGroups: 'SELECT * FROM chat_groups ORDER BY platform, chat_id',
  listGroupsOfKind: 'SELECT * FROM chat_groups WHERE kind = ? ORDER BY platform, chat_id',

  ticketBySourceKey: 'SELECT * FROM tickets WHERE source_key = ?',
  nextTicketNumber: "UPDATE counters SET value = value + 1 WHERE name = 'ticket' RETURNING value",
  insertTicket:
    `INSERT INTO tickets (number, version, ${TICKET_COLUMNS}) VALUES (:number, 1, ` +
    `${TICKET_COLUMNS.split(', ')
      .map((c) => `:${c}`)
      .join(', ')}) RETURNING *`,
  getTicket: 'SELECT * FROM tickets WHERE number = ?',
  findTicketByThread:
    'SELECT * FROM tickets WHERE platform = ? AND chat_id = ? AND thread_id = ? ORDER BY number DESC LIMIT 1',
  latestTicketOf:
    'SELECT * FROM tickets WHERE requester_id = ? AND platform = ? AND chat_id = ? AND status <> ' +
    "'closed' ORDER BY last_customer_at DESC, number DESC LIMIT 1",

  insertEvent:
    'INSERT INTO events (ticket_number, at, kind, actor_id, text, from_value, to_value) ' +
    'VALUES (:ticket_number, :at, :kind, :actor_id, :text, :from_value, :to_value)',
  listEvents: 'SELECT * FROM events WHERE ticket_number = ? ORDER BY at, id',

  linkMessage:
    'INSERT INTO message_links (platform, chat_id, message_id, ticket_number) ' +
    'VALUES (:platform, :chat_id, :message_id, :ticket_number) ' +
    'ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET ticket_number = excluded.ticket_number',
  findTicketByMessage:
    'SELECT tickets.* FROM message_links JOIN tickets ON tickets.number = message_links.ticket_number ' +
    'WHERE message_links.platform = ? AND message_links.chat_id = ? AND message_links.message_id = ?',
} as const;

/** Export queries, one per record kind, in ExportRecord order; each streams in a stable order. */
export const EXPORT_SQL = {
  customer: 'SELECT * FROM customers ORDER BY id',
  subscription: 'SELECT * FROM subscriptions ORDER BY id',
  person: 'SELECT * FROM people ORDER BY id',
  identity: 'SELECT * FROM identities ORDER BY platform, user_id',
  group: 'SELECT * FROM chat_groups ORDER BY platform, chat_id',
  ticket: 'SELECT * FROM tickets ORDER BY number',
  event: 'SELECT * FROM events ORDER BY ticket_number, at, id',
  message_link: 'SELECT * FROM message_links ORDER BY platform, chat_id, message_id',
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Statement };

export function prepareStatements(db: Db): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)])) as Statements;
}
