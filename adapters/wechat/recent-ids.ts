/**
 * Remembers the most recent ids (least recently seen evicted first) so that a message a
 * puppet delivers twice — reconnects and history syncs do that — reaches the router once.
 * Bounded, so a long-running bot does not grow without limit; the router's persisted
 * de-duplication covers replays older than this window.
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  /** True the first time `id` is seen (and remembers it); false for a repeat. */
  firstSeen(id: string): boolean {
    const seen = this.ids.delete(id); // re-inserted below: a Set keeps insertion order
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return !seen;
  }
}
