/**
 * Domain records → values to bind, every one checked by ../values.ts first (libsql must
 * never see a boolean or an object, SQLite text must not hold U+0000).
 */
import { PLATFORMS } from '../../core/chat';
import { LOCALES } from '../../core/i18n';
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
} from '../../core/model';
import type { MessageLink, NewEvent, NewTicket } from '../../core/ports';
import { flag, integer, oneOf, optionalInteger, optionalText, text } from '../values';
import { type EventRow, TICKET_COLUMNS, type TicketRow } from './rows';

/** `undefined` and `null` mean "inherit"; anything else must be a supported locale. */
const optionalLocale = (value: unknown, field: string) =>
  value === undefined || value === null ? null : oneOf(value, LOCALES, field);

export type Params = Record<string, string | number | null>;

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
  locale: optionalLocale(p.locale, 'person.locale'),
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
  locale: optionalLocale(g.locale, 'group.locale'),
});

export type NewTicketRow = Omit<TicketRow, 'number' | 'version'>;

/** Everything but `number` (allocated in the transaction) and `version` (starts at 1). */
export const newTicketRow = (t: NewTicket): NewTicketRow => ({
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
  next_response_due_at: optionalInteger(t.nextResponseDueAt, 'ticket.nextResponseDueAt'),
  resolution_due_at: optionalInteger(t.resolutionDueAt, 'ticket.resolutionDueAt'),
  next_response_since: optionalInteger(t.nextResponseSince, 'ticket.nextResponseSince'),
  nearest_due_at: optionalInteger(t.nearestDueAt, 'ticket.nearestDueAt'),
});

/** Column order of the positional ticket INSERT (positional binding is markedly cheaper in libsql). */
export const NEW_TICKET_COLUMNS = TICKET_COLUMNS.filter(
  (column): column is keyof NewTicketRow => column !== 'number' && column !== 'version',
);

export const eventRow = (ticketNumber: number, e: NewEvent): EventRow => ({
  ticket_number: integer(ticketNumber, 'event.ticketNumber'),
  at: integer(e.at, 'event.at'),
  kind: oneOf(e.kind, EVENT_KINDS, 'event.kind'),
  actor_id: text(e.actorId, 'event.actorId'),
  text: optionalText(e.text, 'event.text'),
  from_value: optionalText(e.from, 'event.from'),
  to_value: optionalText(e.to, 'event.to'),
});

/** Positional values for SQL.insertEvent. */
export const eventValues = (r: EventRow): Array<string | number | null> => [
  r.ticket_number,
  r.at,
  r.kind,
  r.actor_id,
  r.text,
  r.from_value,
  r.to_value,
];

/** Positional values for SQL.linkMessage. */
export const messageLinkValues = (l: MessageLink): Array<string | number> => [
  oneOf(l.platform, PLATFORMS, 'messageLink.platform'),
  text(l.chatId, 'messageLink.chatId'),
  text(l.messageId, 'messageLink.messageId'),
  integer(l.ticketNumber, 'messageLink.ticketNumber'),
];
