/**
 * A small in-memory map that forgets entries after `ttlMs` and keeps at most `max`
 * (oldest first out). Expiry is lazy (checked on access and on insert): no timers to own.
 * Used to drop Slack redeliveries quickly and to remember recent interactions; the router
 * de-duplicates persistently behind it.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly options: { max: number; ttlMs: number; now?: () => number }) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key); // re-insert so that Map order stays oldest-first
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
    this.prune();
  }

  /** Records `key`; false when it was already there (a duplicate). */
  addIfAbsent(key: string, value: V): boolean {
    if (this.get(key) !== undefined) return false;
    this.set(key, value);
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.max && entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
