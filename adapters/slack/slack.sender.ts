import type { Logger } from '@slack/bolt';
import { PlatformBusyError } from '../../src/core/errors';
import { RateLimiter } from '../rate-limit';

/** How sends are paced. */
export interface SenderTiming {
  /** Minimum gap between two posts to one channel (Slack allows about one per second). */
  readonly perChannelMs: number;
  /** Milliseconds per second of `Retry-After`; 1000 in production, shrunk by tests. */
  readonly retryAfterUnitMs: number;
  /** How many times one post is retried after a 429 before the send fails. */
  readonly maxRateLimitRetries: number;
}

/**
 * Queues every outgoing post per channel and retries it after a 429 for as long as the
 * `Retry-After` header says. The Web API client is built with `rejectRateLimitedCalls`,
 * so that the wait happens here, where its timer is owned and cancelled by `stop()`,
 * instead of inside the client (which pauses every call of the whole client meanwhile).
 */
export class SlackSender {
  private readonly limiter: RateLimiter;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private stopped = false;

  constructor(
    private readonly timing: SenderTiming,
    private readonly logger: Logger,
  ) {
    this.limiter = new RateLimiter({ perKeyMs: timing.perChannelMs });
  }

  /** Runs `call` in `channel`'s queue, retrying it after rate-limit answers. */
  run<T>(channel: string, what: string, call: () => Promise<T>): Promise<T> {
    return this.limiter.run(channel, () => this.withRetryAfter(what, call));
  }

  /** Cancels queued posts and pending `Retry-After` waits: they reject. */
  stop(): void {
    this.stopped = true;
    this.limiter.stop();
    for (const [timer, cancel] of this.timers) {
      clearTimeout(timer);
      cancel();
    }
    this.timers.clear();
  }

  private async withRetryAfter<T>(what: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const seconds = retryAfterOf(error);
        if (seconds === undefined) throw error;
        // Out of retries here: the outbox retries it later, not before Slack said.
        if (attempt >= this.timing.maxRateLimitRetries)
          throw new PlatformBusyError(`${what} rate limited`, seconds * this.timing.retryAfterUnitMs, {
            cause: error,
          });
        this.logger.warn(`${what} rate limited; retrying in ${seconds}s (attempt ${attempt + 1})`);
        await this.sleep(seconds * this.timing.retryAfterUnitMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('Slack sender stopped'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, () => reject(new Error('Slack sender stopped')));
    });
  }
}

/**
 * Seconds to wait when `error` is a rate-limit answer: the Web API client's
 * `slack_webapi_rate_limited_error` (from `Retry-After`), or Bolt's `RespondError` with
 * status 429 for `response_url` posts (no header exposed: wait one second).
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; retryAfter?: unknown; statusCode?: unknown };
  if (e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number') {
    return Math.max(0, e.retryAfter);
  }
  if (e.code === 'slack_bolt_respond_error' && e.statusCode === 429) return 1;
  return undefined;
}
