import type { App, Logger, RespondFn } from '@slack/bolt';
import type { AdapterHost, InboundMessage } from '../../src/core/chat';
import { RecentCache } from '../kit/cache';
import { ChatLanes } from '../kit/lanes';
import {
  actionToInbound,
  commandToInbound,
  eventToInbound,
  memberEventToChange,
  type SlackReceiver,
} from './slack.mapper';
import { BUTTON_ACTION_PREFIX } from './slack.render';

/** A slash command or button click whose replies may go back through its `response_url`. */
export interface Interaction {
  readonly respond: RespondFn;
  readonly userId: string;
  readonly channelId: string;
  /** Thread of the message holding the clicked button, for in-channel replies. */
  readonly replyThread?: string;
}

const MINUTE = 60_000;

/**
 * Bolt listeners → AdapterHost. Every listener acknowledges first (Events API requests are
 * acked by Bolt before listeners run; commands and actions call `ack()` at once), then drops
 * redeliveries, then queues the work per channel. Work errors are logged, never thrown at Bolt.
 */
export class SlackInbound {
  /** Event ids and message ids seen lately: Slack retries and message/app_mention pairs. */
  private readonly seen = new RecentCache<true>({ max: 20_000, ttlMs: 60 * MINUTE, order: 'insertion' });
  /** response_url is valid for 30 minutes. */
  private readonly interactions = new RecentCache<Interaction>({
    max: 5_000,
    ttlMs: 30 * MINUTE,
    order: 'insertion',
  });
  /** Thread of recent thread replies, so that an answer to a reply lands in the parent's thread. */
  private readonly threads = new RecentCache<string>({
    max: 20_000,
    ttlMs: 24 * 60 * MINUTE,
    order: 'insertion',
  });
  /** Work after the ack, in arrival order per channel, so a follow-up never overtakes its question. */
  private readonly lanes = new ChatLanes((what, error) =>
    this.logger.error(
      `handling ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      error,
    ),
  );

  constructor(
    /** The adapter's own log lines (not Bolt's). */
    readonly logger: Logger,
    private readonly slashCommand: string,
  ) {}

  /** Registers the listeners on a fresh Bolt app. */
  attach(app: App, self: SlackReceiver, host: AdapterHost): void {
    for (const type of ['message', 'app_mention'] as const) {
      app.event(type, async ({ event, body }) => {
        if (this.isRedelivery(body)) return;
        const mapped = eventToInbound(event, self);
        if (!mapped.ok) return this.drop('event', mapped.reason);
        const { value } = mapped;
        if (value.threadId !== undefined) this.threads.set(value.messageId, value.threadId);
        this.deliver(host, value);
      });
    }
    for (const type of ['member_joined_channel', 'member_left_channel'] as const) {
      app.event(type, async ({ event, body }) => {
        if (this.isRedelivery(body)) return;
        const mapped = memberEventToChange(event);
        if (!mapped.ok) return this.drop('event', mapped.reason);
        this.lanes.run(mapped.value.chatId, 'membership change', () => host.membershipChanged(mapped.value));
      });
    }
    app.command(this.slashCommand, async ({ ack, body, respond }) => {
      await ack();
      const mapped = commandToInbound(body, self);
      if (!mapped.ok) return this.drop('slash command', mapped.reason);
      const { value } = mapped;
      this.interactions.set(value.messageId, { respond, userId: value.sender.id, channelId: value.chatId });
      this.deliver(host, value);
    });
    app.action(new RegExp(`^${BUTTON_ACTION_PREFIX}`), async ({ ack, body, respond }) => {
      await ack();
      const mapped = actionToInbound(body, self);
      if (!mapped.ok) return this.drop('button click', mapped.reason);
      const { message, replyThread } = mapped.value;
      this.interactions.set(message.messageId, {
        respond,
        userId: message.sender.id,
        channelId: message.chatId,
        ...(replyThread !== undefined ? { replyThread } : {}),
      });
      this.deliver(host, message);
    });
    app.error(async (error) => this.logger.error('Bolt error', error));
  }

  /** The recent slash command or button click with this message id. */
  interaction(messageId: string): Interaction | undefined {
    return this.interactions.get(messageId);
  }

  /** The thread of a recent inbound thread reply with this message id. */
  threadOf(messageId: string): string | undefined {
    return this.threads.get(messageId);
  }

  /** Resolves when all queued work has finished. */
  async drain(): Promise<void> {
    await this.lanes.idle();
  }

  private drop(what: string, reason: string): void {
    // Platform noise (edits, joins, bots) is routine: debug; a malformed command is not.
    if (what === 'event') this.logger.debug(`${what} dropped: ${reason}`);
    else this.logger.warn(`${what} dropped: ${reason}`);
  }

  /** Slack retries an event (same event_id) when an ack is late; Bolt would run listeners again. */
  private isRedelivery(body: unknown): boolean {
    const eventId = (body as { event_id?: unknown } | undefined)?.event_id;
    if (typeof eventId !== 'string') return false;
    const fresh = this.seen.firstTime(`event:${eventId}`, true);
    if (!fresh) this.logger.debug(`duplicate event ${eventId} dropped`);
    return !fresh;
  }

  private deliver(host: AdapterHost, message: InboundMessage): void {
    // message + app_mention for one post, or a redelivered Socket Mode envelope: same id.
    if (!this.seen.firstTime(`message:${message.messageId}`, true)) {
      this.logger.debug(`duplicate message ${message.messageId} dropped`);
      return;
    }
    this.lanes.run(message.chatId, `message ${message.messageId}`, () => host.handle(message));
  }
}
