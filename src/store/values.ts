/**
 * Checks every value before it reaches a database. Both stores use them, so both accept
 * and refuse exactly the same inputs:
 * - libsql aborts the whole process (a Rust panic, not an exception) when asked to bind a
 *   boolean or a plain object, so only strings and safe integers ever get through;
 * - SQLite text reads stop at U+0000 (the rest of the text is silently lost), so text with
 *   a NUL character is refused rather than truncated;
 * - MongoDB would read an object such as `{ $ne: null }` as a query operator, so a value
 *   that should be a string is never anything else.
 */
import { invalidValue } from './errors';

export function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidValue(field, 'a string', value);
  if (value.includes('\u0000')) throw invalidValue(field, 'text without U+0000', value);
  return value;
}

/** `undefined` and `null` both mean "absent". */
export function optionalText(value: unknown, field: string): string | null {
  return value === undefined || value === null ? null : text(value, field);
}

/** Times (ms since the epoch), counters and ticket numbers: all safe integers. */
export function integer(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw invalidValue(field, 'an integer', value);
  return value;
}

export function optionalInteger(value: unknown, field: string): number | null {
  return value === undefined || value === null ? null : integer(value, field);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidValue(field, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function flag(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalidValue(field, 'true or false', value);
  return value;
}

/** `queryTickets` limit: default 50, at most 500, at least 1. */
export function ticketLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}
