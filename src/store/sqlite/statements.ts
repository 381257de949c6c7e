/**
 * Every fixed SQL statement of the SQLite store, prepared once per connection and reused:
 * several of them run for each inbound message, where re-parsing SQL would cost more than
 * the write itself. (Statements whose shape depends on the call live in ticket.sql.ts.)
 * Statements on that path bind positionally: libsql's named binding costs about 1.5 µs a
 * parameter. Rare upserts (customers, people, groups) keep names for readability.
 * Statements that return rows run in raw mode and list their columns (see rows.ts).
 */
import { type Db, prepare, type Statement } from './connection';
import { NEW_TICKET_COLUMNS } from './params';
import {
  CUSTOMER_COLUMNS,
  EVENT_COLUMNS,
  GROUP_COLUMNS,
  IDENTITY_COLUMNS,
  listSql,
  MESSAGE_LINK_COLUMNS,
  PERSON_COLUMNS,
  SUBSCRIPTION_COLUMNS,
  selectList,
  TICKET_COLUMNS,
} from './rows';
import { MACRO_EXPORT_SQL } from './sqlite.macros';

const CUSTOMER = selectList(CUSTOMER_COLUMNS);
const SUBSCRIPTION = selectList(SUBSCRIPTION_COLUMNS);
const PERSON = selectList(PERSON_COLUMNS);
const IDENTITY = selectList(IDENTITY_COLUMNS);
const GROUP = selectList(GROUP_COLUMNS);
export const TICKET = selectList(TICKET_COLUMNS);
const EVENT = selectList(EVENT_COLUMNS);
const MESSAGE_LINK = selectList(MESSAGE_LINK_COLUMNS);

