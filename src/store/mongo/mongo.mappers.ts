/**
 * Lean MongoDB documents ↔ domain records. Reads copy named fields only, so no `_id`,
 * ObjectId or mongoose document ever reaches the core; writes check every value with
 * ../values.ts first, so a query or a document only ever holds strings, integers and
 * booleans that the store built itself (never an object a caller passed, which MongoDB
 * could read as an operator).
 */
import { PLATFORMS } from '../../core/chat';
import { isLocale, LOCALES } from '../../core/i18n';
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
import {
  type MessageLink,
  type NewEvent,
  type NewTicket,
  REMINDER_STATUSES,
  type Reminder,
} from '../../core/ports';
import { flag, integer, oneOf, optionalInteger, optionalText, text } from '../values';
import type {
  CustomerDoc,
  EventDoc,
  GroupDoc,
  IdentityDoc,
  MessageLinkDoc,
  PersonDoc,
  ReminderDoc,
  SubscriptionDoc,
  TicketDoc,
} from './mongo.schemas';

/** `{ key: value }` when present, `{}` when absent (or null, which the store never writes). */
function present<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return (value === undefined || value === null ? {} : { [key]: value }) as Partial<Record<K, V>>;
}

/** `undefined` and `null` mean "inherit"; anything else must be a supported locale. */
const optionalLocale = (value: unknown, field: string) =>
  value === undefined || value === null ? null : oneOf(value, LOCALES, field);

// Enum fields were checked on the way in and the schemas validate them again, so reading
// them back as the domain's unions is sound.
type Of<T, K extends keyof T> = T[K];

export const toCustomer = (d: CustomerDoc): Customer => ({ id: d._id, name: d.name, createdAt: d.createdAt });

export const toSubscription = (d: SubscriptionDoc): Subscription => ({
  id: d._id,
  customerId: d.customerId,
  plan: d.plan,
  startsAt: d.startsAt,
  endsAt: d.endsAt,
  graceDays: d.graceDays,
  trainingUsed: d.trainingUsed,
  createdAt: d.createdAt,
});

export const toPerson = (d: PersonDoc): Person => ({
  id: d._id,
  name: d.name,
  role: d.role as Of<Person, 'role'>,
  ...present('customerId', d.customerId),
  ...present('locale', isLocale(d.locale) ? d.locale : undefined),
  createdAt: d.createdAt,
});

export const toIdentity = (d: IdentityDoc): Identity => ({
  platform: d.platform as Of<Identity, 'platform'>,
  userId: d.userId,
  personId: d.personId,
});

export const toGroup = (d: GroupDoc): Group => ({
  platform: d.platform as Of<Group, 'platform'>,
  chatId: d.chatId,
  kind: d.kind as Of<Group, 'kind'>,
  ...present('customerId', d.customerId),
  ...present('title', d.title),
  ...present('locale', isLocale(d.locale) ? d.locale : undefined),
  autoMode: d.autoMode,
  boundAt: d.boundAt,
});

export const toTicket = (d: TicketDoc): Ticket => ({
  number: d._id,
  customerId: d.customerId,
  requesterId: d.requesterId,
  platform: d.platform as Of<Ticket, 'platform'>,
  chatId: d.chatId,
  ...present('threadId', d.threadId),
  sourceKey: d.sourceKey,
  category: d.category as Of<Ticket, 'category'>,
  priority: d.priority as Of<Ticket, 'priority'>,
  status: d.status as Of<Ticket, 'status'>,
  subject: d.subject,
  ...present('assigneeId', d.assigneeId),
  plan: d.plan,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
  lastCustomerAt: d.lastCustomerAt,
  ...present('dueAt', d.dueAt),
  ...present('firstResponseAt', d.firstResponseAt),
  ...present('pausedAt', d.pausedAt),
  ...present('resolvedAt', d.resolvedAt),
  ...present('closedAt', d.closedAt),
  ...present('nextResponseDueAt', d.nextResponseDueAt),
  ...present('resolutionDueAt', d.resolutionDueAt),
  ...present('nextResponseSince', d.nextResponseSince),
  ...present('nearestDueAt', d.nearestDueAt),
  version: d.version,
});

export const toEvent = (d: EventDoc): TicketEvent => ({
  ticketNumber: d.ticketNumber,
  at: d.at,
  kind: d.kind as Of<TicketEvent, 'kind'>,
  actorId: d.actorId,
  ...present('text', d.text),
  ...present('from', d.from),
  ...present('to', d.to),
});

export const toMessageLink = (d: MessageLinkDoc): MessageLink => ({
  platform: d.platform as Of<MessageLink, 'platform'>,
  chatId: d.chatId,
  messageId: d.messageId,
  ticketNumber: d.ticketNumber,
});

export const toReminder = (d: ReminderDoc): Reminder => ({
  key: d._id,
  subject: d.subject,
  stage: d.stage,
  dueAt: d.dueAt,
  nextAt: d.nextAt,
  status: oneOf(d.status, REMINDER_STATUSES, 'reminder.status'),
  round: d.round,
  attempts: d.attempts,
  delivered: [...(d.delivered ?? [])],
  ...present('owner', d.owner),
  ...present('leaseUntil', d.leaseUntil),
  ...present('lastSentAt', d.lastSentAt),
  ...present('lastError', d.lastError),
  updatedAt: d.updatedAt,
});

