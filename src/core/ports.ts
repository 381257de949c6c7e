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
import type { Outbox } from './outbox';

// The outbox's port has its own file; its names are part of this module's as before.
export * from './outbox';

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
  readonly nextResponseDueAt?: number | null;
  readonly nextResponseSince?: number;
  readonly nearestDueAt?: number | null;
  readonly resolutionDueAt?: number | null;
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
  /** Tickets opened under this plan id. */
  readonly plan?: string;
  /** Only these priorities; an empty list matches nothing. */
  readonly priorities?: readonly Priority[];
  /** The subject contains this text (case-insensitive for ASCII; at most 200 characters): the console's search box. */
  readonly subjectContains?: string;
  /**
   * `deadline`: only tickets in the queue (open, claimed, waiting on the customer), by
   * priority, then the nearest deadline of any running promise (none last), then number.
   * Otherwise by priority, first-response deadline (none last), number.
   */
  readonly order?: 'deadline';
  /** Only queue tickets whose nearest running deadline is before this time (implies `order: 'deadline'`). */
  readonly nearestDueBefore?: number;
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
    | 'message_link'
    /** A saved reply (src/core/macros.ts): kept apart from the tickets, exported last. */
    | 'macro';
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
 * The port is split by role below; `Store` is all of them.
 */

/** Inbound de-duplication keys: each platform message is handled once, across instances. */
export interface InboundKeys {
  /** Records an inbound message key; false when it was seen before (a duplicate). */
  claimInbound(key: string, at: number): Promise<boolean>;
  /** Forgets a key whose processing failed, so that a redelivery is handled again. */
  releaseInbound(key: string): Promise<void>;
  /** Forgets keys recorded before `olderThan` (platforms stop redelivering long before); returns how many. */
  pruneInbound(olderThan: number): Promise<number>;
}

/** Customers, their subscriptions and the training quota. */
export interface CustomerStore {
  putCustomer(customer: Customer): Promise<void>;
  getCustomer(id: string): Promise<Customer | undefined>;
  listCustomers(): Promise<Customer[]>;

  /** Inserts or replaces by id. */
  putSubscription(subscription: Subscription): Promise<void>;
  /** All subscriptions of a customer, newest `endsAt` first. */
  listSubscriptions(customerId: string): Promise<Subscription[]>;
  /** Atomically books one training session if fewer than `quota` are used; false otherwise. */
  consumeTraining(subscriptionId: string, quota: number): Promise<boolean>;
  /** Gives one booked training session back (a cancelled booking); false when none is booked. */
  releaseTraining(subscriptionId: string): Promise<boolean>;
}

/** People (vendor staff and subscribers) and their platform identities. */
export interface PeopleStore {
  /** Inserts or replaces by id. */
  putPerson(person: Person): Promise<void>;
  getPerson(id: string): Promise<Person | undefined>;
  deletePerson(id: string): Promise<void>;
  listPeople(query: PeopleQuery): Promise<Person[]>;
  /** Inserts or re-points (platform, userId) to a person. */
  putIdentity(identity: Identity): Promise<void>;
  findPersonByIdentity(platform: Platform, userId: string): Promise<Person | undefined>;
  listIdentities(personId: string): Promise<Identity[]>;
}

/** Bound groups: which chat is whose, and of which kind. */
export interface GroupStore {
  /** Inserts or replaces by (platform, chatId). */
  putGroup(group: Group): Promise<void>;
  getGroup(platform: Platform, chatId: string): Promise<Group | undefined>;
  listGroups(kind?: GroupKind): Promise<Group[]>;
}

/** The directory a desk reads and changes: customers, people, groups. */
export interface DirectoryStore extends CustomerStore, PeopleStore, GroupStore {}

/** Tickets and their event history. */
export interface TicketStore {
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
}

/** Which platform message belongs to which ticket (quotes, replies, threads). */
export interface MessageLinks {
  /** Remembers that a platform message belongs to a ticket (for quotes/replies). */
  linkMessage(link: MessageLink): Promise<void>;
  findTicketByMessage(platform: Platform, chatId: string, messageId: string): Promise<Ticket | undefined>;
}

/**
 * One message's writes as one: its inbound key, the change it makes and the outbox rows
 * that tell people about it commit together, or none does. SQLite does (a SAVEPOINT in the
 * group commit); MongoDB/FerretDB 1.x run `work` as it is, each write on its own (the
 * documented crash window in docs/storage.md).
 */
export interface UnitsOfWork {
  /** Whether a unit that failed stored nothing (SQLite), or kept what it wrote before the failure (MongoDB). */
  readonly atomicUnits: boolean;
  /** Runs `work`; resolves after its writes are durable, all of them, or rejects with none stored. */
  unitOfWork<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Inside `unitOfWork`: makes what was written so far durable and ends the unit there
   * (before a message leaves for a platform: it must not announce what could still roll back).
   * Elsewhere: resolves at once.
   */
  commitUnit(): Promise<void>;
}

/** The whole store for export, migration and shutdown. */
export interface StoreLifecycle {
  exportAll(): AsyncIterable<ExportRecord>;
  close(): Promise<void>;
}

/**
 * Everything a store keeps (both stores and the cache decorator implement all of it); a
 * consumer asks only for the roles it uses.
 */
export interface Store
  extends InboundKeys,
    DirectoryStore,
    TicketStore,
    MessageLinks,
    Outbox,
    UnitsOfWork,
    StoreLifecycle {}

