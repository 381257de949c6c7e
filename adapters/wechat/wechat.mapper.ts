import type { Contact, Message, Room } from 'wechaty';
import { types } from 'wechaty';
import type { ChatUser, InboundMessage } from '../../src/core/chat';
import { mediaText } from './wechat.media';
import { parseQuote, type Quote } from './wechat.quote';

/** Longer inbound texts are dropped: no customer question is this long, a flood or a paste bomb is. */
export const MAX_INBOUND_TEXT = 20_000;

/** WeChat separates an @mention from the following text with U+2005 (four-per-em space). */
const MENTION_SEPARATOR = '\u2005';

/** Either the normalised message or why it was dropped (for a debug log line). */
export type MapResult =
  | {
      readonly kind: 'message';
      readonly message: InboundMessage;
      /** The quote this message is written under, if any (see wechat.quote.ts). */
      readonly quote?: Quote;
      /** What the room shows of this message when someone quotes it. */
      readonly shown: string;
    }
  | { readonly kind: 'drop'; readonly reason: string };

const drop = (reason: string): MapResult => ({ kind: 'drop', reason });

/**
 * Turns a Wechaty message into an `InboundMessage`.
 * Room messages become `group` messages of the room; one-to-one messages become `direct`
 * messages (always addressed: they can only be meant for the bot). The bot's own @name is
 * removed from the text so that the router sees the request; other mentions stay as `@name`.
 * Images, files, links and the like become an attachment line (`wechat.media.ts`); in a room
 * they are not addressed, since they cannot carry an @mention, but can still be a follow-up.
 * Own messages, unsupported types and official-account pushes are dropped.
 * See https://wechaty.js.org/docs/api/message
 */
export async function toInbound(msg: Message, self: Contact): Promise<MapResult> {
  if (msg.self() || msg.talker().id === self.id) return drop('own message');
  const type = msg.type();
  const isText = type === types.Message.Text;
  const whole = isText ? msg.text() : await mediaText(msg);
  if (whole === undefined) return drop(`unsupported message type (${types.Message[type] ?? type})`);
  if (whole.length > MAX_INBOUND_TEXT) return drop(`text of ${whole.length} characters`);
  // A quoting message: the desk gets what was written under the quote, and the quoted text.
  const quote = isText ? parseQuote(whole) : undefined;
  const raw = quote?.reply ?? whole;
  if (quote && raw.trim().length === 0) return drop('a quote with nothing written under it');
  const found = (message: InboundMessage): MapResult => ({
    kind: 'message',
    message: quote ? { ...message, quotedText: quote.text } : message,
    ...(quote ? { quote } : {}),
    shown: raw,
  });

  const talker = msg.talker();
  const sentAt = msg.date().getTime();
  const room = msg.room();
  if (!room) {
    if (talker.type() === types.Contact.Official) return drop('official account push');
    const message: InboundMessage = {
      platform: 'wechat',
      chatId: talker.id,
      chatKind: 'direct',
      messageId: msg.id,
      sender: user(talker, undefined),
      text: normalise(raw),
      mentions: [],
      addressed: true,
      sentAt,
    };
    return found(message);
  }

  const [topic, senderAlias, body] = await Promise.all([
    room.topic(),
    aliasIn(room, talker),
    isText ? roomText(msg, room, self, raw) : { text: raw, mentions: [], addressed: false },
  ]);
  const message: InboundMessage = {
    platform: 'wechat',
    chatId: room.id,
    chatKind: 'group',
    chatTitle: topic,
    messageId: msg.id,
    sender: user(talker, senderAlias),
    ...body,
    sentAt,
  };
  return found(message);
}

/** A room text without the bot's @name, the others it mentions, and whether it calls the bot. */
async function roomText(
  msg: Message,
  room: Room,
  self: Contact,
  raw: string,
): Promise<Pick<InboundMessage, 'text' | 'mentions' | 'addressed'>> {
  const [mentioned, selfAlias] = await Promise.all([msg.mentionList(), aliasIn(room, self)]);
  const selfNames = [selfAlias, self.name()].filter((n): n is string => !!n);
  // Same test as `msg.mentionSelf()`, without asking the puppet for the mention list twice;
  // a typed (not picked) "@bot" carries no mention id on most puppets, so the text counts too.
  const addressed =
    mentioned.some((c) => c.id === self.id) || selfNames.some((n) => mentionPattern(n).test(raw));
  const others = mentioned.filter((c) => c.id !== self.id);
  const mentions = await Promise.all(others.map(async (c) => user(c, await aliasIn(room, c))));
  return { text: normalise(stripMentions(raw, selfNames)), mentions, addressed };
}

/** The member's group card (room alias), which is what people see in that room; undefined when unset. */
export async function aliasIn(room: Room, contact: Contact): Promise<string | undefined> {
  try {
    return (await room.alias(contact)) || undefined;
  } catch {
    return undefined; // not (or no longer) a member: fall back to the contact name
  }
}

function user(contact: Contact, alias: string | undefined): ChatUser {
  const name = alias || contact.name();
  return name ? { id: contact.id, name } : { id: contact.id };
}

function mentionPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`@${escaped}(?:${MENTION_SEPARATOR}| |$)`, 'g');
}

function stripMentions(text: string, names: readonly string[]): string {
  return names.reduce((t, n) => t.replace(mentionPattern(n), ''), text);
}

function normalise(text: string): string {
  return text.replaceAll(MENTION_SEPARATOR, ' ').trim();
}