export const SQL = {
  claimInbound: 'INSERT INTO inbound (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
  releaseInbound: 'DELETE FROM inbound WHERE key = ?',
  pruneInbound: 'DELETE FROM inbound WHERE at < ?',

  putCustomer:
    'INSERT INTO customers (id, name, created_at) VALUES (:id, :name, :created_at) ' +
    'ON CONFLICT (id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at',
  getCustomer: `SELECT ${CUSTOMER} FROM customers WHERE id = ?`,
  listCustomers: listSql(CUSTOMER_COLUMNS, 'customers', 'id'),

  putSubscription:
    'INSERT INTO subscriptions (id, customer_id, plan, starts_at, ends_at, grace_days, training_used, created_at) ' +
    'VALUES (:id, :customer_id, :plan, :starts_at, :ends_at, :grace_days, :training_used, :created_at) ' +
    'ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, plan = excluded.plan, ' +
    'starts_at = excluded.starts_at, ends_at = excluded.ends_at, grace_days = excluded.grace_days, ' +
    'training_used = excluded.training_used, created_at = excluded.created_at',
  listSubscriptions: listSql(SUBSCRIPTION_COLUMNS, 'subscriptions WHERE customer_id = ?', 'ends_at DESC, id'),
  // The condition and the increment are one statement: two processes cannot both pass it.
  consumeTraining:
    'UPDATE subscriptions SET training_used = training_used + 1 WHERE id = ? AND training_used < ?',
  releaseTraining:
    'UPDATE subscriptions SET training_used = training_used - 1 WHERE id = ? AND training_used > 0',

  // An upsert, not INSERT OR REPLACE: REPLACE deletes the old row first, which would cascade
  // to the person's identities.
  putPerson:
    'INSERT INTO people (id, name, role, customer_id, created_at, locale) ' +
    'VALUES (:id, :name, :role, :customer_id, :created_at, :locale) ' +
    'ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, ' +
    'customer_id = excluded.customer_id, created_at = excluded.created_at, locale = excluded.locale',
  getPerson: `SELECT ${PERSON} FROM people WHERE id = ?`,
  deletePerson: 'DELETE FROM people WHERE id = ?',
  putIdentity:
    'INSERT INTO identities (platform, user_id, person_id) VALUES (:platform, :user_id, :person_id) ' +
    'ON CONFLICT (platform, user_id) DO UPDATE SET person_id = excluded.person_id',
  findPersonByIdentity:
    `SELECT ${selectList(PERSON_COLUMNS, 'people')} FROM identities JOIN people ON people.id = identities.person_id ` +
    'WHERE identities.platform = ? AND identities.user_id = ?',
  listIdentities: listSql(IDENTITY_COLUMNS, 'identities WHERE person_id = ?', 'platform, user_id'),

  putGroup:
    'INSERT INTO chat_groups (platform, chat_id, kind, customer_id, title, auto_mode, bound_at, locale) ' +
    'VALUES (:platform, :chat_id, :kind, :customer_id, :title, :auto_mode, :bound_at, :locale) ' +
    'ON CONFLICT (platform, chat_id) DO UPDATE SET kind = excluded.kind, customer_id = excluded.customer_id, ' +
    'title = excluded.title, auto_mode = excluded.auto_mode, bound_at = excluded.bound_at, locale = excluded.locale',
  getGroup: `SELECT ${GROUP} FROM chat_groups WHERE platform = ? AND chat_id = ?`,
  listGroups: listSql(GROUP_COLUMNS, 'chat_groups', 'platform, chat_id'),
  listGroupsOfKind: listSql(GROUP_COLUMNS, 'chat_groups WHERE kind = ?', 'platform, chat_id'),

  // The number comes from the counter row and the trigger tickets_advance_counter moves the
  // counter, all inside this one statement; a sourceKey seen before inserts nothing and
  // returns no row (the WHERE before ON CONFLICT is SQLite's required disambiguation).
  insertTicket:
    `INSERT INTO tickets (number, version, ${NEW_TICKET_COLUMNS.join(', ')}) ` +
    `SELECT value + 1, 1, ${NEW_TICKET_COLUMNS.map(() => '?').join(', ')} FROM counters WHERE name = 'ticket' ` +
    'ON CONFLICT (source_key) DO NOTHING RETURNING number',
  ticketBySourceKey: `SELECT ${TICKET} FROM tickets WHERE source_key = ?`,
  getTicket: `SELECT ${TICKET} FROM tickets WHERE number = ?`,
  findTicketByThread: `SELECT ${TICKET} FROM tickets WHERE platform = ? AND chat_id = ? AND thread_id = ? ORDER BY number DESC LIMIT 1`,
  latestTicketOf:
    `SELECT ${TICKET} FROM tickets WHERE requester_id = ? AND platform = ? AND chat_id = ? ` +
    "AND status <> 'closed' ORDER BY last_customer_at DESC, number DESC LIMIT 1",

  insertEvent:
    'INSERT INTO events (ticket_number, at, kind, actor_id, text, from_value, to_value) VALUES (?, ?, ?, ?, ?, ?, ?)',
  listEvents: listSql(EVENT_COLUMNS, 'events WHERE ticket_number = ?', 'at, id'),

  linkMessage:
    'INSERT INTO message_links (platform, chat_id, message_id, ticket_number) VALUES (?, ?, ?, ?) ' +
    'ON CONFLICT (platform, chat_id, message_id) DO UPDATE SET ticket_number = excluded.ticket_number',
  findTicketByMessage:
    `SELECT ${selectList(TICKET_COLUMNS, 'tickets')} FROM message_links ` +
    'JOIN tickets ON tickets.number = message_links.ticket_number ' +
    'WHERE message_links.platform = ? AND message_links.chat_id = ? AND message_links.message_id = ?',
} as const;

/**
 * Export queries, one per record kind, in ExportRecord order; each streams in a stable
 * order through iterate() (whose per-call leak, see listSql, is eight calls an export).
 */
export const EXPORT_SQL = {
  customer: `SELECT ${CUSTOMER} FROM customers ORDER BY id`,
  subscription: `SELECT ${SUBSCRIPTION} FROM subscriptions ORDER BY id`,
  person: `SELECT ${PERSON} FROM people ORDER BY id`,
  identity: `SELECT ${IDENTITY} FROM identities ORDER BY platform, user_id`,
  group: `SELECT ${GROUP} FROM chat_groups ORDER BY platform, chat_id`,
  ticket: `SELECT ${TICKET} FROM tickets ORDER BY number`,
  event: `SELECT ${EVENT} FROM events ORDER BY ticket_number, at, id`,
  message_link: `SELECT ${MESSAGE_LINK} FROM message_links ORDER BY platform, chat_id, message_id`,
  macro: MACRO_EXPORT_SQL,
} as const;

export type Statements = { readonly [K in keyof typeof SQL]: Statement };

export function prepareStatements(db: Db): Statements {
  return Object.fromEntries(Object.entries(SQL).map(([name, sql]) => [name, prepare(db, sql)])) as Statements;
}
