/**
 * Driver and mongoose errors → the store's error vocabulary (../errors.ts), so that the
 * core can answer "temporarily unavailable" without knowing MongoDB.
 */
import { StoreError } from '../errors';

/** Errors that mean "no usable server right now" (the bot should say so and retry later). */
const UNAVAILABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** Schema validation refusals (the shared checks should have caught these first). */
const INVALID = new Set(['ValidationError', 'CastError', 'StrictModeError', 'ValidatorError']);

/** MongoDB's duplicate-key error (a unique index refused the write). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}

export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && UNAVAILABLE.has(name)) {
    return new StoreError('STORE_UNAVAILABLE', `MongoDB is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof name === 'string' && INVALID.has(name)) {
    return new StoreError('STORE_INVALID_VALUE', (error as Error).message, { cause: error });
  }
  return error;
}
