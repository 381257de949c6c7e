/**
 * What the router does while the store is unreachable: it keeps the message in memory
 * (outage.backlog.ts), tells the sender once that it is kept, and handles it when the store
 * answers again — in order per chat, behind any message of that chat kept before it.
 *
 * Why in memory rather than platform redelivery: WeChat (Wechaty) and QQ (OneBot) never
 * deliver a message twice, and Slack's and Discord's retries stop after minutes, so only
 * the process that received a message can keep the promise "your message is kept". A
 * restart would lose it, so main.ts gives a spool (outage.spool.ts) that mirrors the
 * backlog on disk; at start, resume() puts back what it holds. Without one (tests, the CLI)
 * what is kept at stop is lost, and logged so.
 */
import type { Place } from '../../commands/types';
import type { KeptMessage } from '../core/backlog';
import type { Logger } from '../core/logger';
import type { Store } from '../core/ports';
import { chatOf, OutageBacklog, type OutageOptions } from './outage.backlog';
import { guardedSpool } from './outage.spool';

export type { OutageOptions, RetryTimers } from './outage.backlog';
export { chatOf, OUTAGE_DEFAULTS } from './outage.backlog';

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
  private readonly spooled: boolean;

  constructor(
    private readonly host: OutageHost,
    options: OutageOptions = {},
  ) {
    const { spool, ...rest } = options;
    this.spooled = spool !== undefined;
    this.backlog = new OutageBacklog(
      () => this.retry(),
      (error) => host.logger.error('retrying kept messages failed', { error: String(error) }),
      spool === undefined ? rest : { ...rest, spool: guardedSpool(spool, host.logger) },
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

  /**
   * Puts back, in their order, the messages a previous process kept and spooled, without
   * telling their senders again (they were told then). Call it before the adapters start,
   * so that new messages of those chats queue behind them and a redelivery of one is known;
   * then retrySoon() once replies can be delivered. Their `claimed` flag comes back as it
   * was: a key this process's predecessor held is not claimed again (nor refused as taken).
   * The outage is not presumed to go on: a new message of another chat is tried at once, one
   * of a resumed chat first drains that chat (admit), as after an outage in-process.
   */
  resume(): number {
    let resumed = 0;
    const items = this.backlog.load();
    for (const item of items) {
      if (this.backlog.restore(chatOf(item.message), item)) resumed += 1;
    }
    if (items.length > 0) {
      this.host.logger.info('resumed messages kept during a store outage before the restart', {
        count: resumed,
      });
    }
    if (resumed < items.length) {
      this.host.logger.error('store outage: spooled messages NOT resumed (the retry queue is full)', {
        count: items.length - resumed,
      });
    }
    return resumed;
  }

  /** Retries the kept messages at once (after resume(), once the adapters can deliver replies). */
  retrySoon(): void {
    this.backlog.retrySoon();
  }

  /** Stops the retry timer; messages still kept stay in the spool, or — without one — are lost (logged). */
  stop(): void {
    const left = this.backlog.stop();
    if (left.length === 0) return;
    const fields = { count: left.length, keys: left.slice(0, 20).map((item) => item.key) };
    if (this.spooled) {
      this.host.logger.warn(
        'stopped with messages kept during a store outage: they stay in the spool and will be handled after the next start',
        fields,
      );
    } else {
      this.host.logger.error('stopped with messages kept during a store outage: they are lost', fields);
    }
  }

  /** Retries the chat's kept messages in order (caller holds the chat's slot); false when the store is still away. */
  private async drain(chat: string): Promise<boolean> {
    for (let item = this.backlog.head(chat); item !== undefined; item = this.backlog.head(chat)) {
      const claimed = item.claimed;
      if (await this.host.attempt(item)) {
        if (item.claimed !== claimed) this.backlog.claimed(item);
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
