/**
 * Domain records. Plain data: the store persists exactly these shapes and the core
 * never sees a database row or document. Times are milliseconds since the epoch (UTC).
 */
import type { Platform } from './chat';
import type { Locale } from './i18n';

export const CATEGORIES = [
  'consultation',
  'diagnosis',
  'remote_assistance',
  'performance',
  'security',
  'upgrade',
  'training',
  'custom_development',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories that jump the queue (P1) where the plan includes priority response (DESIGN.md). */
export const PRIORITY_CATEGORIES: readonly Category[] = ['security', 'performance'];

export const PRIORITIES = ['p1', 'p2', 'p3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_STATUSES = ['open', 'claimed', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * `visitor`: someone without a plan whom GroupDesk knows only for the language they chose
 * (`/lang` in a community group or a direct message); they count as unknown everywhere else.
 */
export const ROLES = ['visitor', 'subscriber', 'engineer', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const GROUP_KINDS = ['customer', 'staff', 'manager', 'community'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export interface Customer {
  /** Short slug chosen by the admin, e.g. `acme`. */
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface Subscription {
  readonly id: string;
  readonly customerId: string;
  /** Plan id from config/plans (`basic`, `advanced`, `enterprise`). */
  readonly plan: string;
  readonly startsAt: number;
  readonly endsAt: number;
  /** Days after `endsAt` during which the plan still applies. */
  readonly graceDays: number;
  /** Training sessions booked in this subscription period. */
  readonly trainingUsed: number;
  readonly createdAt: number;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  /** Set for subscribers only. */
  readonly customerId?: string;
  /** The language this person reads; absent: the group's, then the deployment's. */
  readonly locale?: Locale;
  readonly createdAt: number;
}

export interface Identity {
  readonly platform: Platform;
  readonly userId: string;
  readonly personId: string;
}

export interface Group {
  readonly platform: Platform;
  readonly chatId: string;
  readonly kind: GroupKind;
  /** Set when kind is `customer`. */
  readonly customerId?: string;
  readonly title?: string;
  /** The language of this group; absent: the deployment's (`GROUPDESK_LOCALE`). */
  readonly locale?: Locale;
  /** Every top-level customer message opens a ticket (bursts merged). */
  readonly autoMode: boolean;
  readonly boundAt: number;
}

export interface Ticket {
  /** Human id: `#1024` shows number 1024. */
  readonly number: number;
  readonly customerId: string;
  readonly requesterId: string;
  /** The customer group the ticket lives in. */
  readonly platform: Platform;
  readonly chatId: string;
  readonly threadId?: string;
  /** Platform message that opened it (`platform:account:messageId`), unique. */
  readonly sourceKey: string;
  readonly category: Category;
  readonly priority: Priority;
  readonly status: TicketStatus;
  readonly subject: string;
  readonly assigneeId?: string;
  readonly plan: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Last message from the customer on this ticket (follow-up window). */
  readonly lastCustomerAt: number;
  /** First-response deadline; absent when the plan has no target. */
  readonly dueAt?: number;
  readonly firstResponseAt?: number;
  /** Set while waiting on the customer: the clock is paused from here. */
  readonly pausedAt?: number;
  readonly resolvedAt?: number;
  readonly closedAt?: number;
  /**
   * Next-response deadline: set while a customer message that came after an earlier public
   * staff answer waits for the next public staff reply; absent otherwise or when not promised.
   */
  readonly nextResponseDueAt?: number;
  /**
   * When the latest next-response window started (the customer message that opened it);
   * kept after the window closes. It names the window in the reminder ledger, so each new
   * window sends its stages afresh while a moved deadline keeps the stages already sent.
   */
  readonly nextResponseSince?: number;
  /**
   * The queue's order key (src/core/sla/nearest.ts): the nearest deadline of a running
   * promise, Number.MAX_SAFE_INTEGER while none runs; absent once resolved or closed.
   */
  readonly nearestDueAt?: number;
  /**
   * Resolution deadline (working time from opening, without time waiting on the customer);
   * kept after resolve for reports, moved on by a reopen. Absent when not promised.
   */
  readonly resolutionDueAt?: number;
  /** Optimistic-concurrency counter: every update must name the version it read. */
  readonly version: number;
}

export const EVENT_KINDS = [
  'customer_message',
  'staff_reply',
  'internal_note',
  'status_change',
  'assignment',
  'priority_change',
  'reminder_sent',
  /** An upstream issue linked to the ticket: `to` = `owner/repo#123`, `text` = its title and address. */
  'upstream_link',
  /** A link removed (/unlink): `to` = the issue as linked. A later `upstream_link` links it again. */
  'upstream_unlink',
  /**
   * News of a linked issue (closed, reopened, fixed in a release): `to` = `owner/repo#123`,
   * `from` = the change's id (`closed:<when>`, `reopened:<closed id>`, `released:<tag>`: what
   * makes it once per ticket), `text` = what the staff read in the history.
   */
  'upstream_update',
  /** The satisfaction survey was put to the requester after /resolve (once per ticket). */
  'survey_sent',
  /** The requester's score: `to` = `1`–`5` (👍 counts 5, 👎 counts 1; `text` keeps what they sent). */
  'rating',
  /** The requester's comment on their rating, within a few minutes of it. */
  'rating_comment',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface TicketEvent {
  readonly ticketNumber: number;
  readonly at: number;
  readonly kind: EventKind;
  /** Person id, or `system`. */
  readonly actorId: string;
  readonly text?: string;
  readonly from?: string;
  readonly to?: string;
}
