import { z } from 'zod';
import type { ChatUser, InboundMessage, MembershipChange } from '../../src/core/chat';
import {
  type AttachmentTag,
  attachmentLine,
  attachmentName,
  httpUrl,
  TAG,
  withAttachments,
} from '../attachments';
import { parseMessage, type Segment } from './onebot.message';

/** QQ ids arrive as JSON numbers (NapCat) or numeric strings (some clients); we keep strings. */
const qqId = z.union([z.number().int(), z.string().regex(/^-?\d{1,20}$/)]).transform(String);

const messageEventSchema = z.object({
  post_type: z.literal('message'),
  message_type: z.enum(['group', 'private']),
  self_id: qqId,
  message_id: qqId,
  user_id: qqId,
  group_id: qqId.optional(),
  group_name: z.string().optional(),
  time: z.number().optional(),
  message: z.union([z.string(), z.array(z.unknown())]),
  sender: z.object({ card: z.string().nullish(), nickname: z.string().nullish() }).partial().nullish(),
});

const noticeSchema = z.object({
  post_type: z.literal('notice'),
  notice_type: z.enum(['group_increase', 'group_decrease']),
  self_id: qqId,
  group_id: qqId,
  user_id: qqId,
});

const metaSchema = z.object({
  post_type: z.literal('meta_event'),
  meta_event_type: z.enum(['heartbeat', 'lifecycle']),
  self_id: qqId,
  sub_type: z.string().optional(),
  interval: z.number().optional(),
  status: z.object({ online: z.boolean().nullish(), good: z.boolean().nullish() }).partial().nullish(),
});

/** What one OneBot event means to the adapter. */
export type MappedEvent =
  | {
      readonly kind: 'message';
      readonly message: InboundMessage;
      /** For group messages with a server time: the same whichever bot account's client reports it. */
      readonly copyKey?: string;
    }
  | { readonly kind: 'membership'; readonly selfId: string; readonly change: MembershipChange }
  | { readonly kind: 'heartbeat'; readonly selfId: string; readonly online: boolean; readonly good: boolean }
  | { readonly kind: 'lifecycle'; readonly selfId: string; readonly subType: string }
  /** Understood but of no use to GroupDesk (other notices, requests, the bot's own messages). */
  | { readonly kind: 'ignored'; readonly reason: string }
  /** Looked like something we handle but did not have the right shape. */
  | { readonly kind: 'invalid'; readonly reason: string };

export interface MapperContext {
  /** Display name of a connected bot account, used when the bot is @mentioned mid-sentence. */
  readonly selfName?: (selfId: string) => string | undefined;
  /**
   * The desk's other QQ accounts (several OneBot clients may sit in one group): an @ of any
   * of them addresses the desk, and what they post is the desk's own message, never a customer's.
   */
  readonly isOwnAccount?: (qq: string) => boolean;
}

/** Turns one OneBot v11 event (already JSON-parsed) into what GroupDesk cares about. */
export function mapEvent(event: Record<string, unknown>, context: MapperContext = {}): MappedEvent {
  switch (event.post_type) {
    case 'message':
      return mapMessage(event, context);
    case 'notice': {
      if (event.notice_type !== 'group_increase' && event.notice_type !== 'group_decrease') {
        return { kind: 'ignored', reason: `notice ${String(event.notice_type)}` };
      }
      const parsed = noticeSchema.safeParse(event);
      if (!parsed.success) return { kind: 'invalid', reason: `notice: ${parsed.error.message}` };
      const notice = parsed.data;
      return {
        kind: 'membership',
        selfId: notice.self_id,
        change: {
          platform: 'qq',
          chatId: notice.group_id,
          user: { id: notice.user_id },
          change: notice.notice_type === 'group_increase' ? 'joined' : 'left',
        },
      };
    }
    case 'meta_event': {
      const parsed = metaSchema.safeParse(event);
      if (!parsed.success) return { kind: 'invalid', reason: `meta_event: ${parsed.error.message}` };
      const meta = parsed.data;
      if (meta.meta_event_type === 'lifecycle') {
        return { kind: 'lifecycle', selfId: meta.self_id, subType: meta.sub_type ?? 'unknown' };
      }
      // Clients that omit the status fields are taken as healthy: only an explicit false alarms.
      return {
        kind: 'heartbeat',
        selfId: meta.self_id,
        online: meta.status?.online !== false,
        good: meta.status?.good !== false,
      };
    }
    case 'message_sent':
    case 'request':
      return { kind: 'ignored', reason: `post_type ${event.post_type}` };
    default:
      return { kind: 'invalid', reason: `unknown post_type ${JSON.stringify(event.post_type)}` };
  }
}

