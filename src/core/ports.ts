/**
 * The ports through which the pure core reaches the outside world: time, storage and
 * delivery. Implementations live outside src/core (src/store/*, adapters/*, src/main.ts).
 */
import type { OutboundMessage, Platform, SentMessage } from './chat';
import type {
  Customer,
  Group,
  GroupKind,
  Identity,
  Person,
  Priority,
  Role,
  Subscription,
  Ticket,
  TicketEvent,
  TicketStatus,
} from './model';

/** Where time comes from. Tests and the playground move it by hand. */
export interface Clock {
  now(): number;
}

/** Sends outbound messages to whichever platform they name. */
export interface Messenger {
  send(message: OutboundMessage): Promise<SentMessage | undefined>;
}

export type NewTicket = Omit<Ticket, 'number' | 'version'>;
export type NewEvent = Omit<TicketEvent, 'ticketNumber'>;

/** Fields an update may change; `null` clears an optional field. */
export interface TicketPatch {
  readonly status?: TicketStatus;
  readonly priority?: Priority;
  readonly assigneeId?: string | null;
  readonly threadId?: string;
  readonly dueAt?: number | null;
  readonly firstResponseAt?: number;
  readonly pausedAt?: number | null;
  readonly resolvedAt?: number | null;
  readonly closedAt?: number | null;
  readonly lastCustomerAt?: number;
  readonly updatedAt: number;
}

export interface TicketQuery {
  readonly customerId?: string;
  readonly requesterId?: string;
  readonly assigneeId?: string;
  readonly statuses?: readonly TicketStatus[];
  /** Only tickets whose first response is still missing and whose deadline is before this time. */
  readonly dueBefore?: number;
  readonly createdSince?: number;
  /** Default 50; at most 500. */
  readonly limit?: number;
}

export interface PeopleQuery {
  readonly role?: Role;
  readonly customerId?: string;
}

/** One record of a full export, in a stable order (customers first, events last). */
export interface ExportRecord {
  readonly kind:
    | 'customer'
    | 'subscription'
    | 'person'
    | 'identity'
    | 'group'
    | 'ticket'
    | 'event'
    | 'message_link';
  readonly record: object;
}

export interface MessageLink {
  readonly platform: Platform;
  readonly chatId: string;
  readonly messageId: string;
  readonly ticketNumber: number;
}

/**
 * Storage. Every method is atomic on its own; the ones that allocate or compare-and-set
 * (claimInbound, createTicket, updateTicket, consumeTraining) stay correct with several
 * bot processes sharing one store. A resolved promise means the write is durable.
 * A call that cannot reach the database rejects with an error for which
 * `isStoreUnavailable` (./errors.ts) is true; the router keeps the message and retries.
 */
export interface Store {
  /** Records an inbound message key; false when it was seen before (a duplicate). */
  claimInbound(key: string, at: number): Promise<boolean>;
  /** Forgets a key whose processing failed, so that a redelivery is handled again. */
  releaseInbound(key: string): Promise<void>;
  /** Forgets keys recorded before `olderThan` (platforms stop redelivering long before); returns how many. */
  pruneInbound(olderThan: number): Promise<number>;

  putCustomer(customer: Customer): Promise<void>;
  getCustomer(id: string): Promise<Customer | undefined>;
  listCustomers(): Promise<Customer[]>;

  /** Inserts or replaces by id. */
  putSubscription(subscription: Subscription): Promise<void>;
  /** All subscriptions of a customer, newest `endsAt` first. */
  listSubscriptions(customerId: string): Promise<Subscription[]>;
  /** Atomically books one training session if fewer than `quota` are used; false otherwise. */
  consumeTraining(subscriptionId: string, quota: number): Promise<boolean>;

  /** Inserts or replaces by id. */
  putPerson(person: Person): Promise<void>;
  getPerson(id: string): Promise<Person | undefined>;
  deletePerson(id: string): Promise<void>;
  listPeople(query: PeopleQuery): Promise<Person[]>;
  /** Inserts or re-points (platform, userId) to a person. */
  putIdentity(identity: Identity): Promise<void>;
  findPersonByIdentity(platform: Platform, userId: string): Promise<Person | undefined>;
  listIdentities(personId: string): Promise<Identity[]>;

  /** Inserts or replaces by (platform, chatId). */
  putGroup(group: Group): Promise<void>;
  getGroup(platform: Platform, chatId: string): Promise<Group | undefined>;
  listGroups(kind?: GroupKind): Promise<Group[]>;

  /**
   * Allocates the next ticket number and stores the ticket with its first event, atomically.
   * When a ticket with the same `sourceKey` exists, returns it with `created: false`.
   */
  createTicket(ticket: NewTicket, firstEvent: NewEvent): Promise<{ ticket: Ticket; created: boolean }>;
  getTicket(number: number): Promise<Ticket | undefined>;
  findTicketByThread(platform: Platform, chatId: string, threadId: string): Promise<Ticket | undefined>;
  /**
   * Applies the patch and appends the events if the ticket is still at `expectedVersion`;
   * returns the updated ticket (version + 1), or undefined when someone else changed it first.
   */
  updateTicket(
    number: number,
    expectedVersion: number,
    patch: TicketPatch,
    events: readonly NewEvent[],
  ): Promise<Ticket | undefined>;
  addEvent(ticketNumber: number, event: NewEvent): Promise<void>;
  listEvents(ticketNumber: number): Promise<TicketEvent[]>;
  /** Ordered by priority (p1 first), then deadline (none last), then number. */
  queryTickets(query: TicketQuery): Promise<Ticket[]>;
  /** The requester's most recently active ticket in that chat that is not closed. */
  latestTicketOf(requesterId: string, platform: Platform, chatId: string): Promise<Ticket | undefined>;

  /** Remembers that a platform message belongs to a ticket (for quotes/replies). */
  linkMessage(link: MessageLink): Promise<void>;
  findTicketByMessage(platform: Platform, chatId: string, messageId: string): Promise<Ticket | undefined>;

  exportAll(): AsyncIterable<ExportRecord>;
  close(): Promise<void>;
}
