import { LRUCache } from 'lru-cache';

/** How a hit affects eviction: `lru` moves the key to the back, `insertion` leaves it where it was written. */
export type EvictionOrder = 'lru' | 'insertion';

export interface RecentCacheOptions {
  /** At most this many entries; the first in eviction order goes when one more is written. */
  readonly max: number;
  /** Entries are forgotten once older than this (ms since last written); absent: never by age. */
  readonly ttlMs?: number;
  /** Default `lru`. `insertion` suits caches whose entries all live as long (first written, first out). */
  readonly order?: EvictionOrder;
  /** Milliseconds clock for the TTL; `Date.now` when absent (tests inject their own). */
  readonly now?: () => number;
}

/**
 * The adapters' one bounded memory of recent things: platform event ids already delivered
 * (redeliveries, replays after a resume, a second socket for one account), thread roots,
 * pending interactions. Bounded by `max`, optionally by age; expiry is lazy (checked on
 * access), so there is no timer to own. The router's store-backed de-duplication stays the
 * authority across restarts; this only keeps repeats off the host.
 *
 * Built on lru-cache (https://github.com/isaacs/node-lru-cache): a linked-list LRU with TTL,
 * `max` and an injectable clock (`perf`), so we stop keeping four hand-rolled Maps.
 */
export class RecentCache<V extends NonNullable<unknown> = true> {
  private readonly cache: LRUCache<string, V>;
  private readonly refreshOnHit: boolean;

  constructor(options: RecentCacheOptions) {
    if (!Number.isInteger(options.max) || options.max < 1) {
      throw new RangeError('max must be a whole number of at least 1');
    }
    const now = options.now ?? Date.now;
    // lru-cache takes a start time of 0 to mean "no TTL" and an entry is stale once its age
    // is *more* than the ttl; counting from 1 at construction keeps every start non-zero.
    const origin = now();
    this.refreshOnHit = (options.order ?? 'lru') === 'lru';
    this.cache = new LRUCache<string, V>({
      max: options.max,
      ...(options.ttlMs !== undefined
        ? {
            ttl: options.ttlMs,
            // 0: read the clock on every check instead of caching it behind a timer.
            ttlResolution: 0,
            perf: { now: () => now() - origin + 1 },
          }
        : {}),
    });
  }

  /** The entry, unless absent or expired; in `lru` order a hit makes it the most recent. */
  get(key: string): V | undefined {
    return this.refreshOnHit ? this.cache.get(key) : this.cache.peek(key);
  }

  /** Writes (or rewrites) the entry: it becomes the most recent and its age starts again. */
  set(key: string, value: V): void {
    this.cache.set(key, value);
  }

  /** True the first time `key` is seen (and remembers it with `value`); false while it is remembered. */
  firstTime(key: string, value: V): boolean {
    if (this.get(key) !== undefined) return false;
    this.set(key, value);
    return true;
  }

  /** Forgets the entry; true if it was there. */
  delete(key: string): boolean {
    return this.cache.delete(key);
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.cache.size;
  }
}
