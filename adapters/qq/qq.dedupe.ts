import { createHash } from 'node:crypto';

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

/**
 * Which bot account first delivered each group message (keyed by the mapper's `copyKey`),
 * so that when two of the desk's accounts sit in one group the message is handled once,
 * by whichever account reported it first; that account also answers it. Bounded like
 * RecentKeys. Keys are hashed: they hold whole message texts.
 */
export class FirstAccount {
  private readonly owners = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  /**
   * True when `account` should deliver the message: nobody has yet, or it did itself (the
   * same client gave it another id, so it is a second message that merely looks the same).
   */
  claim(copyKey: string, account: string): boolean {
    const key = createHash('sha256').update(copyKey).digest('base64');
    const owner = this.owners.get(key);
    if (owner !== undefined) return owner === account;
    this.owners.set(key, account);
    if (this.owners.size > this.capacity) {
      const oldest = this.owners.keys().next().value;
      if (oldest !== undefined) this.owners.delete(oldest);
    }
    return true;
  }
}
