/**
 * Mapping between SQLite rows (snake_case, NULL for absent) and the domain records of
 * src/core/model.ts (camelCase, optional fields absent rather than null or undefined).
 * Reads pick named columns, so nothing else a driver adds to a row (libsql adds
 * `_metadata`) ever reaches the core. Writes go through the checks in ../values.ts.
 */
import { PLATFORMS } from '../../core/chat';
import {
  CATEGORIES,
  type Customer,
  EVENT_KINDS,
  GROUP_KINDS,
  type Group,
  type Identity,
  type Person,
  PRIORITIES,
  ROLES,
  type Subscription,
  TICKET_STATUSES,
  type Ticket,
  type TicketEvent,
} from '../../core/model';
import type { MessageLink, NewEvent, NewTicket } from '../../core/ports';
import { flag, integer, oneOf, optionalInteger, optionalText, text } from '../values';

export type Params = Record<string, string | number | null>;

/** `{ key: value }` when the column holds a value, `{}` when it is NULL. */
function present<K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> {
  return (value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
}

// Row shapes as SELECT * returns them. Enum columns are typed as the domain's unions
// because only values checked by ../values.ts are ever written to them.
export interface CustomerRow {
  id: string;
  name: string;
  created_at: number;
}
export interface SubscriptionRow {
  id: string;
  customer_id: string;
  plan: string;
  starts_at: number;
  ends_at: number;
  grace_days: number;
  training_used: number;
  created_at: number;
}
export interface PersonRow {
  id: string;
  name: string;
  role: Person['role'];
  customer_id: string | null;
  created_at: number;
}
export interface IdentityRow {
  platform: Identity['platform'];
  user_id: string;
  person_id: string;
}
export interface GroupRow {
  platform: Group['platform'];
  chat_id: string;
  kind: Group['kind'];
  customer_id: string | null;
  title: string | null;
  auto_mode: number;
  bound_at: number;
}
export interface TicketRow {
  number: number;
  customer_id: string;
  requester_id: string;
  platform: Ticket['platform'];
  chat_id: string;
  thread_id: string | null;
  source_key: string;
  category: Ticket['category'];
  priority: Ticket['priority'];
  status: Ticket['status'];
  subject: string;
  assignee_id: string | null;
  plan: string;
  created_at: number;
  updated_at: number;
  last_customer_at: number;
  due_at: number | null;
  first_response_at: number | null;
  paused_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
}
export interface EventRow {
  ticket_number: number;
  at: number;
  kind: TicketEvent['kind'];
  actor_id: string;
  text: string | null;
  from_value: string | null;
  to_value: string | null;
}
export interface MessageLinkRow {
  platform: MessageLink['platform'];
  chat_id: string;
  message_id: string;
  ticket_number: number;
}

export const toCustomer = (r: CustomerRow): Customer => ({ id: r.id, name: r.name, createdAt: r.created_at });

export const toSubscription = (r: SubscriptionRow): Subscription => ({
  id: r.id,
  customerId: r.customer_id,
  plan: r.plan,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  graceDays: r.grace_days,
  trainingUsed: r.training_used,
  createdAt: r.created_at,
});

export const toPerson = (r: PersonRow): Person => ({
  id: r.id,
  name: r.name,
  role: r.role,
  ...present('customerId', r.customer_id),
  createdAt: r.created_at,
});

export const toIdentity = (r: IdentityRow): Identity => ({
  platform: r.platform,
  userId: r.user_id,
  personId: r.person_id,
});

export const toGroup = (r: GroupRow): Group => ({
  platform: r.platform,
  chatId: r.chat_id,
  kind: r.kind,
  ...present('customerId', r.customer_id),
  ...present('title', r.title),
  autoMode: r.auto_mode === 1,
  boundAt: r.bound_at,
});

export const toTicket = (r: TicketRow): Ticket => ({
  number: r.number,
  customerId: r.customer_id,
  requesterId: r.requester_id,
  platform: r.platform,
  chatId: r.chat_id,
  ...present('threadId', r.thread_id),
  sourceKey: r.source_key,
  category: r.category,
  priority: r.priority,
  status: r.status,
  subject: r.subject,
  ...present('assigneeId', r.assignee_id),
  plan: r.plan,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastCustomerAt: r.last_customer_at,
  ...present('dueAt', r.due_at),
  ...present('firstResponseAt', r.first_response_at),
  ...present('pausedAt', r.paused_at),
  ...present('resolvedAt', r.resolved_at),
  ...present('closedAt', r.closed_at),
  version: r.version,
});

export const toEvent = (r: EventRow): TicketEvent => ({
  ticketNumber: r.ticket_number,
  at: r.at,
  kind: r.kind,
  actorId: r.actor_id,
  ...present('text', r.text),
  ...present('from', r.from_value),
  ...present('to', r.to_value),
});

export const toMessageLink = (r: MessageLinkRow): MessageLink => ({
  platform: r.platform,
  chatId: r.chat_id,
  messageId: r.message_id,
  ticketNumber: r.ticket_number,
});

export const customerParams = (c: Customer): Params => ({
  id: text(c.id, 'customer.id'),
  name: text(c.name, 'customer.name'),
  created_at: integer(c.createdAt, 'customer.createdAt'),
});

export const subscriptionParams = (s: Subscription): Params => ({
  id: text(s.id, 'subscription.id'),
  customer_id: text(s.customerId, 'subscription.customerId'),
  plan: text(s.plan, 'subscription.plan'),
  starts_at: integer(s.startsAt, 'subscription.startsAt'),
  ends_at: integer(s.endsAt, 'subscription.endsAt'),
  grace_days: integer(s.graceDays, 'subscription.graceDays'),
  training_used: integer(s.trainingUsed, 'subscription.trainingUsed'),
  created_at: integer(s.createdAt, 'subscription.createdAt'),
});

export const personParams = (p: Person): Params => ({
  id: text(p.id, 'person.id'),
  name: text(p.name, 'person.name'),
  role: oneOf(p.role, ROLES, 'person.role'),
  customer_id: optionalText(p.customerId, 'person.customerId'),
  created_at: integer(p.createdAt, 'person.createdAt'),
});

export const identityParams = (i: Identity): Params => ({
  platform: oneOf(i.platform, PLATFORMS, 'identity.platform'),
  user_id: text(i.userId, 'identity.userId'),
  person_id: text(i.personId, 'identity.personId'),
});

export const groupParams = (g: Group): Params => ({
  platform: oneOf(g.platform, PLATFORMS, 'group.platform'),
  chat_id: text(g.chatId, 'group.chatId'),
  kind: oneOf(g.kind, GROUP_KINDS, 'group.kind'),
  customer_id: optionalText(g.customerId, 'group.customerId'),
  title: optionalText(g.title, 'group.title'),
  auto_mode: flag(g.autoMode, 'group.autoMode') ? 1 : 0,
  bound_at: integer(g.boundAt, 'group.boundAt'),
});

/** Everything but `number` (allocated in the transaction) and `version` (starts at 1). */
export const newTicketParams = (t: NewTicket): Params => ({
  customer_id: text(t.customerId, 'ticket.customerId'),
  requester_id: text(t.requesterId, 'ticket.requesterId'),
  platform: oneOf(t.platform, PLATFORMS, 'ticket.platform'),
  chat_id: text(t.chatId, 'ticket.chatId'),
  thread_id: optionalText(t.threadId, 'ticket.threadId'),
  source_key: text(t.sourceKey, 'ticket.sourceKey'),
  category: oneOf(t.category, CATEGORIES, 'ticket.category'),
  priority: oneOf(t.priority, PRIORITIES, 'ticket.priority'),
  status: oneOf(t.status, TICKET_STATUSES, 'ticket.status'),
  subject: text(t.subject, 'ticket.subject'),
  assignee_id: optionalText(t.assigneeId, 'ticket.assigneeId'),
  plan: text(t.plan, 'ticket.plan'),
  created_at: integer(t.createdAt, 'ticket.createdAt'),
  updated_at: integer(t.updatedAt, 'ticket.updatedAt'),
  last_customer_at: integer(t.lastCustomerAt, 'ticket.lastCustomerAt'),
  due_at: optionalInteger(t.dueAt, 'ticket.dueAt'),
  first_response_at: optionalInteger(t.firstResponseAt, 'ticket.firstResponseAt'),
  paused_at: optionalInteger(t.pausedAt, 'ticket.pausedAt'),
  resolved_at: optionalInteger(t.resolvedAt, 'ticket.resolvedAt'),
  closed_at: optionalInteger(t.closedAt, 'ticket.closedAt'),
});

export const eventParams = (ticketNumber: number, e: NewEvent): Params => ({
  ticket_number: integer(ticketNumber, 'event.ticketNumber'),
  at: integer(e.at, 'event.at'),
  kind: oneOf(e.kind, EVENT_KINDS, 'event.kind'),
  actor_id: text(e.actorId, 'event.actorId'),
  text: optionalText(e.text, 'event.text'),
  from_value: optionalText(e.from, 'event.from'),
  to_value: optionalText(e.to, 'event.to'),
});

export const messageLinkParams = (l: MessageLink): Params => ({
  platform: oneOf(l.platform, PLATFORMS, 'messageLink.platform'),
  chat_id: text(l.chatId, 'messageLink.chatId'),
  message_id: text(l.messageId, 'messageLink.messageId'),
  ticket_number: integer(l.ticketNumber, 'messageLink.ticketNumber'),
});
