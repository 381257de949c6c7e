/**
 * The outbox sender: delivers what waits in the store's outbox (the Outbox port), per chat
 * strictly in order, retrying with exponential backoff and jitter — at least as long as the
 * platform asked (PlatformBusyError.retryAfterMs) — until a row's expiry, when it fails
 * visibly (`onFailed`). A chat's head blocks that chat only: each chat has its own drain.
 *
 * Restart safety: nothing lives only in memory. `start()` scans the store, so rows queued
 * before a restart (or by another process) go out; a row a crashed sender held comes due
 * again when its lease ends. At-least-once: a duplicate is only possible when the process
 * dies between the platform's acceptance and the settle that records it, or when a send
 * outlives its lease (the lease is the send timeout plus a margin).
 *
 * Timers: setTimeout only (unref'd), owned here and cleared by stop().
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundMessage, SentMessage } from '../core/chat';
import { refusedForGood, retryAfterOf } from '../core/errors';
import type { Logger } from '../core/logger';
import type {
  AfterSent,
  Clock,
  MessageLinks,
  Messenger,
  Outbound,
  Outbox,
  TicketStore,
  UnitsOfWork,
} from '../core/ports';
import { outboxChat } from '../core/ports';

export interface OutboxSenderOptions {
  /** A message not accepted by then fails visibly (GROUPDESK_OUTBOX_EXPIRE_HOURS). */
  readonly expireMs: number;
  /**
   * Private replies (`visibleTo`: Slack ephemeral through response_url, Discord interaction
   * replies) ride on tokens that expire (Slack 30 min, Discord 15 min): they get this much.
   */
  readonly privateExpireMs?: number;
  /** A send that has not answered by then counts as failed. */
  readonly sendTimeoutMs?: number;
  /** First retry after about this long, doubling per attempt up to maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How often the store is scanned for rows no drain of this process is working on. */
  readonly pollMs?: number;
  /** This process's name on the rows it holds. */
  readonly owner?: string;
  /** 0 ≤ x < 1; the jitter's source (tests pin it). */
  readonly random?: () => number;
}

export interface OutboxSenderDeps {
  readonly store: Outbox &
    MessageLinks &
    Pick<TicketStore, 'getTicket' | 'updateTicket'> &
    Partial<UnitsOfWork>;
  readonly messenger: Messenger;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Told once when a row finally fails (expired): the visible failure. Errors are logged. */
  readonly onFailed?: (row: Outbound) => Promise<void>;
}

/**
 * What a caller learns after the first attempt: sent (with what the platform said), waiting
 * for a retry, or failed; `held`: stored only, to be sent once the caller's unit of work is
 * committed (see `holding`).
 */
export type Delivery =
  | { readonly state: 'sent'; readonly sent?: SentMessage }
  | { readonly state: 'held' }
  | { readonly state: 'queued'; readonly error?: string }
  | { readonly state: 'failed'; readonly error?: string };

/** What `holding` collected: the rows stored, or the first failure to store one. */
interface Held {
  readonly rows: Outbound[];
  error?: unknown;
}

/** Platforms whose send API de-duplicates a retried post by a key of ours. */
const IDEMPOTENT_PLATFORMS: ReadonlySet<string> = new Set(['discord', 'feishu']);

const DEFAULTS = {
  privateExpireMs: 10 * 60_000,
  sendTimeoutMs: 30_000,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  pollMs: 5000,
};

