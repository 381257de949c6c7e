import { z } from 'zod';
import type { ChatKind, ChatUser, InboundMessage } from '../../src/core/chat';
import {
  type AttachmentTag,
  attachmentKey,
  attachmentLine,
  attachmentName,
  TAG,
  withAttachments,
} from '../attachments';

/**
 * Feishu/Lark event payloads → GroupDesk's normalised messages.
 *
 * Ids: Feishu message ids (`om_…`) are unique across chats, so they are the message ids
 * as they are. A ticket's thread is the thread's root message id (`root_id`): that is
 * what `im.v1.message.reply` with `reply_in_thread` needs to post into it. A card click has
 * no message of its own: its id is `card:${event_id}`. People are their `open_id` (`ou_…`),
 * which is per app: the same person has another open_id under another app.
 * See https://open.feishu.cn/document/server-docs/im-v1/message/events/receive and
 * https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication.
 */

/** Either a normalised value or why the payload was dropped (for the debug log). */
export type Mapped<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/** Who the bot is (bot/v3/info), for recognising its own mentions. */
export interface FeishuSelf {
  readonly openId: string;
  readonly name?: string;
}

const userId = z.object({
  open_id: z.string().nullish(),
  union_id: z.string().nullish(),
  user_id: z.string().nullish(),
});

const mention = z.object({ key: z.string(), id: userId.nullish(), name: z.string().nullish() });
type Mention = z.infer<typeof mention>;

/** `im.message.receive_v1` as the SDK's dispatcher hands it over: header fields and event merged. */
const receiveEvent = z.object({
  event_id: z.string().min(1),
  sender: z.object({ sender_id: userId, sender_type: z.string().nullish() }),
  message: z.object({
    message_id: z.string().min(1),
    root_id: z.string().nullish(),
    parent_id: z.string().nullish(),
    thread_id: z.string().nullish(),
    create_time: z.string().nullish(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(mention).nullish(),
  }),
});

/** A received message, normalised, with the event id it came in. */
export interface MappedReceive {
  readonly eventId: string;
  readonly message: InboundMessage;
}

/** `im.message.receive_v1` → InboundMessage, or the reason it is not one. */
export function receiveToInbound(data: unknown, self: FeishuSelf): Mapped<MappedReceive> {
  const parsed = receiveEvent.safeParse(data);
  if (!parsed.success)
    return { ok: false, reason: `unexpected message event shape: ${parsed.error.message}` };
  const { event_id: eventId, sender, message: m } = parsed.data;
  if (sender.sender_type !== 'user') return { ok: false, reason: `sender type ${sender.sender_type}` };
  const from = sender.sender_id.open_id;
  if (!from) return { ok: false, reason: 'no open_id' };
  if (from === self.openId) return { ok: false, reason: 'own message' };
  const mentions = m.mentions ?? [];
  const body = contentToText(m.message_type, m.content, mentions, self);
  if (body.text.length === 0) return { ok: false, reason: `no text in a ${m.message_type} message` };
  const chatKind: ChatKind = m.chat_type === 'p2p' ? 'direct' : 'group';
  const others = mentionedUsers(mentions, self);
  const sentAt = Number(m.create_time);
  return {
    ok: true,
    value: {
      eventId,
      message: {
        platform: 'feishu',
        chatId: m.chat_id,
        chatKind,
        // In a thread (话题) every message carries the thread's root; a plain quote-reply has a
        // root too but no thread_id: it is a quote, not a thread.
        ...(m.thread_id && m.root_id ? { threadId: m.root_id } : {}),
        ...(m.parent_id ? { quotedMessageId: m.parent_id } : {}),
        messageId: m.message_id,
        sender: { id: from },
        text: body.text,
        mentions: others,
        addressed: chatKind === 'direct' || body.mentionsBot,
        ...(Number.isFinite(sentAt) && sentAt > 0 ? { sentAt } : {}),
      },
    },
  };
}

/** The users mentioned, the bot and `@_all` excluded, each once, in order. */
function mentionedUsers(mentions: readonly Mention[], self: FeishuSelf): ChatUser[] {
  const out: ChatUser[] = [];
  for (const m of mentions) {
    const id = m.id?.open_id;
    if (!id || id === self.openId || out.some((u) => u.id === id)) continue;
    out.push(m.name ? { id, name: m.name } : { id });
  }
  return out;
}

/** Message types that are an attachment, as the shared tag lines (adapters/attachments.ts). */
const ATTACHMENT_TYPES: Readonly<Record<string, AttachmentTag>> = {
  image: TAG.image,
  file: TAG.file,
  audio: TAG.voice,
  media: TAG.video,
  sticker: TAG.sticker,
  merge_forward: TAG.forward,
  interactive: TAG.card,
  share_chat: TAG.card,
  share_user: TAG.card,
  location: TAG.location,
};

/**
 * Message types whose key fetches the file: GET /open-apis/im/v1/messages/:message_id/resources/:key
 * (scope `im:resource`). A sticker's key is not downloadable.
 */
const RESOURCE_TYPES: ReadonlySet<string> = new Set(['image', 'file', 'audio', 'media']);

interface Body {
  readonly text: string;
  readonly mentionsBot: boolean;
}

/**
 * A message's `content` (a JSON string whose shape depends on `message_type`) as plain text:
 * text and post (rich text) become their words with mentions as `@name`; files, images and
 * the like become the shared attachment tag lines. A leading mention of the bot is dropped,
 * as on the other platforms: `addressed` says it.
 */
export function contentToText(
  type: string,
  content: string,
  mentions: readonly Mention[],
  self: FeishuSelf,
): Body {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { text: '', mentionsBot: false };
  }
  const c = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const botKeys = new Set(mentions.filter((m) => m.id?.open_id === self.openId).map((m) => m.key));
  const named = (key: string) => {
    if (key === '@_all') return '@all';
    const m = mentions.find((x) => x.key === key);
    return `@${m?.name || m?.id?.open_id || key.replace(/^@_?/, '')}`;
  };
  switch (type) {
    case 'text':
      return finish(withMentions(str(c.text), mentions), botKeys, named);
    case 'post':
      return finish(postToText(c), botKeys, named);
    default: {
      const tag = ATTACHMENT_TYPES[type];
      if (tag === undefined) return { text: '', mentionsBot: false };
      // Files and media carry a name; images, files, voice and video a key to fetch them by
      // (a video's file_key, not its cover's image_key).
      const key = type === 'image' ? c.image_key : RESOURCE_TYPES.has(type) ? c.file_key : undefined;
      const name = attachmentName(str(c.file_name));
      return { text: attachmentLine(tag, { name, key: attachmentKey(key) }), mentionsBot: false };
    }
  }
}

