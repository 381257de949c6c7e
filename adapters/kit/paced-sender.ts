import { PlatformBusyError, PlatformRefusedError } from '../../src/core/errors';
import { RateLimiter } from '../rate-limit';

/** How a PacedSender spaces and retries sends. */
export interface PacedTiming {
  /** Minimum gap between two sends to one key (a channel, a chat). */
  readonly perKeyMs: number;
  /** Milliseconds per second the platform says to wait; 1000 in production, shrunk by tests. */
  readonly retryUnitMs: number;
  /** How many times one send is retried after a rate-limit answer before it fails. */
  readonly maxRetries: number;
}

/**
 * Seconds to wait before retrying when `error` is the platform's rate-limit answer;
 * undefined for any other error (which then fails the send at once).
 */
export type RateLimitWait = (error: unknown) => number | undefined;

/** Why `error` means the send can never succeed (the chat is gone, the bot removed); undefined otherwise. */
export type RefusalReason = (error: unknown) => string | undefined;

/**
 * Queues every send per key and retries it after a rate-limit answer for as long as the
 * platform says (Slack's `Retry-After`, Feishu's `x-ogw-ratelimit-reset`). The waits are
 * timers owned here and cancelled by `stop()`, instead of inside an SDK's client, where
 * they would pause every call of the whole client meanwhile.
 */
export class PacedSender {
  private readonly limiter: RateLimiter;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(
    private readonly timing: PacedTiming,
    private readonly waitOf: RateLimitWait,
    private readonly logger: { warn(message: string): void },
    /** For the error a cancelled send rejects with, e.g. `Slack sender`. */
    private readonly name: string,
    private readonly refusalOf: RefusalReason = () => undefined,
  ) {
    this.limiter = new RateLimiter({ perKeyMs: timing.perKeyMs });
  }

  /** Runs `call` in `key`'s queue, retrying it after rate-limit answers. */
  run<T>(key: string, what: string, call: () => Promise<T>): Promise<T> {
    return this.limiter.run(key, () => this.withRetries(what, call));
  }

  /** Cancels queued sends and pending waits: they reject. */
  stop(): void {
    this.stopped = true;
    this.limiter.stop();
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }

  private async withRetries<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const seconds = this.waitOf(error);
        if (seconds === undefined) {
          const refused = this.refusalOf(error);
          // Marked, so that the outbox gives it up now instead of retrying for a day.
          if (refused !== undefined) throw new PlatformRefusedError(`${what}: ${refused}`, { cause: error });
          throw error;
        }
        // Out of retries here: the outbox retries it later, not before the platform said.
        if (attempt >= this.timing.maxRetries)
          throw new PlatformBusyError(`${what} rate limited`, seconds * this.timing.retryUnitMs, {
            cause: error,
          });
        this.logger.warn(`${what} rate limited; retrying in ${seconds}s (attempt ${attempt + 1})`);
        await this.sleep(seconds * this.timing.retryUnitMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`${this.name} stopped`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, () => reject(new Error(`${this.name} stopped`)));
    });
  }
}
