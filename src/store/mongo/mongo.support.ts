/** Small helpers shared by the MongoDB store's files. */
import type { ClientSession } from 'mongoose';
import { StoreError } from '../errors';
import { isDuplicateKey } from './mongo.errors';

/** Runs `fn` in a transaction where the deployment has them; otherwise plainly, in order. */
export type Atomically = <T>(fn: (session: ClientSession | undefined) => Promise<T>) => Promise<T>;

/** `{ session }` inside a transaction, nothing outside one. */
export function inSession(session: ClientSession | undefined): { session?: ClientSession } {
  return session === undefined ? {} : { session };
}

export function mapOne<D, T>(doc: D | null, toRecord: (doc: D) => T): T | undefined {
  return doc === null ? undefined : toRecord(doc);
}

export function missing(parent: 'ticket' | 'person'): StoreError {
  return new StoreError('STORE_MISSING_REFERENCE', `no such ${parent}`);
}

/**
 * Two concurrent upserts of the same key can both miss and both insert; the unique index
 * refuses the second, which then finds the document and updates it on a retry.
 */
export async function retryOnDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) return write();
    throw error;
  }
}