/**
 * Text in which every mention is a marker `\uE000key\uE001` (`@_user_1`), so that a leading
 * bot mention can be told from text that merely reads like one.
 */
interface Draft {
  readonly text: string;
}

const MARK = /\uE000([^\uE000\uE001]*)\uE001/g;
const mark = (key: string) => `\uE000${key}\uE001`;

function finish(draft: Draft, botKeys: ReadonlySet<string>, named: (key: string) => string): Body {
  const keys = [...draft.text.matchAll(MARK)].map((k) => k[1]!);
  const mentionsBot = keys.some((k) => botKeys.has(k));
  // A leading bot mention only says who is addressed; a later one stays as `@name`.
  const text = draft.text.replace(/^(?:\s*\uE000([^\uE000\uE001]*)\uE001[\s,:，：]*)+/, (lead) =>
    [...lead.matchAll(MARK)].every((k) => botKeys.has(k[1]!)) ? '' : lead,
  );
  return { text: text.replace(MARK, (_, key: string) => named(key)).trim(), mentionsBot };
}

/** Marks every mention key (`@_user_1`; longest first, so `@_user_10` is not read as `@_user_1`). */
function withMentions(text: string, mentions: readonly Mention[]): Draft {
  // Feishu's own text never holds these private-use characters; a customer's might, to forge markers:
  // clean() drops them first.
  const keys = [...new Set([...mentions.map((m) => m.key), '@_all'])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(keys.map(escapeRegExp).join('|'), 'g');
  return { text: clean(text).replace(pattern, mark) };
}

const postElement = z
  .object({
    tag: z.string(),
    text: z.string().nullish(),
    href: z.string().nullish(),
    user_id: z.string().nullish(),
    user_name: z.string().nullish(),
    emoji_type: z.string().nullish(),
    file_name: z.string().nullish(),
    image_key: z.string().nullish(),
    file_key: z.string().nullish(),
  })
  .passthrough();

/**
 * A post (rich text): `{ title, content: [[element, …], …] }`, one inner array per
 * paragraph. Received posts are not wrapped in a language key; sent ones may be (`zh_cn`).
 */
function postToText(c: Record<string, unknown>): Draft {
  const body = (c.content === undefined ? Object.values(c).find(isPost) : c) as
    | Record<string, unknown>
    | undefined;
  const title = str(body?.title).trim();
  const lines: string[] = [];
  const attachments: string[] = [];
  for (const paragraph of Array.isArray(body?.content) ? body.content : []) {
    if (!Array.isArray(paragraph)) continue;
    let line = '';
    for (const raw of paragraph) {
      const parsed = postElement.safeParse(raw);
      if (!parsed.success) continue;
      const e = parsed.data;
      if (e.tag === 'text' || e.tag === 'code_block' || e.tag === 'md') line += clean(e.text);
      else if (e.tag === 'a')
        line += e.text && e.text !== e.href ? `${e.text} (${e.href ?? ''})` : (e.href ?? '');
      else if (e.tag === 'at') {
        const key = e.user_id ?? '';
        line += key.startsWith('@_') ? mark(key) : `@${clean(e.user_name ?? key)}`;
      } else if (e.tag === 'emotion') line += e.emoji_type ? `:${e.emoji_type}:` : '';
      else if (e.tag === 'img')
        attachments.push(attachmentLine(TAG.image, { key: attachmentKey(e.image_key) }));
      else if (e.tag === 'media')
        attachments.push(
          attachmentLine(TAG.video, { name: attachmentName(e.file_name), key: attachmentKey(e.file_key) }),
        );
    }
    lines.push(line);
  }
  const text = [title, lines.join('\n').trim()].filter((p) => p.length > 0).join('\n');
  return { text: withAttachments(text, attachments) };
}

function isPost(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && Array.isArray((value as { content?: unknown }).content)
  );
}

