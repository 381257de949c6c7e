/**
 * Errors shared by every Store implementation, with stable codes so that callers (and the
 * contract suite) can tell a bad value from a missing record from a broken database,
 * whichever back end is in use.
 */

export type StoreErrorCode =
  /** A value of the wrong type, outside its enum, or text a back end cannot store faithfully. */
  | 'STORE_INVALID_VALUE'
  /** A write names a ticket or person that does not exist (event, message link, identity). */
  | 'STORE_MISSING_REFERENCE'
  /** The database was written by a newer GroupDesk whose schema this version does not know. */
  | 'STORE_SCHEMA_TOO_NEW'
  /** The database cannot be reached right now (MongoDB down, SQLite file locked too long): retry later. */
  | 'STORE_UNAVAILABLE'
  /** The store was used after close(). */
  | 'STORE_CLOSED';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function invalidValue(field: string, expected: string, value: unknown): StoreError {
  return new StoreError('STORE_INVALID_VALUE', `${field}: expected ${expected}, got ${describe(value)}`);
}

/** Short, bounded description of a bad value for error messages (never the whole 1 MB text). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} chars` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return typeof value;
}