export class OutboxSender {
  private readonly options: Required<Omit<OutboxSenderOptions, 'random' | 'owner'>> & {
    readonly random: () => number;
    readonly owner: string;
  };
  private readonly drains = new Map<string, Promise<void>>();
  /** Chats kicked while their drain ran: it goes round once more. */
  private readonly again = new Set<string>();
  private readonly wakeups = new Map<string, NodeJS.Timeout>();
  /** Rows a send() caller waits on, and what their first attempt gave. */
  private readonly watched = new Set<string>();
  private readonly outcomes = new Map<string, Delivery>();
  /** Inside `holding`: the rows send() stored without sending them. */
  private readonly held = new AsyncLocalStorage<Held>();
  private poller: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: OutboxSenderDeps,
    options: OutboxSenderOptions,
  ) {
    this.options = {
      ...DEFAULTS,
      ...options,
      random: options.random ?? Math.random,
      owner: options.owner ?? `sender-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    };
  }

  /** Puts messages at the end of their chats' order, each with its expiry; does not wait for delivery. */
  enqueue(
    items: ReadonlyArray<{ readonly message: OutboundMessage; readonly after?: AfterSent }>,
  ): Promise<Outbound[]> {
    const now = this.deps.clock.now();
    return this.deps.store.enqueueOutbound(
      items.map(({ message, after }) => ({
        message,
        ...(after !== undefined && { after }),
        expiresAt:
          now +
          (message.visibleTo !== undefined
            ? Math.min(this.options.privateExpireMs, this.options.expireMs)
            : this.options.expireMs),
      })),
      now,
    );
  }

  /**
   * Enqueues and delivers at once where the chat is free: resolves after each message's first
   * attempt (or at once for one waiting behind its chat's head), saying what became of it.
   * Inside a unit of work, what the unit wrote so far (the change this message tells of, and
   * the row itself) is committed first: nothing leaves the process that could still roll back.
   * Inside `holding`, the rows are stored only (`held`); the caller delivers them afterwards.
   */
  async send(
    items: ReadonlyArray<{ readonly message: OutboundMessage; readonly after?: AfterSent }>,
  ): Promise<Delivery[]> {
    const held = this.held.getStore();
    if (held !== undefined) return this.hold(held, items);
    const rows = await this.enqueue(items);
    await this.deps.store.commitUnit?.();
    return this.deliver(rows);
  }

  /**
   * Runs `work` with send() storing its messages without sending them (the staff announcement
   * of a ticket, stored in the same unit of work as the ticket); resolves with those rows, for
   * deliver() once the unit is committed.
   */
  async holding(work: () => Promise<unknown>): Promise<Outbound[]> {
    const held: Held = { rows: [] };
    await this.held.run(held, work);
    // A row that could not be stored fails the whole unit: its change is not kept without it.
    if (held.error !== undefined) throw held.error;
    return held.rows;
  }

  private async hold(held: Held, items: Parameters<OutboxSender['enqueue']>[0]): Promise<Delivery[]> {
    try {
      held.rows.push(...(await this.enqueue(items)));
      return items.map(() => ({ state: 'held' }));
    } catch (error) {
      // Without atomic units (MongoDB) the change is stored already: the notifier's fallback
      // (straight to the messenger when the store is unreachable) is the best left to do.
      if (this.deps.store.atomicUnits !== true) throw error;
      // Not thrown to the notifier, which would send it straight out before the unit is settled.
      held.error ??= error;
      return items.map(() => ({ state: 'failed', error: String(error) }));
    }
  }

  /** Delivers rows already stored (see send()), each chat from its likely head, and says what became of each. */
  async deliver(rows: readonly Outbound[]): Promise<Delivery[]> {
    for (const r of rows) this.watched.add(r.id);
    try {
      // The first row of each chat is its likely head: tried without reading the head first
      // (the claim checks that it is the head, atomically; if not, the drain reads it).
      const firsts = new Map<string, Outbound>();
      for (const r of rows) if (!firsts.has(r.chat)) firsts.set(r.chat, r);
      await Promise.all([...firsts].map(([chat, row]) => this.drain(chat, row)));
      return rows.map((r) => this.outcomes.get(r.id) ?? { state: 'queued' });
    } finally {
      for (const r of rows) {
        this.watched.delete(r.id);
        this.outcomes.delete(r.id);
      }
    }
  }

  /** Starts the periodic scan and scans now: what was queued before a restart goes out. */
  start(): void {
    this.stopped = false;
    this.kick();
    this.schedulePoll();
  }

  stop(): void {
    this.stopped = true;
    if (this.poller) clearTimeout(this.poller);
    this.poller = undefined;
    for (const t of this.wakeups.values()) clearTimeout(t);
    this.wakeups.clear();
  }

  /** Work on one chat now, or (no chat) scan the store for every chat with a due head. */
  kick(chat?: string): void {
    if (chat !== undefined) {
      void this.drain(chat);
      return;
    }
    if (this.scanning) return;
    this.scanning = this.scan().finally(() => {
      this.scanning = undefined;
    });
  }

  /** Resolves once no drain or scan is running (rows waiting for a later retry do not count). */
  async idle(): Promise<void> {
    while (this.drains.size > 0 || this.scanning) {
      await Promise.all([...this.drains.values(), this.scanning]);
    }
  }

  /** Sends the chat's due heads one after another until none is due; one drain per chat. */
  drain(chat: string, likelyHead?: Outbound): Promise<void> {
    const running = this.drains.get(chat);
    if (running) {
      this.again.add(chat);
      return running;
    }
    const run = (async () => {
      let hint = likelyHead;
      do {
        this.again.delete(chat);
        await this.drainOnce(chat, hint).catch((error: unknown) =>
          this.deps.logger.warn('outbox drain failed', { chat, error: String(error) }),
        );
        hint = undefined;
      } while (this.again.has(chat) && !this.stopped);
    })().finally(() => this.drains.delete(chat));
    this.drains.set(chat, run);
    return run;
  }

  private async scan(): Promise<void> {
    try {
      const heads = await this.deps.store.dueOutbound(this.deps.clock.now(), 500);
      await Promise.all(heads.map((h) => this.drain(h.chat)));
    } catch (error) {
      this.deps.logger.warn('outbox scan failed', { error: String(error) });
    }
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.poller = setTimeout(() => {
      this.kick();
      this.schedulePoll();
    }, this.options.pollMs);
    this.poller.unref();
  }

  private async drainOnce(chat: string, likelyHead?: Outbound): Promise<void> {
    const { store, clock } = this.deps;
    let hint = likelyHead;
    for (;;) {
      if (this.stopped) return;
      const head = hint ?? (await store.headOutbound(chat));
      if (head === undefined) return;
      const now = clock.now();
      if (head.nextAt > now) {
        this.wakeAt(chat, head.nextAt - now);
        return;
      }
      const lease = now + this.options.sendTimeoutMs + Math.max(this.options.sendTimeoutMs, 5000);
      const row = await store.claimOutbound(head, this.options.owner, lease, now);
      if (row === undefined && hint !== undefined) {
        hint = undefined; // not the head after all (an earlier row waits): read the real one
        continue;
      }
      hint = undefined;
      if (row === undefined) return; // another process has it; the scan looks again
      if (now >= row.expiresAt) {
        const outcome = await this.fail(row, now, row.lastError ?? 'expired');
        if (this.watched.has(row.id)) this.outcomes.set(row.id, outcome);
        continue;
      }
      const outcome = await this.attempt(row);
      if (this.watched.has(row.id)) this.outcomes.set(row.id, outcome);
      if (outcome.state === 'queued') return; // waiting for a retry: its chat waits too
    }
  }

  private async attempt(row: Outbound): Promise<Delivery> {
    const { store, clock, logger } = this.deps;
    let sent: SentMessage | undefined;
    try {
      sent = await this.withTimeout(this.deps.messenger.send(this.forPlatform(row)));
    } catch (error) {
      const now = clock.now();
      const text = error instanceof Error ? error.message : String(error);
      const nextAt = now + this.delayFor(row.attempts, retryAfterOf(error));
      // Gone for good (a deleted or archived chat, the bot removed): no retry can help.
      if (refusedForGood(error) || nextAt >= row.expiresAt) return this.fail(row, now, text);
      logger.warn('outbound message not delivered yet; will retry', {
        chat: row.chat,
        attempts: row.attempts + 1,
        retryInMs: nextAt - now,
        error: text,
      });
      await store.settleOutbound(row.id, this.options.owner, {
        result: 'retry',
        at: now,
        nextAt,
        error: text,
      });
      this.wakeAt(row.chat, nextAt - now);
      return { state: 'queued', error: text };
    }
    // Accepted: the effect first (idempotent), then the record; one commit for both where the
    // store has units of work (the acknowledgement's thread link and its settle: one less a ticket).
    const record = async () => {
      if (sent && row.after?.kind === 'ticket-thread') {
        await this.rememberThread(row.after.ticketNumber, row, sent).catch((error: unknown) =>
          logger.warn('could not link the sent message to its ticket', { error: String(error) }),
        );
      }
      await store.settleOutbound(row.id, this.options.owner, {
        result: 'sent',
        at: clock.now(),
        ...(sent?.messageId ? { messageId: sent.messageId } : {}),
      });
    };
    await (store.unitOfWork ? store.unitOfWork(record) : record());
    return sent ? { state: 'sent', sent } : { state: 'sent' };
  }

  private async fail(row: Outbound, now: number, error: string): Promise<Delivery> {
    const settled = await this.deps.store.settleOutbound(row.id, this.options.owner, {
      result: 'failed',
      at: now,
      error,
    });
    this.deps.logger.error('outbound message given up', { chat: row.chat, attempts: row.attempts, error });
    if (settled && this.deps.onFailed) {
      await this.deps
        .onFailed({ ...row, state: 'failed', lastError: error })
        .catch((e: unknown) =>
          this.deps.logger.warn('could not report a failed delivery', { error: String(e) }),
        );
    }
    return { state: 'failed', error };
  }

  /** Exponential backoff with full jitter in its upper half; never sooner than the platform asked. */
  private delayFor(attempts: number, retryAfterMs: number | undefined): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempts, 30));
    const backoff = Math.round(ceiling * (0.5 + random() / 2));
    return retryAfterMs === undefined
      ? backoff
      : Math.max(retryAfterMs, Math.min(backoff, retryAfterMs * 1.1 + 1));
  }

  private wakeAt(chat: string, inMs: number): void {
    if (this.stopped) return;
    const existing = this.wakeups.get(chat);
    if (existing) clearTimeout(existing);
    const timer = setTimeout(
      () => {
        this.wakeups.delete(chat);
        this.kick(chat);
      },
      Math.max(1, inMs),
    );
    timer.unref();
    this.wakeups.set(chat, timer);
  }

  /** The stored message, with the row's idempotency id where the platform takes one (Discord's nonce, Feishu's uuid). */
  private forPlatform(row: Outbound): OutboundMessage {
    return IDEMPOTENT_PLATFORMS.has(row.message.platform)
      ? { ...row.message, idempotencyKey: row.idempotencyId }
      : row.message;
  }

  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    const ms = this.options.sendTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The acknowledgement's thread becomes the ticket's thread; a quote of it is a follow-up. */
  private async rememberThread(ticketNumber: number, row: Outbound, sent: SentMessage): Promise<void> {
    const { store, clock } = this.deps;
    if (sent.messageId) {
      await store.linkMessage({
        platform: row.message.platform,
        chatId: row.message.chatId,
        messageId: sent.messageId,
        ticketNumber,
      });
    }
    if (!sent.threadId) return;
    for (let tries = 0; tries < 3; tries++) {
      const ticket = await store.getTicket(ticketNumber);
      if (!ticket || ticket.threadId) return;
      const updated = await store.updateTicket(
        ticketNumber,
        ticket.version,
        { threadId: sent.threadId, updatedAt: clock.now() },
        [],
      );
      if (updated) return;
    }
  }
}

export { outboxChat };
