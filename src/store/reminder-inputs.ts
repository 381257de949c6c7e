/**
 * Checks of the SLA reminder ledger's inputs, shared by both stores (like ticket-inputs.ts),
 * so that SQLite and MongoDB accept and refuse exactly the same batches, limits and texts.
 */

import { graphemePrefix } from '../core/graphemes';
import { invalidValue } from './errors';
import { integer, text } from './values';

/** Longest error text kept on a row (a stack trace is not needed to see what went wrong). */
export const MAX_ERROR_CHARS = 500;
/** Most rows one ledger call may name or return. */
export const MAX_BATCH = 10_000;
export const RESULTS = ['sent', 'skipped', 'cancelled', 'failed', 'deferred'] as const;

/** The list itself, refused when it is not one or holds more than MAX_BATCH items. */
export function batch<T>(items: readonly T[], field: string): readonly T[] {
  if (!Array.isArray(items)) throw invalidValue(field, 'a list', items);
  if (items.length > MAX_BATCH) throw invalidValue(field, `at most ${MAX_BATCH} items`, items.length);
  return items;
}

/** A list limit: an integer, clamped to 1…MAX_BATCH. */
export function clampLimit(limit: number): number {
  return Math.min(MAX_BATCH, Math.max(1, Math.floor(integer(limit, 'limit'))));
}

/** An outcome's error, cut to MAX_ERROR_CHARS. */
export function errorText(error: unknown): string {
  return graphemePrefix(text(error, 'outcome.error'), MAX_ERROR_CHARS);
}

/** The recipients an attempt reached, each a checked string. */
export function recipients(list: unknown): string[] {
  if (!Array.isArray(list)) throw invalidValue('outcome.delivered', 'a list of recipient keys', list);
  return list.map((r) => text(r, 'outcome.delivered'));
}
