/**
 * Mongoose schemas of the MongoDB store: the stored shapes, their validation and every
 * index the store's queries need (declared here, created explicitly at open).
 *
 * Documents are the domain records of src/core/model.ts with the natural key as `_id`
 * (ticket number, customer id, …); optional fields are absent (`$unset`), never null.
 * `strict: 'throw'` refuses a document or update that names an unknown field, and
 * `strictQuery: 'throw'` a filter that does.
 */
import { type Connection, type Model, Schema } from 'mongoose';
import { PLATFORMS } from '../../core/chat';
import { LOCALES } from '../../core/i18n';
import { CATEGORIES, EVENT_KINDS, GROUP_KINDS, PRIORITIES, ROLES, TICKET_STATUSES } from '../../core/model';
import { OUTBOX_STATES, REMINDER_STATUSES } from '../../core/ports';

export interface CounterDoc {
  _id: string;
  /** Tickets issued so far; the number of the n-th ticket is TICKET_NUMBER_BASE + n. */
  issued: number;
}
export interface InboundDoc {
  _id: string;
  at: number;
}
export interface CustomerDoc {
  _id: string;
  name: string;
  createdAt: number;
}
export interface SubscriptionDoc {
  _id: string;
  customerId: string;
  plan: string;
  startsAt: number;
  endsAt: number;
  graceDays: number;
  trainingUsed: number;
  createdAt: number;
}
export interface PersonDoc {
  _id: string;
  name: string;
  role: string;
  customerId?: string;
  locale?: string;
  createdAt: number;
}
export interface IdentityDoc {
  platform: string;
  userId: string;
  personId: string;
}
export interface GroupDoc {
  platform: string;
  chatId: string;
  kind: string;
  customerId?: string;
  title?: string;
  locale?: string;
  autoMode: boolean;
  boundAt: number;
}
export interface TicketDoc {
  _id: number;
  customerId: string;
  requesterId: string;
  platform: string;
  chatId: string;
  threadId?: string;
  sourceKey: string;
  category: string;
  priority: string;
  status: string;
  subject: string;
  assigneeId?: string;
  plan: string;
  createdAt: number;
  updatedAt: number;
  lastCustomerAt: number;
  dueAt?: number;
  firstResponseAt?: number;
  pausedAt?: number;
  resolvedAt?: number;
  closedAt?: number;
  nextResponseDueAt?: number;
  resolutionDueAt?: number;
  nextResponseSince?: number;
  nearestDueAt?: number;
  version: number;
}
export interface EventDoc {
  ticketNumber: number;
  at: number;
  kind: string;
  actorId: string;
  text?: string;
  from?: string;
  to?: string;
}
export interface MessageLinkDoc {
  platform: string;
  chatId: string;
  messageId: string;
  ticketNumber: number;
}

/** One row of the SLA reminder ledger (mongo.reminders.ts); `_id` is reminderKey(subject, stage). */
export interface ReminderDoc {
  _id: string;
  subject: string;
  stage: string;
  dueAt: number;
  nextAt: number;
  status: string;
  round: number;
  attempts: number;
  delivered: string[];
  owner?: string;
  leaseUntil?: number;
  lastSentAt?: number;
  lastError?: string;
  updatedAt: number;
}

