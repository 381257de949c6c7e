/**
 * What the router does while the store is unreachable: it keeps the message in memory
 * (outage.backlog.ts), tells the sender once that it is kept, and handles it when the store
 * answers again — in order per chat, behind any message of that chat kept before it.
 *
 * Why in memory rather than platform redelivery: WeChat (Wechaty) and QQ (OneBot) never
 * deliver a message twice, and Slack's and Discord's retries stop after minutes, so only
 * the process that received a message can keep the promise "your message is kept". The
 * price is stated in the README: a restart during an outage loses what is kept (logged).
 */
import type { Place } from '../../commands/types';
import type { Logger } from '../core/logger';
import type { Store } from '../core/ports';
import { type KeptMessage, OutageBacklog, type OutageOptions } from './outage.backlog';

export type { KeptMessage, OutageOptions, RetryTimers } from './outage.backlog';
export { OUTAGE_DEFAULTS } from './outage.backlog';

/** What the keeper needs from the router. */
export interface OutageHost {
  /** Runs a task in the chat's serial slot (after what is queued there). */
  inChat(chat: string, task: () => Promise<void>): Promise<void>;
  /**
   * Handles a message and delivers its replies; when the store was unreachable it delivers
   * nothing and returns the place, if it was known by then.
   */
  attempt(item: KeptMessage): Promise<{ place?: Place } | undefined>;
  /** Tells the sender (if the place warrants an answer) that the message was kept, or was not. */
  answerKept(item: KeptMessage, place: Place | undefined, kept: boolean): Promise<void>;
  /** Work that idle() should wait for. */
  track(work: Promise<void>): void;
  readonly store: Pick<Store, 'releaseInbound'>;
  readonly logger: Logger;
}

export class OutageKeeper {
  private readonly backlog: OutageBacklog;
  /** Messages refused because the backlog was full (for the log's rate limit). */
  private dropped = 0;
  /** The store failed and no retry has found it back since. */
  private down = false;

  constructor(
    private readonly host: OutageHost,
    options?: OutageOptions,
  ) {
    this.backlog = new OutageBacklog(
      () => this.retry(),
      (error) => host.logger.error('retrying kept messages failed', { error: String(error) }),
      options,
    );
  }

  /** Messages kept right now. */
  get size(): number {
    return this.backlog.size;
  }

  /** Whether this message (a redelivery of it) is already kept: it will be handled once. */
  holds(key: string): boolean {
    return this.backlog.holds(key);
  }

  /**
   * Called for a new message before it is tried; true when the keeper took it. While the
   * store is known to be away (from the failure that started the outage until a retry
   * finds it back) a new message is kept at once, untried: an outage then costs each
   * message nothing but memory, instead of a store timeout while its chat waits. When the
   * store is back but the chat still has kept messages, those are handled first.
   */
  async admit(chat: string, item: KeptMessage): Promise<boolean> {
    if (!this.down && (!this.backlog.has(chat) || (await this.drain(chat)))) return false;
    await this.keep(chat, item, undefined);
    return true;
  }

  /** Keeps a message whose handling met an unreachable store, and answers once. */
  async keep(chat: string, item: KeptMessage, place: Place | undefined): Promise<void> {
    // Where the store still answers a delete, give the key back: then a redelivery (here or
    // on another instance) may handle the message and this copy's retry finds it claimed.
    if (item.claimed) {
      item.claimed = !(await this.host.store.releaseInbound(item.key).then(
        () => true,
        () => false,
      ));
    }
    this.down = true;
    const kept = this.backlog.keep(chat, item);
    if (!kept) {
      this.dropped += 1;
      if (this.dropped % 100 === 1) {
        this.host.logger.error('store outage: a message was NOT kept (the retry queue is full or stopped)', {
          key: item.key,
          kept: this.backlog.size,
          droppedSoFar: this.dropped,
        });
      }
    }
    await this.host.answerKept(item, place, kept);
  }

  /** Stops the retry timer; messages still kept are lost, and said so loudly in the log. */
  stop(): void {
    const lost = this.backlog.stop();
    if (lost.length > 0) {
      this.host.logger.error('stopped with messages kept during a store outage: they are lost', {
        count: lost.length,
        keys: lost.slice(0, 20).map((item) => item.key),
      });
    }
  }

  /** Retries the chat's kept messages in order (caller holds the chat's slot); false when the store is still away. */
  private async drain(chat: string): Promise<boolean> {
    for (let item = this.backlog.head(chat); item !== undefined; item = this.backlog.head(chat)) {
      if (await this.host.attempt(item)) {
        this.down = true;
        return false;
      }
      this.backlog.shift(chat);
    }
    return true;
  }

  /** The retry timer's work: the chat that waited longest probes the store; if it answers, every chat drains. */
  private retry(): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      const [first, ...rest] = this.backlog.chatKeys();
      if (first === undefined) {
        this.down = false;
        return true;
      }
      let answered = false;
      await this.host.inChat(first, async () => {
        answered = await this.drain(first);
      });
      if (answered) {
        this.down = false;
        await Promise.all(rest.map((chat) => this.host.inChat(chat, () => this.drain(chat).then())));
      }
      return answered;
    };
    const retry = run();
    this.host.track(retry.then(() => undefined));
    return retry;
  }
}
