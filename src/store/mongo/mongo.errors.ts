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

/** Socket-level failures, whichever driver error (or none) wraps them: the server went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const NETWORK_TEXT =
  /\b(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b|socket has been ended/;

/**
 * True when `error` (or what it wraps) means that no server answered. A killed server shows
 * up as a plain Node socket error from a pooled connection ("This socket has been ended by
 * the other party", EPIPE) or inside a MongoBulkWriteError, not only as a MongoNetworkError.
 */
function unavailable(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { name, code, message, cause } = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (typeof name === 'string' && UNAVAILABLE.has(name)) return true;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (typeof message === 'string' && NETWORK_TEXT.test(message)) return true;
  return unavailable(cause, depth + 1);
}

/** Schema validation refusals (the shared checks should have caught these first). */
const INVALID = new Set(['ValidationError', 'CastError', 'StrictModeError', 'ValidatorError']);

/** MongoDB's duplicate-key error (a unique index refused the write). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 11000;
}

export function toStoreError(error: unknown): unknown {
  if (error instanceof StoreError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (unavailable(error)) {
    return new StoreError('STORE_UNAVAILABLE', `MongoDB is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof name === 'string' && INVALID.has(name)) {
    return new StoreError('STORE_INVALID_VALUE', (error as Error).message, { cause: error });
  }
  return error;
}
