import { z } from 'zod';
import type { ChatKind, InboundMessage, MembershipChange, OutboundMessage } from '../../src/core/chat';
import { withAttachments } from '../attachments';
import { fileLines } from './slack.files';
import type { SlackPost } from './slack.render';
import { type SlackSelf, slackToPlain } from './slack.text';

/**
 * Slack payloads ↔ GroupDesk's normalised messages.
 *
 * Message ids: Slack's `ts` is unique only within a channel, so a message's id is
 * `${channel}:${ts}` (the router de-duplicates on it, and `send` reads the thread back out
 * of it). Thread ids are the bare parent `ts`, as Slack's `thread_ts` is. Slash commands
 * and button clicks have no message of their own: their ids are `cmd:${trigger_id}` and
 * `action:${trigger_id}`.
 */

/** Who received the payload: the bot and its workspace (the InboundMessage `account`). */
export interface SlackReceiver extends SlackSelf {
  readonly teamId: string;
  /** The bot's `B…` id, which Bolt uses to skip the app's own bot messages. */
  readonly botId?: string;
}

/** Either a normalised value or why the payload was dropped (for the debug log). */
export type Mapped<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const TS = /^\d+\.\d+$/;
const ts = z.string().regex(TS);
const id = z.string().regex(/^[A-Z0-9]+$/);

/** Subtypes that carry something a person wrote; everything else (edits, joins, bots …) is dropped. */
const HUMAN_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

const messageEvent = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().nullish(),
  hidden: z.boolean().nullish(),
  channel: id,
  channel_type: z.string().nullish(),
  user: id.nullish(),
  bot_id: z.string().nullish(),
  text: z.string().nullish(),
  ts,
  thread_ts: ts.nullish(),
  user_profile: z.object({ display_name: z.string().nullish(), real_name: z.string().nullish() }).nullish(),
  // Read entry by entry in slack.files.ts: a malformed file list must not drop the text.
  files: z.unknown().optional(),
});

/** A `message` or `app_mention` event → InboundMessage, or the reason it is not one. */
export function eventToInbound(event: unknown, self: SlackReceiver): Mapped<InboundMessage> {
  const parsed = messageEvent.safeParse(event);
  if (!parsed.success)
    return { ok: false, reason: `unexpected message event shape: ${parsed.error.message}` };
  const e = parsed.data;
  if (e.subtype != null && !HUMAN_SUBTYPES.has(e.subtype))
    return { ok: false, reason: `subtype ${e.subtype}` };
  if (e.hidden === true) return { ok: false, reason: 'hidden message' };
  if (e.bot_id != null) return { ok: false, reason: 'bot message' };
  if (e.user == null) return { ok: false, reason: 'no user' };
  if (e.user === self.botUserId) return { ok: false, reason: 'own message' };
  const plain = slackToPlain(e.text ?? '', self);
  // Files follow the text, one line each. Only a file share (or the app_mention Slack sends
  // for the same post) may consist of files alone: other kinds without text stay dropped.
  const files = fileLines(e.files);
  const text = withAttachments(plain.text, files);
  const sharesFiles = e.subtype === 'file_share' || e.type === 'app_mention';
  const hasText = plain.text.length > 0 || (sharesFiles && files.length > 0);
  if (!hasText) return { ok: false, reason: 'no text' };
  const chatKind: ChatKind = e.channel_type === 'im' || e.channel.startsWith('D') ? 'direct' : 'group';
  const name = e.user_profile?.display_name || e.user_profile?.real_name || undefined;
  return {
    ok: true,
    value: {
      platform: 'slack',
      account: self.teamId,
      chatId: e.channel,
      chatKind,
      // A thread's parent carries thread_ts === ts once it has replies: it is not "in" the thread.
      ...(e.thread_ts != null && e.thread_ts !== e.ts ? { threadId: e.thread_ts } : {}),
      messageId: messageIdOf(e.channel, e.ts),
      sender: name !== undefined ? { id: e.user, name } : { id: e.user },
      text,
      mentions: plain.mentions,
      addressed: e.type === 'app_mention' || chatKind === 'direct' || plain.mentionsBot,
      sentAt: Math.round(Number(e.ts) * 1000),
    },
  };
}

const slashCommand = z.object({
  command: z.string(),
  text: z.string().nullish(),
  user_id: id,
  user_name: z.string().nullish(),
  channel_id: id,
  channel_name: z.string().nullish(),
  trigger_id: z.string().min(1),
});

