/** Options of a RateLimiter; `now` is for tests. */
export interface RateLimiterOptions {
  readonly perKeyMs: number;
  readonly globalMs?: number;
  /**
   * `start` (default): intervals run from the start of the previous task. `end`: from its
   * end, and a task holds the global turn while it runs — a slow send is then never followed
   * at once by the next one (what WeChat sees is what counts there).
   */
  readonly spacing?: 'start' | 'end';
  readonly now?: () => number;
}

/**
 * Spaces out work per key (a channel, a room) and globally: each task starts no sooner
 * than `perKeyMs` after the previous one for the same key and `globalMs` after the
 * previous one overall. Tasks for one key run in order. Chat platforms punish bursts
 * (Slack ~1 msg/s per channel, WeChat bans bursty accounts), so adapters queue sends here.
 */
export class RateLimiter {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** When each key's previous task started (ended, with `spacing: 'end'`). */
  private readonly lastTurn = new Map<string, number>();
  private globalTail: Promise<unknown> = Promise.resolve();
  private lastGlobal = Number.NEGATIVE_INFINITY;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly options: RateLimiterOptions) {}

  /** Queues `task` for `key`; resolves or rejects with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(() => this.inTurn(key, task));
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

  private async inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    const fromEnd = this.options.spacing === 'end';
    const keyReady = (this.lastTurn.get(key) ?? Number.NEGATIVE_INFINITY) + this.options.perKeyMs;
    await this.sleepUntil(keyReady);
    let release = () => {};
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The global gate is a chain of its own so that different keys also queue fairly.
    const gate = this.globalTail.then(async () => {
      await this.sleepUntil(this.lastGlobal + (this.options.globalMs ?? 0));
      this.lastGlobal = this.now();
    });
    this.globalTail = (fromEnd ? gate.then(() => done) : gate).catch(() => undefined);
    try {
      await gate;
      this.lastTurn.set(key, this.now());
      return await task();
    } finally {
      if (fromEnd) {
        const end = this.now();
        this.lastTurn.set(key, end);
        this.lastGlobal = Math.max(this.lastGlobal, end);
      }
      release();
    }
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
