/**
 * `groupdesk migrate` into a SQLite file: records as exportAll yields them become the
 * statements that insert them, checked and bound before the write lock is taken. Tickets
 * keep their numbers; the trigger tickets_advance_counter (migrations.ts) moves the
 * counter past each one, so the next ticket gets the next number.
 */
import type { Macro } from '../../core/macros';
import type { Customer, Group, Identity, Person, Subscription, Ticket, TicketEvent } from '../../core/model';
import type { ExportRecord, MessageLink } from '../../core/ports';
import { invalidValue } from '../errors';
import { integer } from '../values';
import * as bind from './params';
import { MACRO_PUT_SQL, macroParams } from './sqlite.macros';
import type { Statements } from './statements';

/** Statements migrate needs besides the store's own. */
export const IMPORT_SQL = {
  importTicket:
    `INSERT INTO tickets (number, version, ${bind.NEW_TICKET_COLUMNS.join(', ')}) ` +
    `VALUES (?, ?, ${bind.NEW_TICKET_COLUMNS.map(() => '?').join(', ')})`,
  importMacro: MACRO_PUT_SQL,
  isEmpty: `SELECT ${[
    'customers',
    'subscriptions',
    'people',
    'identities',
    'chat_groups',
    'tickets',
    'events',
    'message_links',
    'macros',
  ]
    .map((table) => `NOT EXISTS (SELECT 1 FROM ${table})`)
    .join(' AND ')}`,
  // Children first, for the foreign keys; the counter and the inbound keys stay. The SLA
  // reminder ledger goes too: it is not copied, and its rows would name the old tickets.
  clearAll: [
    'macros',
    'reminders',
    'message_links',
    'events',
    'tickets',
    'identities',
    'people',
    'chat_groups',
    'subscriptions',
    'customers',
  ]
    .map((table) => `DELETE FROM ${table};`)
    .join(' '),
} as const;

type StatementName = keyof Statements | 'importTicket' | 'importMacro';

/** One record, checked, as the statement that writes it and its values (named or positional). */
export interface ImportRow {
  readonly statement: StatementName;
  readonly values: bind.Params | ReadonlyArray<string | number | null>;
}

// exportAll yields the domain records of src/core/model.ts; the binders below check
// every value again, so a record that is not what its kind says is refused, not stored.
export function importRow({ kind, record }: ExportRecord): ImportRow {
  switch (kind) {
    case 'customer':
      return { statement: 'putCustomer', values: bind.customerParams(record as Customer) };
    case 'subscription':
      return { statement: 'putSubscription', values: bind.subscriptionParams(record as Subscription) };
    case 'person':
      return { statement: 'putPerson', values: bind.personParams(record as Person) };
    case 'identity':
      return { statement: 'putIdentity', values: bind.identityParams(record as Identity) };
    case 'group':
      return { statement: 'putGroup', values: bind.groupParams(record as Group) };
    case 'ticket': {
      const ticket = record as Ticket;
      const row = bind.newTicketRow(ticket);
      const head = [integer(ticket.number, 'ticket.number'), integer(ticket.version, 'ticket.version')];
      return { statement: 'importTicket', values: [...head, ...bind.NEW_TICKET_COLUMNS.map((c) => row[c])] };
    }
    case 'event': {
      const event = record as TicketEvent;
      return { statement: 'insertEvent', values: bind.eventValues(bind.eventRow(event.ticketNumber, event)) };
    }
    case 'message_link':
      return { statement: 'linkMessage', values: bind.messageLinkValues(record as MessageLink) };
    case 'macro':
      return { statement: 'importMacro', values: macroParams(record as Macro) };
    default:
      throw invalidValue('record.kind', 'a kind exportAll yields', kind);
  }
}