export const customerDoc = (c: Customer): CustomerDoc => ({
  _id: text(c.id, 'customer.id'),
  name: text(c.name, 'customer.name'),
  createdAt: integer(c.createdAt, 'customer.createdAt'),
});

export const subscriptionDoc = (s: Subscription): SubscriptionDoc => ({
  _id: text(s.id, 'subscription.id'),
  customerId: text(s.customerId, 'subscription.customerId'),
  plan: text(s.plan, 'subscription.plan'),
  startsAt: integer(s.startsAt, 'subscription.startsAt'),
  endsAt: integer(s.endsAt, 'subscription.endsAt'),
  graceDays: integer(s.graceDays, 'subscription.graceDays'),
  trainingUsed: integer(s.trainingUsed, 'subscription.trainingUsed'),
  createdAt: integer(s.createdAt, 'subscription.createdAt'),
});

export const personDoc = (p: Person): PersonDoc => ({
  _id: text(p.id, 'person.id'),
  name: text(p.name, 'person.name'),
  role: oneOf(p.role, ROLES, 'person.role'),
  ...present('customerId', optionalText(p.customerId, 'person.customerId')),
  ...present('locale', optionalLocale(p.locale, 'person.locale')),
  createdAt: integer(p.createdAt, 'person.createdAt'),
});

export const identityDoc = (i: Identity): IdentityDoc => ({
  platform: oneOf(i.platform, PLATFORMS, 'identity.platform'),
  userId: text(i.userId, 'identity.userId'),
  personId: text(i.personId, 'identity.personId'),
});

export const groupDoc = (g: Group): GroupDoc => ({
  platform: oneOf(g.platform, PLATFORMS, 'group.platform'),
  chatId: text(g.chatId, 'group.chatId'),
  kind: oneOf(g.kind, GROUP_KINDS, 'group.kind'),
  ...present('customerId', optionalText(g.customerId, 'group.customerId')),
  ...present('title', optionalText(g.title, 'group.title')),
  ...present('locale', optionalLocale(g.locale, 'group.locale')),
  autoMode: flag(g.autoMode, 'group.autoMode'),
  boundAt: integer(g.boundAt, 'group.boundAt'),
});

/** A new ticket's document; `_id` (its number) is allocated by the store. */
export const newTicketDoc = (t: NewTicket): Omit<TicketDoc, '_id'> => ({
  customerId: text(t.customerId, 'ticket.customerId'),
  requesterId: text(t.requesterId, 'ticket.requesterId'),
  platform: oneOf(t.platform, PLATFORMS, 'ticket.platform'),
  chatId: text(t.chatId, 'ticket.chatId'),
  ...present('threadId', optionalText(t.threadId, 'ticket.threadId')),
  sourceKey: text(t.sourceKey, 'ticket.sourceKey'),
  category: oneOf(t.category, CATEGORIES, 'ticket.category'),
  priority: oneOf(t.priority, PRIORITIES, 'ticket.priority'),
  status: oneOf(t.status, TICKET_STATUSES, 'ticket.status'),
  subject: text(t.subject, 'ticket.subject'),
  ...present('assigneeId', optionalText(t.assigneeId, 'ticket.assigneeId')),
  plan: text(t.plan, 'ticket.plan'),
  createdAt: integer(t.createdAt, 'ticket.createdAt'),
  updatedAt: integer(t.updatedAt, 'ticket.updatedAt'),
  lastCustomerAt: integer(t.lastCustomerAt, 'ticket.lastCustomerAt'),
  ...present('dueAt', optionalInteger(t.dueAt, 'ticket.dueAt')),
  ...present('firstResponseAt', optionalInteger(t.firstResponseAt, 'ticket.firstResponseAt')),
  ...present('pausedAt', optionalInteger(t.pausedAt, 'ticket.pausedAt')),
  ...present('resolvedAt', optionalInteger(t.resolvedAt, 'ticket.resolvedAt')),
  ...present('closedAt', optionalInteger(t.closedAt, 'ticket.closedAt')),
  ...present('nextResponseDueAt', optionalInteger(t.nextResponseDueAt, 'ticket.nextResponseDueAt')),
  ...present('resolutionDueAt', optionalInteger(t.resolutionDueAt, 'ticket.resolutionDueAt')),
  ...present('nextResponseSince', optionalInteger(t.nextResponseSince, 'ticket.nextResponseSince')),
  ...present('nearestDueAt', optionalInteger(t.nearestDueAt, 'ticket.nearestDueAt')),
  version: 1,
});

export const eventDoc = (ticketNumber: number, e: NewEvent): EventDoc => ({
  ticketNumber: integer(ticketNumber, 'event.ticketNumber'),
  at: integer(e.at, 'event.at'),
  kind: oneOf(e.kind, EVENT_KINDS, 'event.kind'),
  actorId: text(e.actorId, 'event.actorId'),
  ...present('text', optionalText(e.text, 'event.text')),
  ...present('from', optionalText(e.from, 'event.from')),
  ...present('to', optionalText(e.to, 'event.to')),
});

export const messageLinkDoc = (l: MessageLink): MessageLinkDoc => ({
  platform: oneOf(l.platform, PLATFORMS, 'messageLink.platform'),
  chatId: text(l.chatId, 'messageLink.chatId'),
  messageId: text(l.messageId, 'messageLink.messageId'),
  ticketNumber: integer(l.ticketNumber, 'messageLink.ticketNumber'),
});
