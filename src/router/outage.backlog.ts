/**
 * Messages kept in memory while the store is unreachable, per chat and in arrival order,
 * with the one retry timer that brings them back (exponential backoff with a cap). WeChat
 * and QQ never redeliver a message, so "your message is kept" has to be kept here; the
 * bound makes a long outage cost memory up to a known limit, and past it the router says
 * honestly that the message was not kept. The timer is owned: stop() clears it.
 */
import type { InboundMessage } from '../core/chat';

/** A message waiting for the store to come back. */
export interface KeptMessage {
  readonly message: InboundMessage;
  /** Its inbound (de-duplication) key. */
  readonly key: string;
  /** Whether this process holds the inbound key (claimed before the outage hit, not released since). */
  claimed: boolean;
}

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
  private delay: number;
  private timer: unknown;
  private stopped = false;

  /**
   * `retry` tries the kept messages again; it resolves true when the store answered
   * (the backoff starts over) and false when it is still away (the delay doubles).
   * `report` hears of a retry that failed unexpectedly (it then counts as "still away").
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
    if (this.stopped || this.keys.size >= this.max) return false;
    const list = this.chats.get(chat);
    if (list === undefined) this.chats.set(chat, [item]);
    else list.push(item);
    this.keys.add(item.key);
    this.schedule();
    return true;
  }

  /** The chat's oldest kept message. */
  head(chat: string): KeptMessage | undefined {
    return this.chats.get(chat)?.[0];
  }

  /** Forgets the chat's oldest message once it has been handled. */
  shift(chat: string): void {
    const list = this.chats.get(chat);
    const item = list?.shift();
    if (item !== undefined) this.keys.delete(item.key);
    if (list !== undefined && list.length === 0) this.chats.delete(chat);
  }

  /** Clears the timer and hands back what was still kept (lost: the caller logs it). */
  stop(): KeptMessage[] {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
    const lost = [...this.chats.values()].flat();
    this.chats.clear();
    this.keys.clear();
    return lost;
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined || this.chats.size === 0) return;
    this.timer = this.timers.set(() => void this.fire(), this.delay);
  }

  private async fire(): Promise<void> {
    const answered = await this.retry().catch((error: unknown) => {
      this.report(error);
      return false;
    });
    this.timer = undefined;
    this.delay = answered ? this.initialDelay : Math.min(this.delay * 2, this.maxDelay);
    this.schedule();
  }
}
