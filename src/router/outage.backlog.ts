/**
 * Messages kept in memory while the store is unreachable, per chat and in arrival order,
 * with the one retry timer that brings them back (exponential backoff with a cap). WeChat
 * and QQ never redeliver a message, so "your message is kept" has to be kept here; the
 * bound makes a long outage cost memory up to a known limit, and past it the router says
 * honestly that the message was not kept. The timer is owned: stop() clears it. With a
 * spool (outage.spool.ts) every change is mirrored on disk, so a restart can resume them.
 */
import type { BacklogSpool, KeptMessage } from '../core/backlog';
import type { InboundMessage } from '../core/chat';

/** Where the retry timer comes from (tests fire it by hand). */
export interface RetryTimers {
  set(fire: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface OutageOptions {
  /** Most messages kept at once, over every chat. Default 10,000. */
  readonly maxMessages?: number;
  /** Delay before the first retry; it doubles after each retry that fails. Default 1 s. */
  readonly initialDelayMs?: number;
  /** The longest delay between two retries. Default 15 s. */
  readonly maxDelayMs?: number;
  readonly timers?: RetryTimers;
  /** Mirrors the kept messages on disk, so that they survive a restart (main.ts passes one). */
  readonly spool?: BacklogSpool;
}

/** The serial-queue key: one chat's messages are handled (and kept) one after another. */
export function chatOf(message: InboundMessage): string {
  return `${message.platform}:${message.chatId}`;
}

export const OUTAGE_DEFAULTS = { maxMessages: 10_000, initialDelayMs: 1000, maxDelayMs: 15_000 } as const;

/**
 * Real timers, unref'd: a pending retry alone never keeps the process alive (the adapters
 * do), and a desk that is dropped without stop() does not hang its test runner.
 */
const realTimers: RetryTimers = {
  set: (fire, ms) => setTimeout(fire, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class OutageBacklog {
  private readonly chats = new Map<string, KeptMessage[]>();
  private readonly keys = new Set<string>();
  private readonly max: number;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private readonly timers: RetryTimers;
  private readonly spool: BacklogSpool | undefined;
  private delay: number;
  private timer: unknown;
  private stopped = false;

  /**
   * `retry` tries the kept messages again; it resolves true when the store answered
   * (the backoff starts over) and false when it is still away (the delay doubles).
   * `report` hears of a retry that failed unexpectedly (it then counts as "still away").
   * A spool in `options` must not throw (the keeper passes a guarded one).
   */
  constructor(
    private readonly retry: () => Promise<boolean>,
    private readonly report: (error: unknown) => void,
    options: OutageOptions = {},
  ) {
    this.max = options.maxMessages ?? OUTAGE_DEFAULTS.maxMessages;
    this.initialDelay = options.initialDelayMs ?? OUTAGE_DEFAULTS.initialDelayMs;
    this.maxDelay = Math.max(this.initialDelay, options.maxDelayMs ?? OUTAGE_DEFAULTS.maxDelayMs);
    this.timers = options.timers ?? realTimers;
    this.spool = options.spool;
    this.delay = this.initialDelay;
  }

  /** Messages kept right now, over every chat. */
  get size(): number {
    return this.keys.size;
  }

  /** Whether the chat has messages waiting (a new one must queue behind them). */
  has(chat: string): boolean {
    return this.chats.has(chat);
  }

  /** Whether this very message (a redelivery of it) is already kept. */
  holds(key: string): boolean {
    return this.keys.has(key);
  }

  /** The chats with kept messages, the one that has waited longest first. */
  chatKeys(): string[] {
    return [...this.chats.keys()];
  }

  /** Appends a message to its chat's backlog and makes sure a retry is due; false when full or stopped. */
  keep(chat: string, item: KeptMessage): boolean {
    if (!this.append(chat, item)) return false;
    this.spool?.add(item);
    this.schedule();
    return true;
  }

  /** What the spool holds from before a restart (read once, at start). */
  load(): KeptMessage[] {
    return this.spool?.load() ?? [];
  }

  /**
   * Puts back a message kept before a restart (it is in the spool already), without
   * scheduling a retry: retrySoon() does, once replies can be delivered. False when full.
   */
  restore(chat: string, item: KeptMessage): boolean {
    if (this.holds(item.key)) return true;
    if (this.append(chat, item)) return true;
    this.spool?.remove(item.key);
    return false;
  }

  /** Records a kept message's new `claimed` flag (a retry claimed its key, then failed). */
  claimed(item: KeptMessage): void {
    this.spool?.add(item);
  }

  /** Schedules a retry at once (unless one is due already): after a restart, for the restored messages. */
  retrySoon(): void {
    this.schedule(0);
  }

  /** The chat's oldest kept message. */
  head(chat: string): KeptMessage | undefined {
    return this.chats.get(chat)?.[0];
  }

  /** Forgets the chat's oldest message once it has been handled. */
  shift(chat: string): void {
    const list = this.chats.get(chat);
    const item = list?.shift();
    if (item !== undefined) {
      this.keys.delete(item.key);
      this.spool?.remove(item.key);
    }
    if (list !== undefined && list.length === 0) this.chats.delete(chat);
  }

  /**
   * Clears the timer and hands back what was still kept: lost, or — with a spool — left in
   * it for the next start (the caller logs which).
   */
  stop(): KeptMessage[] {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    this.spool?.close?.();
    const left = [...this.chats.values()].flat();
    this.chats.clear();
    this.keys.clear();
    return left;
  }

  private append(chat: string, item: KeptMessage): boolean {
    if (this.stopped || this.keys.size >= this.max) return false;
    const list = this.chats.get(chat);
    if (list === undefined) this.chats.set(chat, [item]);
    else list.push(item);
    this.keys.add(item.key);
    return true;
  }

  private schedule(ms = this.delay): void {
    if (this.stopped || this.timer !== undefined || this.chats.size === 0) return;
    this.timer = this.timers.set(() => void this.fire(ms), ms);
  }

  /** `ms`: the delay that has just passed; the next doubles it (at least the initial delay). */
  private async fire(ms: number): Promise<void> {
    const answered = await this.retry().catch((error: unknown) => {
      this.report(error);
      return false;
    });
    this.timer = undefined;
    this.delay = answered ? this.initialDelay : Math.min(Math.max(ms * 2, this.initialDelay), this.maxDelay);
    this.schedule();
  }
}
