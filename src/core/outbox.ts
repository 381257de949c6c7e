/**
 * The outbox port: every message the desk sends is a row here before a platform sees it
 * (src/outbox/sender.ts delivers them; both stores implement it). Re-exported by ports.ts.
 */
import type { OutboundMessage } from './chat';

/** Where an outbound message stands. `queued` and `sending` rows are waiting; the others are settled. */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'dropped'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export const WAITING_STATES: readonly OutboxState[] = ['queued', 'sending'];

/**
 * What the sender does with a message's outcome. Data, not a closure, so that it survives a
 * restart. `ticket-thread`, once the platform accepted it: links the sent message to the
 * ticket and makes its thread the ticket's thread (the acknowledgement of a new ticket).
 * `staff-reply`: an engineer's reply relayed to the customer; if it finally fails, that
 * engineer is told too, not only the staff channels.
 */
export type AfterSent =
  | { readonly kind: 'ticket-thread'; readonly ticketNumber: number }
  | {
      readonly kind: 'staff-reply';
      readonly ticketNumber: number;
      readonly engineerId: string;
      /** The reply's `staff_reply` event time, so /history can show what became of it. */
      readonly repliedAt?: number;
    };

/** A message to put in the outbox, at the end of its chat's order. */
export interface NewOutbound {
  /** Stored as JSON, so fields added to OutboundMessage later pass through. */
  readonly message: OutboundMessage;
  readonly after?: AfterSent;
  /** Given up (`failed`, with a visible notice) when not accepted by then. */
  readonly expiresAt: number;
}

/** One outbox row. */
export interface Outbound extends NewOutbound {
  readonly id: string;
  /** outboxChat(message): the order is kept per chat, never across chats. */
  readonly chat: string;
  /** Position in the chat's order (1, 2, …); only the lowest waiting one is ever sent. */
  readonly seq: number;
  readonly state: OutboxState;
  /** Failed attempts so far (drives the backoff). */
  readonly attempts: number;
  /** When the sender may next act on it: now, a retry time, or the end of a lease. */
  readonly nextAt: number;
  readonly owner?: string;
  readonly leaseUntil?: number;
  readonly lastError?: string;
  /** Handed to the platform as its idempotency aid (Discord `nonce` with `enforce_nonce`). */
  readonly idempotencyId: string;
  readonly sentAt?: number;
  readonly sentMessageId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What became of a claimed row. Only its lease holder can record it. */
export type OutboundOutcome =
  | { readonly result: 'sent'; readonly at: number; readonly messageId?: string }
  /** Back to `queued` at `nextAt`, one more failed attempt counted. */
  | { readonly result: 'retry'; readonly at: number; readonly nextAt: number; readonly error: string }
  /** Given up (expired, or refused for good): the chat moves on. */
  | { readonly result: 'failed'; readonly at: number; readonly error: string };

export interface OutboxQuery {
  readonly states?: readonly OutboxState[];
  readonly chat?: string;
  /** Default 100; at most 500. */
  readonly limit?: number;
  /** The chat's newest rows first (highest seq); default oldest first. */
  readonly newestFirst?: boolean;
}

/**
 * The durable outbox: every message GroupDesk sends waits here until its platform accepted it.
 * Rules every implementation keeps, with several processes sharing the store:
 * 1. (chat, seq) is unique and seq grows by one per chat as rows are enqueued.
 * 2. A chat's head is its waiting row (queued or sending) with the lowest seq; only the head
 *    is ever claimed, so a chat's messages are sent strictly in order and a stuck head holds
 *    back its own chat only.
 * 3. claimOutbound is exclusive: of two claims of the same row as read (its nextAt), one wins,
 *    and it sets owner, leaseUntil and `nextAt = leaseUntil` (a crashed sender's row comes
 *    due again when the lease ends). It never rests on an atomic multi-field update (FerretDB).
 * 4. settleOutbound changes a row only while it is `sending` and held by `owner`.
 */
export interface Outbox {
  /** Appends the messages, each at the end of its chat's order (in the order given); returns the rows. */
  enqueueOutbound(entries: readonly NewOutbound[], now: number): Promise<Outbound[]>;
  /** The heads that may be sent now (`nextAt <= now`), earliest `nextAt` first, at most `limit`. */
  dueOutbound(now: number, limit: number): Promise<Outbound[]>;
  /**
   * Leases `row` (as read by dueOutbound) to `owner` until `leaseUntil` if it is still its
   * chat's head, due, and unchanged since read (same `nextAt`: every claim, retry and reset
   * moves it); returns the leased row, else undefined.
   */
  claimOutbound(row: Outbound, owner: string, leaseUntil: number, now: number): Promise<Outbound | undefined>;
  /** Records the outcome of a row `owner` holds (rule 4); false when it no longer holds it. */
  settleOutbound(id: string, owner: string, outcome: OutboundOutcome): Promise<boolean>;
  getOutbound(id: string): Promise<Outbound | undefined>;
  /** The chat's head (rule 2), due or not; undefined when nothing of it waits. Served by an index over waiting rows. */
  headOutbound(chat: string): Promise<Outbound | undefined>;
  /** Rows by chat and seq (for the admin CLI, status and tests). */
  listOutbound(query: OutboxQuery): Promise<Outbound[]>;
  /** A failed or waiting row back to `queued` at `now` with its attempts reset; false when none. */
  retryOutbound(id: string, now: number): Promise<boolean>;
  /** A waiting or failed row to `dropped` (never sent; its chat moves on); false when none. */
  dropOutbound(id: string, now: number): Promise<boolean>;
  /** Deletes settled rows (sent, failed, dropped) last changed before `before`; returns how many. */
  purgeOutbound(before: number): Promise<number>;
  /** How many rows wait, and since when the oldest (its createdAt). */
  outboxDepth(): Promise<{ readonly waiting: number; readonly oldestAt?: number }>;
}

/**
 * The chat key an outbound message is ordered by: platform and chat. The bot account (QQ
 * `self_id`) is left out on purpose: the notifier does not know which account will carry a
 * notice (the adapter picks), so keying by it would put a relayed reply and the ticket's
 * acknowledgement in two "chats", and the reply could overtake it (the QQ fault test did).
 */
export function outboxChat(message: Pick<OutboundMessage, 'platform' | 'chatId'>): string {
  return `${message.platform}:${message.chatId}`;
}
