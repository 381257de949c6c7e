/**
 * Spaces out work per key (a channel, a room) and globally: each task starts no sooner
 * than `perKeyMs` after the previous one for the same key and `globalMs` after the
 * previous one overall. Tasks for one key run in order. Chat platforms punish bursts
 * (Slack ~1 msg/s per channel, WeChat bans bursty accounts), so adapters queue sends here.
 */
export class RateLimiter {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastStart = new Map<string, number>();
  private globalTail: Promise<unknown> = Promise.resolve();
  private lastGlobal = Number.NEGATIVE_INFINITY;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: { perKeyMs: number; globalMs?: number; now?: () => number }) {}

  /** Queues `task` for `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous
      .catch(() => undefined)
      .then(() => this.waitTurn(key))
      .then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Cancels pending waits; queued tasks reject. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private async waitTurn(key: string): Promise<void> {
    const keyReady = (this.lastStart.get(key) ?? Number.NEGATIVE_INFINITY) + this.options.perKeyMs;
    await this.sleepUntil(keyReady);
    // The global gate is a chain of its own so that different keys also queue fairly.
    const gate = this.globalTail.then(async () => {
      await this.sleepUntil(this.lastGlobal + (this.options.globalMs ?? 0));
      this.lastGlobal = this.now();
    });
    this.globalTail = gate.catch(() => undefined);
    await gate;
    this.lastStart.set(key, this.now());
  }

  /** Node timers run on the event loop's cached clock and can fire a little early: sleep again until `at`. */
  private async sleepUntil(at: number): Promise<void> {
    for (let ms = at - this.now(); ms > 0; ms = at - this.now()) {
      if (this.stopped) throw new Error('rate limiter stopped');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, Math.ceil(ms));
        this.timers.add(timer);
      });
    }
    if (this.stopped) throw new Error('rate limiter stopped');
  }
}