/** Where a reminder stands. `pending` rows are the only ones a worker ever touches. */
export const REMINDER_STATUSES = ['pending', 'sent', 'skipped', 'cancelled', 'failed'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** A reminder stage the planner wants delivered at `dueAt` (see SlaStore.scheduleReminders). */
export interface PlannedReminder {
  /** What it is about: `ticket:1024`, `subscription:acme:<id>:<endsAt>`, `digest:2026-11-24`. */
  readonly subject: string;
  /** Which stage of that subject: `half`, `breach`, `before-7d`, `daily`… */
  readonly stage: string;
  readonly dueAt: number;
}

/** One row of the reminder ledger: exactly one per (subject, stage). */
export interface Reminder extends PlannedReminder {
  /** `${subject}/${stage}`: the row's identity. */
  readonly key: string;
  readonly status: ReminderStatus;
  /** When a worker may next act on it: `dueAt`, a deferral or retry time, or a lease's end. */
  readonly nextAt: number;
  /** Deliveries so far; a repeating stage (the breach alert) counts its rounds here. */
  readonly round: number;
  /** Failed delivery attempts since the last success (drives the backoff). */
  readonly attempts: number;
  /** Recipients already reached in the current round, so a retry never repeats them. */
  readonly delivered: readonly string[];
  readonly owner?: string;
  readonly leaseUntil?: number;
  readonly lastSentAt?: number;
  readonly lastError?: string;
  readonly updatedAt: number;
}

/** What became of a claimed reminder. Only its lease holder can record it. */
export type ReminderOutcome =
  /** Delivered to every recipient. `rearmAt` keeps the row pending for its next round; `event` is appended to the ticket in the same write. */
  | {
      readonly key: string;
      readonly result: 'sent';
      readonly at: number;
      readonly rearmAt?: number;
      readonly event?: { readonly ticketNumber: number; readonly event: NewEvent };
    }
  /** `skipped`: a more severe stage of the subject is due (catch-up); `cancelled`: no longer applies. */
  | { readonly key: string; readonly result: 'skipped' | 'cancelled'; readonly at: number }
  /** Gave up: delivery kept failing. Listed by failedReminders. */
  | {
      readonly key: string;
      readonly result: 'failed';
      readonly at: number;
      readonly error: string;
      readonly delivered: readonly string[];
    }
  /** Not now: back to pending at `nextAt`; with `failure`, counts a failed attempt. */
  | {
      readonly key: string;
      readonly result: 'deferred';
      readonly at: number;
      readonly nextAt: number;
      readonly failure?: { readonly error: string; readonly delivered: readonly string[] };
    };

/**
 * The SLA reminder ledger, next to the Store (SqliteStore and MongoStore implement both; see
 * isSlaStore). Exactly-once rests on three rules every implementation must keep:
 * 1. (subject, stage) is unique, and a row leaves `pending` only once (to sent, skipped,
 *    cancelled or failed); a repeating stage stays pending and counts `round` instead.
 * 2. claimReminders is atomic: it takes pending rows whose `nextAt <= now` and sets owner,
 *    leaseUntil and `nextAt = leaseUntil`, so no one else can take them until the lease
 *    ends (a crashed owner's rows come due again then).
 * 3. settleReminders changes a row only while it is pending and held by `owner`.
 * `claimReminders` and `dueReminders` must be served by an index over pending rows by
 * `nextAt`: their cost follows what is due, never how many rows exist.
 */
export interface SlaStore {
  /**
   * Inserts each stage as pending at `dueAt`. An existing row is re-planned (pending again
   * at the new `dueAt`) only when it was cancelled, or when it is pending, planned for
   * another time, not yet due (`nextAt > now`) and not leased. A sent, skipped or failed
   * row is never touched, nor a due or claimed one: the worker decides those anyway.
   */
  scheduleReminders(reminders: readonly PlannedReminder[], now: number): Promise<void>;
  /**
   * Records each stage as skipped where the ledger has no row for it yet (a stage whose
   * time had passed before it could be planned: the clocks an upgrade gives old tickets);
   * an existing row is never touched. Idempotent.
   */
  skipReminders(reminders: readonly PlannedReminder[], now: number): Promise<void>;
  /** Cancels the subject's pending rows that no live lease holds; returns how many. */
  cancelReminders(subject: string, now: number): Promise<number>;
  /** Pending rows with `nextAt <= now`, earliest first, at most `limit` (a look, not a claim). */
  dueReminders(now: number, limit: number): Promise<Reminder[]>;
  /**
   * Leases up to `limit` due pending rows, earliest `nextAt` first, to `owner` until
   * `leaseUntil` (rule 2), atomically; returns them, earliest `dueAt` first. Two owners
   * claiming at once never get the same row.
   */
  claimReminders(owner: string, leaseUntil: number, now: number, limit: number): Promise<Reminder[]>;
  /** Records outcomes of rows `owner` holds (rule 3), atomically; returns how many were recorded. */
  settleReminders(owner: string, outcomes: readonly ReminderOutcome[]): Promise<number>;
  /** Rows that failed for good at or after `since`, oldest first. */
  failedReminders(since: number, limit: number): Promise<Reminder[]>;
  /** Every row of a subject, by due time (for tests, status and support). */
  listReminders(subject: string): Promise<Reminder[]>;
  /** The tickets with these numbers, in any order, unknown ones left out: one read per batch of reminders. */
  getTickets(numbers: readonly number[]): Promise<Ticket[]>;
}

/** Whether a store also keeps the reminder ledger. */
export function isSlaStore(store: object): store is SlaStore {
  const candidate = store as Partial<Record<keyof SlaStore, unknown>>;
  return typeof candidate.claimReminders === 'function' && typeof candidate.settleReminders === 'function';
}

/** The ledger key of a (subject, stage) pair. */
export function reminderKey(subject: string, stage: string): string {
  return `${subject}/${stage}`;
}