/** `/gd claim 12` → an addressed InboundMessage with text `/claim 12` (bare `/gd` → `/help`). */
export function commandToInbound(body: unknown, self: SlackReceiver): Mapped<InboundMessage> {
  const parsed = slashCommand.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: `unexpected slash command shape: ${parsed.error.message}` };
  const c = parsed.data;
  const plain = slackToPlain(c.text ?? '', self);
  const args = plain.text.replace(/^\/+/, '').trim();
  const chatKind = chatKindOf(c.channel_id, c.channel_name);
  return {
    ok: true,
    value: {
      platform: 'slack',
      account: self.teamId,
      chatId: c.channel_id,
      chatKind,
      messageId: `cmd:${c.trigger_id}`,
      sender: c.user_name ? { id: c.user_id, name: c.user_name } : { id: c.user_id },
      text: `/${args.length > 0 ? args : 'help'}`,
      mentions: plain.mentions,
      addressed: true,
      ...chatTitle(chatKind, c.channel_name),
    },
  };
}

const blockActions = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: z.object({ id, name: z.string().nullish(), username: z.string().nullish() }),
  channel: z.object({ id, name: z.string().nullish() }),
  message: z.object({ ts, thread_ts: ts.nullish() }).nullish(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().nullish() })).min(1),
});

/** A button click: what Slack sent, normalised, plus where replies to it belong. */
export interface MappedAction {
  readonly message: InboundMessage;
  /** Thread of the message holding the button (its own ts when top-level), for in-channel replies. */
  readonly replyThread?: string;
}

/** A GroupDesk button click → the button's command as if the clicking user had typed it. */
export function actionToInbound(body: unknown, self: SlackReceiver): Mapped<MappedAction> {
  const parsed = blockActions.safeParse(body);
  if (!parsed.success)
    return { ok: false, reason: `unexpected block_actions shape: ${parsed.error.message}` };
  const a = parsed.data;
  const command = a.actions[0]?.value?.trim();
  if (command === undefined || !command.startsWith('/'))
    return { ok: false, reason: 'button without a command' };
  const chatKind = chatKindOf(a.channel.id, a.channel.name);
  const name = a.user.name || a.user.username || undefined;
  const source = a.message;
  const message: InboundMessage = {
    platform: 'slack',
    account: self.teamId,
    chatId: a.channel.id,
    chatKind,
    ...(source?.thread_ts != null && source.thread_ts !== source.ts ? { threadId: source.thread_ts } : {}),
    messageId: `action:${a.trigger_id}`,
    sender: name !== undefined ? { id: a.user.id, name } : { id: a.user.id },
    text: command,
    mentions: [],
    addressed: true,
    ...(source ? { quotedMessageId: messageIdOf(a.channel.id, source.ts) } : {}),
    ...chatTitle(chatKind, a.channel.name),
  };
  const replyThread = source ? (source.thread_ts ?? source.ts) : undefined;
  return { ok: true, value: replyThread !== undefined ? { message, replyThread } : { message } };
}

const memberEvent = z.object({
  type: z.enum(['member_joined_channel', 'member_left_channel']),
  user: id,
  channel: id,
});

/** `member_joined_channel` / `member_left_channel` → MembershipChange. */
export function memberEventToChange(event: unknown): Mapped<MembershipChange> {
  const parsed = memberEvent.safeParse(event);
  if (!parsed.success) return { ok: false, reason: `unexpected member event shape: ${parsed.error.message}` };
  const e = parsed.data;
  return {
    ok: true,
    value: {
      platform: 'slack',
      chatId: e.channel,
      user: { id: e.user },
      change: e.type === 'member_joined_channel' ? 'joined' : 'left',
    },
  };
}

/** Arguments for `chat.postMessage` for one rendered post of an outbound message. */
export function toPostMessageArgs(message: OutboundMessage, post: SlackPost, threadTs: string | undefined) {
  return {
    channel: message.chatId,
    text: post.text,
    ...(post.blocks !== undefined ? { blocks: post.blocks } : {}),
    ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    // Customer text may contain links: previews would leak nothing new but clutter tickets.
    unfurl_links: false,
    unfurl_media: false,
  };
}

export function messageIdOf(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** The `ts` inside a `${channel}:${ts}` message id of the given channel, if it is one. */
export function tsOfMessageId(messageId: string, channel: string): string | undefined {
  const prefix = `${channel}:`;
  if (!messageId.startsWith(prefix)) return undefined;
  const rest = messageId.slice(prefix.length);
  return TS.test(rest) ? rest : undefined;
}

function chatKindOf(channelId: string, channelName: string | null | undefined): ChatKind {
  return channelId.startsWith('D') || channelName === 'directmessage' ? 'direct' : 'group';
}

function chatTitle(kind: ChatKind, name: string | null | undefined): { chatTitle?: string } {
  // Slack reports placeholders instead of names for DMs and some private channels.
  if (kind === 'direct' || !name || name === 'privategroup' || name === 'directmessage') return {};
  return { chatTitle: name };
}
