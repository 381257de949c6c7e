import {
  type APIChannel,
  type APIMessage,
  ChannelType,
  type Client,
  DiscordAPIError,
  RESTJSONErrorCodes,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { OutboundMessage, SentMessage } from '../../src/core/chat';
import { truncateUnits } from '../../src/core/graphemes';
import { RecentCache } from '../kit/cache';
import { RateLimiter } from '../rate-limit';
import { type RenderedPart, restAllowedMentions } from './discord.render';

const MAX_THREAD_NAME = 100;

/** Where a channel message goes; `replyToMessageId` is a Discord message id here. */
export type ChannelTarget = Pick<
  OutboundMessage,
  'chatId' | 'chatKind' | 'threadId' | 'replyToMessageId' | 'text' | 'startThread' | 'idempotencyKey'
>;

/** Thread title: the first non-empty line of the reply, at most 100 characters. */
export function threadName(text: string, fallback: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  const name = line.replace(/\s+/g, ' ').trim() || fallback;
  return truncateUnits(name, MAX_THREAD_NAME);
}

/**
 * Posts rendered messages to channels, threads and DMs through discord.js's REST client,
 * which already queues per route and waits out 429s. Sends to one chat run in order so
 * the parts of a long message stay together and a thread is created only once.
 */
export class DiscordOutbox {
  /** Customer message id → the thread started on it. */
  private readonly threads = new RecentCache<string>({ max: 10_000 });
  private readonly queue = new RateLimiter({ perKeyMs: 0 });

  constructor(private readonly client: Client) {}

  /**
   * Posts to a channel or thread (`threadId` wins). A reply that asks for a thread
   * (`startThread`) to a message in a guild text or announcement channel, with no thread
   * given, starts a thread on that message and is posted there: that is how a new ticket
   * gets its thread. Other replies quote the message. A reply that asks for a thread but
   * answers no message (a slash command's) is posted in the channel and starts the thread.
   */
  post(target: ChannelTarget, parts: readonly RenderedPart[]): Promise<SentMessage> {
    return this.queue.run(target.chatId, async () => {
      let threadId = target.threadId || undefined;
      let reference = target.replyToMessageId;
      if (
        reference &&
        !threadId &&
        target.chatKind === 'group' &&
        (target.startThread || this.threads.get(reference))
      ) {
        threadId = await this.threadOn(target.chatId, reference, threadName(target.text, reference));
        if (threadId) reference = undefined; // the thread hangs off the message: no quote needed
      }
      const ids = await this.postParts(threadId ?? target.chatId, parts, reference, target.idempotencyKey);
      const first = ids[0];
      if (
        target.startThread &&
        !threadId &&
        !target.replyToMessageId &&
        target.chatKind === 'group' &&
        first
      ) {
        // Nothing to hang the thread on (the request was a slash command): the reply starts it.
        threadId = await this.threadOn(target.chatId, first, threadName(target.text, first));
      }
      return { messageId: first ?? '', ...(threadId !== undefined && { threadId }) };
    });
  }

  /** Sends privately to one user, for messages only they may see outside an interaction. */
  async direct(userId: string, parts: readonly RenderedPart[]): Promise<SentMessage> {
    const dm = await this.client.users.createDM(userId);
    return this.queue.run(dm.id, async () => ({ messageId: (await this.postParts(dm.id, parts))[0] ?? '' }));
  }

  stop(): void {
    this.queue.stop();
  }

  private async postParts(
    channelId: string,
    parts: readonly RenderedPart[],
    reference?: string,
    idempotencyKey?: string,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [i, part] of parts.entries()) {
      const body = {
        content: part.content,
        allowed_mentions: restAllowedMentions(part.mentionIds),
        ...(part.components && { components: part.components }),
        ...(part.embeds && { embeds: part.embeds }),
        // A quoted message that is gone (or in another channel) must not fail the send.
        ...(i === 0 &&
          reference && { message_reference: { message_id: reference, fail_if_not_exists: false } }),
        // The outbox's retry of a post whose answer was lost: Discord answers with the message it
        // already made for this nonce (within a few minutes) instead of posting it twice.
        // https://discord.com/developers/docs/resources/message#create-message
        ...(idempotencyKey !== undefined && {
          nonce: `${idempotencyKey}${i}`.slice(0, 25),
          enforce_nonce: true,
        }),
      };
      const sent = (await this.client.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
      ids.push(sent.id);
    }
    return ids;
  }

  /** Starts (or finds) the thread on `messageId`; undefined when the channel has no threads. */
  private async threadOn(channelId: string, messageId: string, name: string): Promise<string | undefined> {
    const known = this.threads.get(messageId);
    if (known) return known;
    const channel =
      this.client.channels.cache.get(channelId) ??
      (await this.client.channels.fetch(channelId).catch(() => null));
    if (channel?.type !== ChannelType.GuildText && channel?.type !== ChannelType.GuildAnnouncement) {
      return undefined;
    }
    try {
      const thread = await channel.threads.create({
        name,
        startMessage: messageId,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek, // tickets outlive a day of silence
      });
      this.threads.set(messageId, thread.id);
      return thread.id;
    } catch (error) {
      // After a restart the map is empty: the message may already carry its thread.
      if (
        !(error instanceof DiscordAPIError) ||
        error.code !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage
      ) {
        throw error;
      }
      const message = (await this.client.rest.get(Routes.channelMessage(channelId, messageId))) as APIMessage;
      const thread: APIChannel | undefined = message.thread;
      if (!thread) throw error;
      this.threads.set(messageId, thread.id);
      return thread.id;
    }
  }
}

/**
 * REST errors that no retry can fix: the channel or user is gone, the bot lost access to the
 * channel, or the user accepts no direct messages. https://discord.com/developers/docs/topics/opcodes-and-status-codes#json
 */
const REFUSED_FOR_GOOD = new Map<number, string>([
  [RESTJSONErrorCodes.UnknownChannel, 'unknown channel'],
  [RESTJSONErrorCodes.UnknownUser, 'unknown user'],
  [RESTJSONErrorCodes.MissingAccess, 'missing access'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'the user accepts no direct messages'],
]);

/** Why Discord refused a send for good, if it did. */
export function refusalOf(error: unknown): string | undefined {
  return error instanceof DiscordAPIError && typeof error.code === 'number'
    ? REFUSED_FOR_GOOD.get(error.code)
    : undefined;
}