function mapMessage(event: Record<string, unknown>, context: MapperContext): MappedEvent {
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success) return { kind: 'invalid', reason: `message: ${parsed.error.message}` };
  const e = parsed.data;
  const isBot = (qq: string) => qq === e.self_id || (context.isOwnAccount?.(qq) ?? false);
  // With reportSelfMessage on, some clients echo the bot's own sends as message events; and
  // with two accounts in a group each sees the other's acknowledgements and announcements.
  if (isBot(e.user_id)) {
    return {
      kind: 'ignored',
      reason: e.user_id === e.self_id ? 'own message' : "another desk account's message",
    };
  }
  const isGroup = e.message_type === 'group';
  if (isGroup && e.group_id === undefined)
    return { kind: 'invalid', reason: 'group message without group_id' };

  const segments = parseMessage(e.message);
  const body = renderSegments(segments, { isBot, ...(context.selfName ? { nameOf: context.selfName } : {}) });
  const name = e.sender?.card || e.sender?.nickname || undefined;
  const message: InboundMessage = {
    platform: 'qq',
    account: e.self_id,
    chatId: isGroup ? (e.group_id as string) : e.user_id,
    chatKind: isGroup ? 'group' : 'direct',
    messageId: e.message_id,
    sender: name === undefined ? { id: e.user_id } : { id: e.user_id, name },
    text: body.text,
    mentions: body.mentions,
    // Everything said to the bot in a private chat is addressed to it.
    addressed: isGroup ? body.mentionsSelf : true,
    ...(body.quotedMessageId === undefined ? {} : { quotedMessageId: body.quotedMessageId }),
    ...(isGroup && e.group_name ? { chatTitle: e.group_name } : {}),
    ...(e.time === undefined ? {} : { sentAt: e.time * 1000 }),
  };
  if (!isGroup || e.time === undefined) return { kind: 'message', message };
  return { kind: 'message', message, copyKey: copyKeyOf(e.group_id as string, e.user_id, e.time, segments) };
}

/**
 * What identifies one group message whichever bot account's client reports it. Not the
 * message id: each OneBot client assigns its own (NapCat hashes its local message id,
 * go-cqhttp the group sequence, older clients counted up), so one message may arrive
 * under two ids and two messages under one. The group, sender, server time (seconds) and
 * content are QQ's. Quotes are left out (their ids are the client's too), as are at names.
 */
function copyKeyOf(groupId: string, userId: string, time: number, segments: readonly Segment[]): string {
  const content = segments.map((s) => {
    if (s.type === 'text') return s.data.text ?? '';
    if (s.type === 'at') return `@${s.data.qq ?? ''}`;
    return s.type === 'reply' ? '' : `[${s.type}]`;
  });
  return JSON.stringify([groupId, userId, time, content.join('')]);
}

interface RenderedBody {
  readonly text: string;
  readonly mentions: ChatUser[];
  readonly mentionsSelf: boolean;
  readonly quotedMessageId?: string;
}

/**
 * Media a customer sends with (or instead of) a question: each becomes a line after the text,
 * with the segment's http(s) `url` when the client gives one (OneBot v11 `image` on receipt;
 * NapCat also for `file`, `video` and `record`), as Discord's attachment URLs do.
 */
const MEDIA: Readonly<Record<string, AttachmentTag>> = {
  image: TAG.image,
  record: TAG.voice,
  video: TAG.video,
  file: TAG.file,
};

/** Other rich segments appear in place as a short tag so a ticket shows that something was sent. */
const PLACEHOLDERS: Readonly<Record<string, AttachmentTag>> = {
  face: TAG.face,
  mface: TAG.sticker,
  forward: TAG.forward,
  json: TAG.card,
  xml: TAG.card,
  location: TAG.location,
  share: TAG.link,
  contact: TAG.contact,
  music: TAG.music,
};

/**
 * One media segment as an attachment line. A `file` segment's name is `name`, else `file`
 * (NapCat puts the file name there), unless that is a path, URL or `base64://` payload.
 */
function mediaLine(tag: AttachmentTag, segment: Segment): string {
  const { data } = segment;
  const name = segment.type === 'file' ? (fileName(data.name) ?? fileName(data.file)) : undefined;
  return attachmentLine(tag, { name, url: httpUrl(data.url) });
}

/** A path (`/`, `\`) or a scheme (`file:`, `base64:`, `C:`) is where a file is, not what it is called. */
function fileName(value: string | undefined): string | undefined {
  return value === undefined || /[/\\]|^\w+:/.test(value) ? undefined : attachmentName(value);
}

/** The bot's QQ accounts, as seen from one message. */
export interface BotAccounts {
  /** The receiving account, and any other account of this desk. */
  readonly isBot: (qq: string) => boolean;
  /** Display name of a bot account, for an @bot in mid-sentence. */
  readonly nameOf?: (qq: string) => string | undefined;
}

/**
 * Joins text segments with mentions rendered as `@name` (or `@id`). A leading @bot (of any
 * of the desk's accounts) is dropped, as `addressed` already says it, so that
 * `@bot /status` reads `/status`.
 */
export function renderSegments(segments: readonly Segment[], bot: BotAccounts): RenderedBody {
  let text = '';
  const mentions: ChatUser[] = [];
  let mentionsSelf = false;
  let quotedMessageId: string | undefined;
  const attachments: string[] = [];
  for (const segment of segments) {
    const data = segment.data;
    switch (segment.type) {
      case 'text':
        text += data.text ?? '';
        break;
      case 'at': {
        const qq = data.qq ?? '';
        if (qq === 'all') {
          text += '@all';
        } else if (bot.isBot(qq)) {
          mentionsSelf = true;
          if (text.trim() !== '') text += `@${bot.nameOf?.(qq) ?? qq}`;
        } else if (/^\d+$/.test(qq)) {
          const name = data.name?.replace(/^@/, '') || undefined;
          if (!mentions.some((m) => m.id === qq)) mentions.push(name ? { id: qq, name } : { id: qq });
          text += `@${name ?? qq}`;
        }
        break;
      }
      case 'reply':
        if (data.id) quotedMessageId ??= data.id;
        break;
      default: {
        const media = MEDIA[segment.type];
        if (media !== undefined) attachments.push(mediaLine(media, segment));
        else text += PLACEHOLDERS[segment.type] ?? '';
      }
    }
  }
  return {
    text: withAttachments(text.trim(), attachments),
    mentions,
    mentionsSelf,
    ...(quotedMessageId === undefined ? {} : { quotedMessageId }),
  };
}
