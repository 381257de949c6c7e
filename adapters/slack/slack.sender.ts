import type { Logger } from '@slack/bolt';
import { PacedSender } from '../kit/paced-sender';

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
 * `Retry-After` header says (adapters/kit/paced-sender.ts). The Web API client is built
 * with `rejectRateLimitedCalls`, so that the wait happens there, where its timer is owned
 * and cancelled by `stop()`, instead of inside the client.
 */
export class SlackSender extends PacedSender {
  constructor(timing: SenderTiming, logger: Logger) {
    super(
      {
        perKeyMs: timing.perChannelMs,
        retryUnitMs: timing.retryAfterUnitMs,
        maxRetries: timing.maxRateLimitRetries,
      },
      retryAfterOf,
      logger,
      'Slack sender',
      refusalOf,
    );
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

/**
 * Web API errors that no retry can fix: the channel is gone or archived, or the bot is not
 * (or no longer) in it. https://api.slack.com/methods/chat.postMessage#errors
 */
const REFUSED_FOR_GOOD = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'user_not_found',
  'user_not_in_channel',
  'cannot_dm_bot',
]);

/** The Web API's error code when it is one of REFUSED_FOR_GOOD. */
export function refusalOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; data?: { error?: unknown } };
  const reason = e.data?.error;
  return e.code === 'slack_webapi_platform_error' &&
    typeof reason === 'string' &&
    REFUSED_FOR_GOOD.has(reason)
    ? reason
    : undefined;
}
