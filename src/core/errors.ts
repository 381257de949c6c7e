/**
 * One errors module with stable codes (after bolt-js `src/errors.ts`). A `UserError`
 * carries a locale key and becomes a polite localised reply; anything else is an
 * internal error: logged with its stack, and the user gets a short message with a
 * reference id.
 */

export enum ErrorCode {
  UserError = 'groupdesk_user_error',
  ConfigError = 'groupdesk_config_error',
  StoreUnavailable = 'groupdesk_store_unavailable',
  Conflict = 'groupdesk_conflict',
  PlatformBusy = 'groupdesk_platform_busy',
  PlatformRefused = 'groupdesk_platform_refused',
  Internal = 'groupdesk_internal_error',
}

export interface CodedError extends Error {
  readonly code: ErrorCode;
}

/** An expected refusal or mistake the speaker can fix; `key` is a locale key. */
export class UserError extends Error implements CodedError {
  readonly code = ErrorCode.UserError;
  constructor(
    readonly key: string,
    readonly params: Readonly<Record<string, string | number>> = {},
  ) {
    super(key);
    this.name = 'UserError';
  }
}

/** A value in `.env` or `config/` is wrong; the message names the key, the value and what was expected. */
export class ConfigError extends Error implements CodedError {
  readonly code = ErrorCode.ConfigError;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The store cannot be reached right now; the message is kept for a retry. */
export class StoreUnavailableError extends Error implements CodedError {
  readonly code = ErrorCode.StoreUnavailable;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/**
 * Whether an error means "the store cannot be reached right now": the core's
 * StoreUnavailableError, or a store's own error carrying the code `STORE_UNAVAILABLE`
 * (src/store/errors.ts; the core cannot import the store, so the code is the contract),
 * possibly as the `cause` of a wrapping error.
 */
export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof StoreUnavailableError) return true;
    if ((current as { code?: unknown }).code === 'STORE_UNAVAILABLE') return true;
    current = current.cause;
  }
  return false;
}

/** Someone else changed the record first and retries ran out. */
export class ConflictError extends Error implements CodedError {
  readonly code = ErrorCode.Conflict;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/**
 * A platform refused a send for now and said when to try again (Slack 429 `Retry-After`,
 * Discord 429 `retry_after`): adapters throw it, the outbox sender waits at least that long.
 */
export class PlatformBusyError extends Error implements CodedError {
  readonly code = ErrorCode.PlatformBusy;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlatformBusyError';
  }
}

/**
 * A platform refused a send for good: the chat is gone, archived, or the bot is no longer in
 * it (Slack `channel_not_found`, Discord 10003 Unknown Channel, …). Retrying cannot help, so
 * the outbox gives the message up at once, with the same visible notice as an expiry.
 */
export class PlatformRefusedError extends Error implements CodedError {
  readonly code = ErrorCode.PlatformRefused;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformRefusedError';
  }
}

/** True when a failed send (or one of its causes) is a PlatformRefusedError. */
export function refusedForGood(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if ((current as { code?: unknown }).code === ErrorCode.PlatformRefused) return true;
    current = current.cause;
  }
  return false;
}

/** The wait a failed send asked for (a PlatformBusyError, possibly as a `cause`), if any. */
export function retryAfterOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const ms = (current as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms;
    current = current.cause;
  }
  return undefined;
}

export function isCodedError(error: unknown): error is CodedError {
  return (
    error instanceof Error &&
    typeof (error as Partial<CodedError>).code === 'string' &&
    Object.values(ErrorCode).includes((error as CodedError).code)
  );
}

/** Wraps anything thrown into a CodedError without losing the original as `cause`. */
export function asCodedError(error: unknown): CodedError {
  if (isCodedError(error)) return error;
  const wrapped = new Error(error instanceof Error ? error.message : String(error), { cause: error });
  return Object.assign(wrapped, { code: ErrorCode.Internal });
}
