/**
 * The outbox's inputs, checked the same way for both stores (../values.ts), and the row
 * read back from either: what one store accepts and returns, the other does too.
 */
import { randomBytes } from 'node:crypto';
import { PLATFORMS } from '../core/chat';
import {
  type AfterSent,
  type NewOutbound,
  OUTBOX_STATES,
  type Outbound,
  type OutboundOutcome,
  type OutboxQuery,
  type OutboxState,
  outboxChat,
} from '../core/ports';
import { invalidValue } from './errors';
import { batch, errorText } from './reminder-inputs';
import { integer, oneOf, optionalText, text } from './values';

/** A new row's stored fields, before its seq is allocated. */
export interface OutboundInsert {
  readonly id: string;
  readonly chat: string;
  readonly message: string;
  readonly after: string | null;
  readonly idempotencyId: string;
  readonly expiresAt: number;
  readonly createdAt: number;
}

/**
 * 16 URL-safe characters (96 random bits): short enough for Discord's 25-character `nonce`,
 * unique enough that two processes never make the same one.
 */
export function newOutboundId(): string {
  return randomBytes(12).toString('base64url');
}

export function checkNewOutbound(entries: readonly NewOutbound[], now: number): OutboundInsert[] {
  const at = integer(now, 'now');
  return batch(entries, 'outbound').map((entry) => {
    const message = entry?.message;
    if (typeof message !== 'object' || message === null)
      throw invalidValue('outbound.message', 'a message', message);
    oneOf(message.platform, PLATFORMS, 'outbound.message.platform');
    text(message.chatId, 'outbound.message.chatId');
    optionalText(message.account, 'outbound.message.account');
    text(message.text, 'outbound.message.text');
    const id = newOutboundId();
    return {
      id,
      chat: outboxChat(message),
      message: JSON.stringify(message),
      after: entry.after === undefined ? null : JSON.stringify(checkAfter(entry.after)),
      idempotencyId: id,
      expiresAt: integer(entry.expiresAt, 'outbound.expiresAt'),
      createdAt: at,
    };
  });
}

function checkAfter(after: AfterSent): AfterSent {
  const kind = oneOf(after?.kind, ['ticket-thread', 'staff-reply'] as const, 'outbound.after.kind');
  const ticketNumber = integer(after.ticketNumber, 'outbound.after.ticketNumber');
  if (kind === 'ticket-thread') return { kind, ticketNumber };
  const engineerId = text((after as { engineerId?: unknown }).engineerId, 'outbound.after.engineerId');
  const repliedAt = (after as { repliedAt?: unknown }).repliedAt;
  if (repliedAt === undefined) return { kind, ticketNumber, engineerId };
  return { kind, ticketNumber, engineerId, repliedAt: integer(repliedAt, 'outbound.after.repliedAt') };
}

/** The outcome's fields as stored; `error` cut to the ledger's length. */
export function checkOutcome(outcome: OutboundOutcome): {
  state: OutboxState;
  at: number;
  nextAt: number | null;
  error: string | null;
  messageId: string | null;
} {
  const result = oneOf(outcome?.result, ['sent', 'retry', 'failed'] as const, 'outcome.result');
  const at = integer(outcome.at, 'outcome.at');
  if (result === 'sent') {
    const messageId = outcome.result === 'sent' ? optionalText(outcome.messageId, 'outcome.messageId') : null;
    return { state: 'sent', at, nextAt: null, error: null, messageId };
  }
  const error = errorText((outcome as { error: unknown }).error);
  if (outcome.result === 'retry')
    return { state: 'queued', at, nextAt: integer(outcome.nextAt, 'outcome.nextAt'), error, messageId: null };
  return { state: 'failed', at, nextAt: null, error, messageId: null };
}

export function checkOutboxQuery(query: OutboxQuery): {
  states: OutboxState[];
  chat: string | null;
  limit: number;
  newestFirst: boolean;
} {
  const states = (query.states ?? OUTBOX_STATES).map((s) => oneOf(s, OUTBOX_STATES, 'query.states'));
  const limit =
    query.limit === undefined ? 100 : Math.min(500, Math.max(1, Math.floor(integer(query.limit, 'limit'))));
  return {
    states,
    chat: optionalText(query.chat, 'query.chat'),
    limit,
    newestFirst: query.newestFirst === true,
  };
}

/** A stored row, whichever store read it (absent optional fields as null or undefined). */
export interface StoredOutbound {
  id: string;
  chat: string;
  seq: number;
  message: string;
  after?: string | null | undefined;
  state: string;
  attempts: number;
  nextAt: number;
  owner?: string | null | undefined;
  leaseUntil?: number | null | undefined;
  lastError?: string | null | undefined;
  idempotencyId: string;
  sentAt?: number | null | undefined;
  sentMessageId?: string | null | undefined;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
}

export function readOutbound(row: StoredOutbound): Outbound {
  const present = <K extends string, V>(key: K, value: V | null | undefined) =>
    value === null || value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
  return {
    id: row.id,
    chat: row.chat,
    seq: row.seq,
    message: JSON.parse(row.message),
    ...present(
      'after',
      row.after === null || row.after === undefined ? null : (JSON.parse(row.after) as AfterSent),
    ),
    state: oneOf(row.state, OUTBOX_STATES, 'outbound.state'),
    attempts: row.attempts,
    nextAt: row.nextAt,
    ...present('owner', row.owner),
    ...present('leaseUntil', row.leaseUntil),
    ...present('lastError', row.lastError),
    idempotencyId: row.idempotencyId,
    ...present('sentAt', row.sentAt),
    ...present('sentMessageId', row.sentMessageId),
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