export interface OutboxDoc {
  _id: string;
  chat: string;
  seq: number;
  /** The OutboundMessage as JSON text: fields added later pass through, and no key is read as an operator. */
  message: string;
  after?: string;
  state: string;
  attempts: number;
  nextAt: number;
  owner?: string;
  leaseUntil?: number;
  lastError?: string;
  idempotencyId: string;
  sentAt?: number;
  sentMessageId?: string;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * Claims: documents whose only job is a unique `_id`. An insert of a unique key is the one
 * write that MongoDB, FerretDB and the other MongoDB-compatible engines all make atomic
 * (FerretDB 1.x applies `update` and `findAndModify` by reading and writing back, so a
 * filter on `version` or `status` is no compare-and-set there). Every "exactly one wins"
 * of this store rests on one of these inserts (see mongo.claims.ts).
 */
export interface ClaimDoc {
  /** What is claimed, e.g. `1001:3` (ticket 1001 moving on from version 3). */
  _id: string;
  at: number;
  owner?: string;
  leaseUntil?: number;
}
/** One issued ticket number (never deleted, so no number is issued twice). */
export interface TicketNumberDoc {
  _id: number;
  at: number;
}

/** A saved reply: `_id` = `<name>/<locale>` (a name never holds `/`), one per (name, locale). */
export interface MacroDoc {
  _id: string;
  name: string;
  locale: string;
  text: string;
  updatedBy: string;
  updatedAt: number;
}

/**
 * One ticket's link to an upstream issue: `_id` = `<ref>|<ticketNumber>`, `ref` =
 * linkKey (lower-case `owner/repo#123`). Written just before its `upstream_link` event
 * (in the same transaction where the deployment has them); read back only with the event
 * that confirms it, so one left behind by a failed write is never taken for a link.
 */
export interface UpstreamLinkDoc {
  _id: string;
  ref: string;
  ticketNumber: number;
}

export const TICKET_NUMBER_BASE = 1000;

const OPTIONS = { strict: 'throw', strictQuery: 'throw', versionKey: false, autoIndex: false } as const;
const str = { type: String, required: true } as const;
const optStr = { type: String } as const;
const integer = { validator: Number.isSafeInteger, message: '{PATH} must be an integer' };
const int = { type: Number, required: true, validate: integer } as const;
const optInt = { type: Number, validate: integer } as const;
const oneOf = (values: readonly string[]) => ({ type: String, required: true, enum: [...values] });
// Absent means "inherit" (person → group → deployment), so the field is optional.
const optLocale = { type: String, enum: [...LOCALES] } as const;

const counterSchema = new Schema<CounterDoc>(
  { _id: str, issued: int },
  { ...OPTIONS, collection: 'counters' },
);

const inboundSchema = new Schema<InboundDoc>({ _id: str, at: int }, { ...OPTIONS, collection: 'inbound' });
inboundSchema.index({ at: 1 }, { name: 'inbound_by_at' }); // pruneInbound

const customerSchema = new Schema<CustomerDoc>(
  { _id: str, name: str, createdAt: int },
  { ...OPTIONS, collection: 'customers' },
);

const subscriptionSchema = new Schema<SubscriptionDoc>(
  {
    _id: str,
    customerId: str,
    plan: str,
    startsAt: int,
    endsAt: int,
    graceDays: int,
    trainingUsed: { ...int, min: 0 },
    createdAt: int,
  },
  { ...OPTIONS, collection: 'subscriptions' },
);
subscriptionSchema.index({ customerId: 1, endsAt: -1 }, { name: 'subscriptions_by_customer' });

const personSchema = new Schema<PersonDoc>(
  { _id: str, name: str, role: oneOf(ROLES), customerId: optStr, locale: optLocale, createdAt: int },
  { ...OPTIONS, collection: 'people' },
);
personSchema.index({ role: 1 }, { name: 'people_by_role' });
personSchema.index(
  { customerId: 1, role: 1 },
  { name: 'people_by_customer', partialFilterExpression: { customerId: { $exists: true } } },
);

const identitySchema = new Schema<IdentityDoc>(
  { platform: oneOf(PLATFORMS), userId: str, personId: str },
  { ...OPTIONS, collection: 'identities' },
);
identitySchema.index({ platform: 1, userId: 1 }, { name: 'identities_by_user', unique: true });
identitySchema.index({ personId: 1 }, { name: 'identities_by_person' });

const groupSchema = new Schema<GroupDoc>(
  {
    platform: oneOf(PLATFORMS),
    chatId: str,
    kind: oneOf(GROUP_KINDS),
    customerId: optStr,
    title: optStr,
    locale: optLocale,
    autoMode: { type: Boolean, required: true },
    boundAt: int,
  },
  { ...OPTIONS, collection: 'groups' },
);
groupSchema.index({ platform: 1, chatId: 1 }, { name: 'groups_by_chat', unique: true });
groupSchema.index({ kind: 1 }, { name: 'groups_by_kind' });

const ticketSchema = new Schema<TicketDoc>(
  {
    _id: int,
    customerId: str,
    requesterId: str,
    platform: oneOf(PLATFORMS),
    chatId: str,
    threadId: optStr,
    sourceKey: str,
    category: oneOf(CATEGORIES),
    priority: oneOf(PRIORITIES),
    status: oneOf(TICKET_STATUSES),
    subject: str,
    assigneeId: optStr,
    plan: str,
    createdAt: int,
    updatedAt: int,
    lastCustomerAt: int,
    dueAt: optInt,
    firstResponseAt: optInt,
    pausedAt: optInt,
    resolvedAt: optInt,
    closedAt: optInt,
    nextResponseDueAt: optInt,
    resolutionDueAt: optInt,
    nextResponseSince: optInt,
    nearestDueAt: optInt,
    version: int,
  },
  { ...OPTIONS, collection: 'tickets' },
);
// Index → query (see also the list in docs/storage.md):
ticketSchema.index({ sourceKey: 1 }, { name: 'tickets_by_source_key', unique: true }); // createTicket
ticketSchema.index({ status: 1, priority: 1, dueAt: 1 }, { name: 'tickets_by_status' }); // the queue, /overdue
// The SLA scan: `firstResponseAt: null` matches the absent field, so the bounds are exactly
// the tickets still awaiting a first response with a deadline before the cut-off.
ticketSchema.index({ firstResponseAt: 1, dueAt: 1 }, { name: 'tickets_awaiting_response' });
// The per-metric SLA deadlines (issue 20): only tickets whose clock has one are indexed.
ticketSchema.index({ nextResponseDueAt: 1 }, { name: 'tickets_awaiting_next_response', sparse: true });
ticketSchema.index({ resolutionDueAt: 1 }, { name: 'tickets_awaiting_resolution', sparse: true });
// The queue by the nearest deadline of any running promise, and the past ones (/overdue):
// only tickets in the queue have the key (src/core/sla/nearest.ts).
ticketSchema.index(
  { priority: 1, nearestDueAt: 1, _id: 1 },
  { name: 'tickets_queue', partialFilterExpression: { nearestDueAt: { $exists: true } } },
);
ticketSchema.index({ nearestDueAt: 1 }, { name: 'tickets_nearest_due', sparse: true });
ticketSchema.index({ customerId: 1, createdAt: 1 }, { name: 'tickets_by_customer' }); // reports
ticketSchema.index({ customerId: 1, status: 1 }, { name: 'tickets_by_customer_status' }); // /status
ticketSchema.index(
  { requesterId: 1, platform: 1, chatId: 1, lastCustomerAt: -1 },
  { name: 'tickets_by_requester' }, // latestTicketOf, /mine
);
ticketSchema.index(
  { assigneeId: 1, status: 1 },
  { name: 'tickets_by_assignee', partialFilterExpression: { assigneeId: { $exists: true } } },
);
ticketSchema.index(
  { platform: 1, chatId: 1, threadId: 1 },
  { name: 'tickets_by_thread', partialFilterExpression: { threadId: { $exists: true } } },
);
ticketSchema.index({ createdAt: 1 }, { name: 'tickets_by_created' }); // reports across customers

const eventSchema = new Schema<EventDoc>(
  {
    ticketNumber: int,
    at: int,
    kind: oneOf(EVENT_KINDS),
    actorId: str,
    text: optStr,
    from: optStr,
    to: optStr,
  },
  { ...OPTIONS, collection: 'events' },
);
eventSchema.index({ ticketNumber: 1, at: 1, _id: 1 }, { name: 'events_by_ticket' });

const messageLinkSchema = new Schema<MessageLinkDoc>(
  { platform: oneOf(PLATFORMS), chatId: str, messageId: str, ticketNumber: int },
  { ...OPTIONS, collection: 'message_links' },
);
messageLinkSchema.index(
  { platform: 1, chatId: 1, messageId: 1 },
  { name: 'message_links_by_message', unique: true },
);

const reminderSchema = new Schema<ReminderDoc>(
  {
    _id: str,
    subject: str,
    stage: str,
    dueAt: int,
    nextAt: int,
    status: oneOf(REMINDER_STATUSES),
    round: { ...int, min: 0 },
    attempts: { ...int, min: 0 },
    delivered: { type: [String] },
    owner: optStr,
    leaseUntil: optInt,
    lastSentAt: optInt,
    lastError: optStr,
    updatedAt: int,
  },
  { ...OPTIONS, collection: 'reminders' },
);
// `_id` = `<subject>/<stage>`: one row per (subject, stage) by construction (rule 1).
// Claims and the due list: partial over pending rows, so a tick reads what is due and
// never walks the sent history. A query must say `status: 'pending'` to use it.
reminderSchema.index(
  { nextAt: 1, _id: 1 },
  { name: 'reminders_due', partialFilterExpression: { status: 'pending' } },
);
reminderSchema.index({ subject: 1, dueAt: 1 }, { name: 'reminders_by_subject' }); // list, cancel
reminderSchema.index(
  { updatedAt: 1, _id: 1 },
  { name: 'reminders_failed', partialFilterExpression: { status: 'failed' } }, // the digest
);

const outboxFields = {
  _id: str,
  chat: str,
  seq: { ...int, min: 1 },
  message: str,
  after: optStr,
  state: oneOf(OUTBOX_STATES),
  attempts: { ...int, min: 0 },
  nextAt: int,
  owner: optStr,
  leaseUntil: optInt,
  lastError: optStr,
  idempotencyId: str,
  sentAt: optInt,
  sentMessageId: optStr,
  expiresAt: int,
  createdAt: int,
  updatedAt: int,
} as const;
const outboxSchema = new Schema<OutboxDoc>(outboxFields, { ...OPTIONS, collection: 'outbox' });
// Rule 1 of the Outbox port: the order within a chat rests on this unique key (an insert that
// takes a seq already taken answers E11000 on MongoDB and FerretDB alike, and is retried).
outboxSchema.index({ chat: 1, seq: 1 }, { name: 'outbox_by_chat', unique: true });
// Plain (not partial) indexes: FerretDB 1.x has no partial ones; state first serves both.
outboxSchema.index({ state: 1, nextAt: 1 }, { name: 'outbox_due' });
outboxSchema.index({ state: 1, updatedAt: 1 }, { name: 'outbox_settled' });
// Settled rows move here (mongo.outbox.ts), so that what a sender scans stays the waiting rows:
// FerretDB 1.x reads a whole collection for most queries. /history and the CLI read both.
const outboxDoneSchema = new Schema<OutboxDoc>(outboxFields, { ...OPTIONS, collection: 'outbox_done' });
outboxDoneSchema.index({ chat: 1, seq: 1 }, { name: 'outbox_done_by_chat' });
outboxDoneSchema.index({ updatedAt: 1 }, { name: 'outbox_done_by_age' });

const claimFields = { _id: str, at: int, owner: optStr, leaseUntil: optInt } as const;
const claimSchema = (collection: string) => {
  const schema = new Schema<ClaimDoc>(claimFields, { ...OPTIONS, collection });
  schema.index({ at: 1 }, { name: `${collection}_by_at` }); // pruning
  return schema;
};
const ticketNumberSchema = new Schema<TicketNumberDoc>(
  { _id: int, at: int },
  { ...OPTIONS, collection: 'ticket_numbers' },
);

const macroSchema = new Schema<MacroDoc>(
  {
    _id: str,
    name: str,
    locale: oneOf(LOCALES),
    text: str,
    updatedBy: str,
    updatedAt: int,
  },
  { ...OPTIONS, collection: 'macros' },
);
macroSchema.index({ name: 1, locale: 1 }, { name: 'macros_by_name' }); // getMacros, listMacros, deleteMacro

const upstreamLinkSchema = new Schema<UpstreamLinkDoc>(
  { _id: str, ref: str, ticketNumber: int },
  { ...OPTIONS, collection: 'upstream_links' },
);
// Plain (FerretDB 1.x has no partial indexes): the collection holds links only anyway.
upstreamLinkSchema.index({ ref: 1, ticketNumber: 1 }, { name: 'upstream_links_by_ref' }); // ticketsLinkedTo

export interface Models {
  readonly counters: Model<CounterDoc>;
  readonly inbound: Model<InboundDoc>;
  readonly customers: Model<CustomerDoc>;
  readonly subscriptions: Model<SubscriptionDoc>;
  readonly people: Model<PersonDoc>;
  readonly identities: Model<IdentityDoc>;
  readonly groups: Model<GroupDoc>;
  readonly tickets: Model<TicketDoc>;
  readonly events: Model<EventDoc>;
  readonly messageLinks: Model<MessageLinkDoc>;
  readonly reminders: Model<ReminderDoc>;
  readonly ticketNumbers: Model<TicketNumberDoc>;
  /** `<ticket>:<version>`: who moves a ticket on from that version. */
  readonly ticketVersions: Model<ClaimDoc>;
  /** `<subscription>#<n>`: the n-th training session booked. */
  readonly trainingSlots: Model<ClaimDoc>;
  /** `<reminder key>@<nextAt>#<n>`: who sends a reminder due at that time. */
  readonly reminderClaims: Model<ClaimDoc>;
  readonly outbox: Model<OutboxDoc>;
  /** `<outbound id>@<nextAt>#<n>`: who sends an outbox row as it stood at that time. */
  readonly outboxClaims: Model<ClaimDoc>;
  /** Settled outbox rows (sent, failed, dropped), but each chat's newest, which keeps its seq. */
  readonly outboxDone: Model<OutboxDoc>;
  readonly macros: Model<MacroDoc>;
  readonly upstreamLinks: Model<UpstreamLinkDoc>;
}

/** Registers the models on a connection (models are per connection, never global). */
export function modelsOn(connection: Connection): Models {
  return {
    counters: connection.model<CounterDoc>('Counter', counterSchema),
    inbound: connection.model<InboundDoc>('Inbound', inboundSchema),
    customers: connection.model<CustomerDoc>('Customer', customerSchema),
    subscriptions: connection.model<SubscriptionDoc>('Subscription', subscriptionSchema),
    people: connection.model<PersonDoc>('Person', personSchema),
    identities: connection.model<IdentityDoc>('Identity', identitySchema),
    groups: connection.model<GroupDoc>('Group', groupSchema),
    tickets: connection.model<TicketDoc>('Ticket', ticketSchema),
    events: connection.model<EventDoc>('Event', eventSchema),
    messageLinks: connection.model<MessageLinkDoc>('MessageLink', messageLinkSchema),
    reminders: connection.model<ReminderDoc>('Reminder', reminderSchema),
    ticketNumbers: connection.model<TicketNumberDoc>('TicketNumber', ticketNumberSchema),
    ticketVersions: connection.model<ClaimDoc>('TicketVersion', claimSchema('ticket_versions')),
    trainingSlots: connection.model<ClaimDoc>('TrainingSlot', claimSchema('training_slots')),
    reminderClaims: connection.model<ClaimDoc>('ReminderClaim', claimSchema('reminder_claims')),
    outbox: connection.model<OutboxDoc>('Outbox', outboxSchema),
    outboxClaims: connection.model<ClaimDoc>('OutboxClaim', claimSchema('outbox_claims')),
    outboxDone: connection.model<OutboxDoc>('OutboxDone', outboxDoneSchema),
    macros: connection.model<MacroDoc>('Macro', macroSchema),
    upstreamLinks: connection.model<UpstreamLinkDoc>('UpstreamLink', upstreamLinkSchema),
  };
}
