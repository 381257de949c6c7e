/**
 * `groupdesk migrate` into MongoDB: records as exportAll yields them, checked by the same
 * mappers as every other write, inserted in order with insertMany (one round trip per
 * kind and batch; `ordered` keeps each ticket's events in their order, and the ObjectIds
 * the driver generates increase with it, which is the export's tie-break). Tickets keep
 * their numbers; the counter is raised past the highest with `$max`, never lowered.
 */
import type { Model } from 'mongoose';
import type { Macro } from '../../core/macros';
import type { Customer, Group, Identity, Person, Subscription, Ticket, TicketEvent } from '../../core/model';
import type { ExportRecord, MessageLink } from '../../core/ports';
import { invalidValue } from '../errors';
import { EXPORT_KINDS, type ExportKind } from '../importable';
import { integer } from '../values';
import { recordLinks } from './mongo.links';
import { macroDoc } from './mongo.macros';
import * as map from './mongo.mappers';
import { type EventDoc, type Models, TICKET_NUMBER_BASE, type TicketDoc } from './mongo.schemas';

/** The collection of each exported kind. */
export function collectionsOf(m: Models): { readonly [K in ExportKind]: Model<never> } {
  return {
    customer: m.customers,
    subscription: m.subscriptions,
    person: m.people,
    identity: m.identities,
    group: m.groups,
    ticket: m.tickets,
    event: m.events,
    message_link: m.messageLinks,
    macro: m.macros,
  } as unknown as { readonly [K in ExportKind]: Model<never> }; // one insertMany/exists/deleteMany shape for all
}

// The records are the domain shapes of src/core/model.ts; the mappers check every value.
const TO_DOC: { readonly [K in ExportKind]: (record: object) => object } = {
  customer: (r) => map.customerDoc(r as Customer),
  subscription: (r) => map.subscriptionDoc(r as Subscription),
  person: (r) => map.personDoc(r as Person),
  identity: (r) => map.identityDoc(r as Identity),
  group: (r) => map.groupDoc(r as Group),
  ticket: (r) => ticketDoc(r as Ticket),
  event: (r) => map.eventDoc((r as TicketEvent).ticketNumber, r as TicketEvent),
  message_link: (r) => map.messageLinkDoc(r as MessageLink),
  macro: (r) => macroDoc(r as Macro),
};

function ticketDoc(ticket: Ticket): TicketDoc {
  return {
    ...map.newTicketDoc(ticket),
    _id: integer(ticket.number, 'ticket.number'),
    version: integer(ticket.version, 'ticket.version'),
  };
}

/** The document an exported record becomes, every value checked (a StoreError if one is wrong). */
export function importDoc({ kind, record }: ExportRecord): object {
  if (!(EXPORT_KINDS as readonly string[]).includes(kind)) {
    throw invalidValue('record.kind', 'a kind exportAll yields', kind);
  }
  return TO_DOC[kind](record);
}

export async function importInto(m: Models, records: readonly ExportRecord[]): Promise<void> {
  // Checked before anything is written; grouped by kind in export order.
  const docs = new Map<ExportKind, object[]>();
  let highest = 0;
  for (const record of records) {
    const { kind } = record;
    const doc = importDoc(record);
    if (kind === 'ticket') highest = Math.max(highest, (doc as TicketDoc)._id);
    const list = docs.get(kind);
    if (list === undefined) docs.set(kind, [doc]);
    else list.push(doc);
  }
  const collections = collectionsOf(m);
  for (const kind of EXPORT_KINDS) {
    const list = docs.get(kind);
    if (list !== undefined) await collections[kind].insertMany(list as never[], { ordered: true });
  }
  await recordLinks(m, (docs.get('event') ?? []) as EventDoc[]);
  if (highest > TICKET_NUMBER_BASE) {
    await m.counters.updateOne(
      { _id: 'ticket' },
      { $max: { issued: highest - TICKET_NUMBER_BASE } },
      { upsert: true },
    );
  }
}

/** True when no exported kind has a document. */
export async function isEmptyIn(m: Models): Promise<boolean> {
  const collections = collectionsOf(m);
  for (const kind of EXPORT_KINDS) if ((await collections[kind].exists({})) !== null) return false;
  return true;
}

/**
 * Deletes every document of the exported kinds, children first; the counter and the issued
 * numbers stay. The SLA
 * reminder ledger goes too: it is not copied, and its rows would name the old tickets.
 */
export async function clearIn(m: Models): Promise<void> {
  await m.reminders.deleteMany({});
  await m.upstreamLinks.deleteMany({});
  // Claims name the old records' versions, bookings and reminders (the issued numbers stay).
  for (const claims of [m.ticketVersions, m.trainingSlots, m.reminderClaims]) await claims.deleteMany({});
  const collections = collectionsOf(m);
  for (const kind of [...EXPORT_KINDS].reverse()) await collections[kind].deleteMany({});
}
