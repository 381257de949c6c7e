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
 * refuses the second, which then finds the document and updates it on a retry. A batch of
 * upserts can meet another writer's new key at each of its rows, so it may take up to
 * `attempts` tries; each refused one means a row now exists, so the retries make progress.
 */
export async function retryOnDuplicate<T>(write: () => Promise<T>, attempts = 2): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= attempts) throw error;
    }
  }
}

/**
 * The most update statements sent in one command. FerretDB 1.24 (SQLite backend) stops
 * answering, for good, once one `update` command has matched about 100 documents through
 * separate statements (300 statements hung it; 90 did not; one updateMany of 300 does
 * not), so batches are cut well below that. MongoDB takes any size; this costs it one
 * round trip per 50 statements.
 */
export const UPDATES_PER_COMMAND = 50;

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
