import type { OutboundMessage } from '../../src/core/chat';
import { splitText } from '../text';
import { buildSegments } from './onebot.message';

const QQ_ID = /^\d{1,20}$/;

/** OneBot expects int64 ids; JSON numbers are exact up to 2^53, beyond that a string is safer. */
function wireId(id: string): number | string {
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

/** The OneBot actions that deliver one outbound message. */
export interface SendPlan {
  readonly action: 'send_group_msg' | 'send_private_msg';
  /** The destination, for the per-chat rate limit and log lines. */
  readonly target: string;
  /** Full action params for each part, in sending order (long text becomes several parts). */
  readonly parts: readonly Record<string, unknown>[];
}

/**
 * Turns a normalised outbound message into OneBot actions. Group messages go to
 * `send_group_msg`; direct messages and `visibleTo` replies (QQ has no ephemeral messages)
 * to `send_private_msg`. Only the first part carries the quote and the @mentions.
 * Throws when an id is not a QQ number, since the client would refuse it anyway.
 */
export function planSend(message: OutboundMessage, maxChunkLength: number): SendPlan {
  const privately = message.visibleTo !== undefined || message.chatKind === 'direct';
  const target = message.visibleTo ?? message.chatId;
  if (!QQ_ID.test(target) || !QQ_ID.test(message.chatId)) {
    throw new Error(`QQ ids are numeric; cannot send to ${JSON.stringify(target)}`);
  }
  const base: Record<string, unknown> = privately
    ? { user_id: wireId(target) }
    : { group_id: wireId(target) };
  // A DM standing in for an ephemeral group reply: the group lets clients open a temporary session.
  if (message.visibleTo !== undefined && message.chatKind === 'group') base.group_id = wireId(message.chatId);

  // `at` segments only exist in groups; elsewhere (and for non-QQ ids) a mention is plain text.
  const mentions = message.mentions ?? [];
  const atIds = privately ? [] : mentions.filter((m) => QQ_ID.test(m.id)).map((m) => m.id);
  const named = mentions.filter((m) => !atIds.includes(m.id)).map((m) => `@${m.name ?? m.id} `);
  // QQ has no buttons: each becomes a line naming the command to type.
  const buttons = (message.buttons ?? []).map((b) =>
    b.label === b.command ? b.command : `${b.label}: ${b.command}`,
  );
  const body = named.join('') + message.text;
  const text = buttons.length > 0 ? `${body}\n\n${buttons.join('\n')}` : body;
  // A quote only makes sense in the chat the quoted message lives in.
  const reply = message.visibleTo === undefined ? message.replyToMessageId : undefined;

  const parts = splitText(text, maxChunkLength).map((chunk, i) => ({
    ...base,
    message: buildSegments(
      i === 0
        ? { text: chunk, mentionIds: atIds, ...(reply === undefined ? {} : { replyToMessageId: reply }) }
        : { text: chunk },
    ),
  }));
  return { action: privately ? 'send_private_msg' : 'send_group_msg', target, parts };
}