const cardAction = z.object({
  event_id: z.string().min(1),
  operator: userId,
  action: z.object({ value: z.unknown() }),
  context: z.object({ open_message_id: z.string().nullish(), open_chat_id: z.string().min(1) }),
});

/** Where a card the bot sent lives, remembered at send time (the callback does not say). */
export interface CardPlace {
  readonly chatKind: ChatKind;
  readonly threadId?: string;
}

/** The value GroupDesk puts on each button: the command it stands for. */
export interface ButtonValue {
  readonly groupdesk: string;
}

/** A `card.action.trigger` click on a GroupDesk button → its command, said by the clicker. */
export function cardActionToInbound(
  data: unknown,
  placeOf: (messageId: string) => CardPlace | undefined,
): Mapped<MappedReceive> {
  const parsed = cardAction.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `unexpected card action shape: ${parsed.error.message}` };
  const { event_id: eventId, operator, action, context } = parsed.data;
  const value = action.value as Partial<ButtonValue> | null | undefined;
  const command = typeof value?.groupdesk === 'string' ? value.groupdesk.trim() : '';
  if (!command.startsWith('/')) return { ok: false, reason: 'card action without a GroupDesk command' };
  if (!operator.open_id) return { ok: false, reason: 'card action without an open_id' };
  const source = context.open_message_id ?? undefined;
  const place = source !== undefined ? placeOf(source) : undefined;
  return {
    ok: true,
    value: {
      eventId,
      message: {
        platform: 'feishu',
        chatId: context.open_chat_id,
        chatKind: place?.chatKind ?? 'group',
        ...(place?.threadId !== undefined ? { threadId: place.threadId } : {}),
        messageId: `card:${eventId}`,
        sender: { id: operator.open_id },
        text: command,
        mentions: [],
        addressed: true,
        interaction: true,
        ...(source !== undefined ? { quotedMessageId: source } : {}),
      },
    },
  };
}

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/[\uE000\uE001]/g, '');
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
