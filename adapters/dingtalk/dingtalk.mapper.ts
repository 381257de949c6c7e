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
 * DingTalk robot callbacks (Stream topic `/v1.0/im/bot/messages/get`) → GroupDesk's
 * normalised messages.
 *
 * Ids: a message is its `msgId`; a chat its `conversationId` (the `openConversationId` the
 * OpenAPI wants for group sends); a person their `senderStaffId` (the userid inside the
 * organisation, what `at.atUserIds` and one-to-one sends take), or `senderId` (the
 * app-scoped `$:LWCP_v1:…` id) for someone outside the organisation, who has no staff id.
 * DingTalk has no threads: a ticket lives in its group and is named by `#number`.
 * See https://open.dingtalk.com/document/orgapp/receive-message.
 */

export type Mapped<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const atUser = z.object({ dingtalkId: z.string().nullish(), staffId: z.string().nullish() });

const robotMessage = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  conversationId: z.string().min(1),
  /** '1' one-to-one, '2' group. */
  conversationType: z.string(),
  conversationTitle: z.string().nullish(),
  senderId: z.string().nullish(),
  senderStaffId: z.string().nullish(),
  senderNick: z.string().nullish(),
  chatbotUserId: z.string().nullish(),
  isInAtList: z.boolean().nullish(),
  atUsers: z.array(atUser).nullish(),
  createAt: z.number().nullish(),
  sessionWebhook: z.string().nullish(),
  sessionWebhookExpiredTime: z.number().nullish(),
  text: z.object({ content: z.string() }).nullish(),
  content: z.unknown().optional(),
});

/** Where a reply can go without a token while DingTalk keeps it open. */
export interface SessionWebhook {
  readonly url: string;
  /** Epoch ms after which DingTalk refuses it. */
  readonly expiresAt: number;
}

export interface MappedRobotMessage {
  readonly message: InboundMessage;
  readonly webhook?: SessionWebhook;
}

/** A robot callback's `data` (a JSON string) → InboundMessage, or why it is not one. */
export function robotToInbound(data: string): Mapped<MappedRobotMessage> {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'callback data is not JSON' };
  }
  const parsed = robotMessage.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `unexpected robot message shape: ${parsed.error.message}` };
  const m = parsed.data;
  const from = m.senderStaffId || m.senderId;
  if (!from) return { ok: false, reason: 'no sender id' };
  if (m.chatbotUserId && m.senderId === m.chatbotUserId) return { ok: false, reason: 'own message' };
  const text = bodyText(m.msgtype, m.text?.content, m.content).trim();
  if (text.length === 0) return { ok: false, reason: `no text in a ${m.msgtype} message` };
  const chatKind: ChatKind = m.conversationType === '1' ? 'direct' : 'group';
  const mentions: ChatUser[] = [];
  for (const u of m.atUsers ?? []) {
    if (!u.staffId || u.dingtalkId === m.chatbotUserId || mentions.some((x) => x.id === u.staffId)) continue;
    mentions.push({ id: u.staffId });
  }
  const webhook =
    m.sessionWebhook &&
    typeof m.sessionWebhookExpiredTime === 'number' &&
    /^https?:\/\//.test(m.sessionWebhook)
      ? { url: m.sessionWebhook, expiresAt: m.sessionWebhookExpiredTime }
      : undefined;
  return {
    ok: true,
    value: {
      message: {
        platform: 'dingtalk',
        chatId: m.conversationId,
        chatKind,
        messageId: m.msgId,
        sender: m.senderNick ? { id: from, name: m.senderNick } : { id: from },
        text,
        mentions,
        // In a group DingTalk delivers only messages that @mention the robot.
        addressed: chatKind === 'direct' || m.isInAtList !== false,
        ...(typeof m.createAt === 'number' && m.createAt > 0 ? { sentAt: m.createAt } : {}),
      },
      ...(webhook !== undefined ? { webhook } : {}),
    },
  };
}

const ATTACHMENTS: Readonly<Record<string, AttachmentTag>> = {
  picture: TAG.image,
  file: TAG.file,
  audio: TAG.voice,
  video: TAG.video,
};

/**
 * Text, rich text (words, pictures as tag lines), and the attachment kinds as tag lines,
 * each with its `downloadCode`: POST /v1.0/robot/messageFiles/download (with the robotCode)
 * turns it into a short-lived download link.
 */
function bodyText(type: string, text: string | undefined, content: unknown): string {
  const c = (typeof content === 'object' && content !== null ? content : {}) as Record<string, unknown>;
  if (type === 'text') return text ?? '';
  if (type === 'richText') {
    const words: string[] = [];
    const lines: string[] = [];
    for (const part of Array.isArray(c.richText) ? c.richText : []) {
      if (typeof part !== 'object' || part === null) continue;
      const p = part as Record<string, unknown>;
      if (typeof p.text === 'string') words.push(p.text);
      else if (p.type === 'picture' || typeof p.downloadCode === 'string')
        lines.push(attachmentLine(TAG.image, { key: attachmentKey(p.downloadCode) }));
    }
    return withAttachments(words.join('').trim(), lines);
  }
  const tag = ATTACHMENTS[type];
  if (tag === undefined) return '';
  const name = attachmentName(typeof c.fileName === 'string' ? c.fileName : undefined);
  // A voice message comes with DingTalk's transcription: it is the customer's words.
  const said = type === 'audio' && typeof c.recognition === 'string' ? c.recognition.trim() : '';
  return withAttachments(said, [attachmentLine(tag, { name, key: attachmentKey(c.downloadCode) })]);
}
