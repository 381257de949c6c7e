/**
 * Remembers the most recent keys (e.g. `selfId:messageId`) so that one event delivered twice
 * (two OneBot sockets for one account, a client replaying after reconnecting) is handled
 * once. Bounded: the oldest key is forgotten first. The router's store-backed de-duplication
 * remains the authority across restarts; this only keeps repeats off the host.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  /** True the first time a key is seen (and remembers it); false for a repeat. */
  firstSighting(key: string): boolean {
    if (this.keys.has(key)) {
      // Refresh recency: a key that keeps coming back should not be evicted first.
      this.keys.delete(key);
      this.keys.add(key);
      return false;
    }
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
