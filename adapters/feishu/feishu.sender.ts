import type { Logger } from '../kit/logger';
import { PacedSender } from '../kit/paced-sender';

/** How sends are paced. */
export interface FeishuTiming {
  /**
   * Minimum gap between two sends to one chat. Feishu allows 5 per second per group,
   * shared by every bot in it, and 5 per second per user.
   */
  readonly perChatMs: number;
  /** Milliseconds per second of the reset header; 1000 in production, shrunk by tests. */
  readonly retryUnitMs: number;
  /** How many times one send is retried after a rate-limit answer before it fails. */
  readonly maxRetries: number;
}

/** Feishu's frequency-limit codes: the gateway's 99991400 and the message API's 230020. */
const RATE_LIMIT_CODES = new Set([99991400, 230020]);

/**
 * Queues every send per chat and retries it after a rate-limit answer (HTTP 429, or
 * code 99991400/230020) once the seconds in `x-ogw-ratelimit-reset` (or `Retry-After`)
 * have passed. See https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control.
 */
export function feishuSender(timing: FeishuTiming, logger: Logger): PacedSender {
  return new PacedSender(
    { perKeyMs: timing.perChatMs, retryUnitMs: timing.retryUnitMs, maxRetries: timing.maxRetries },
    rateLimitWait,
    logger,
    'Feishu sender',
  );
}

/**
 * Seconds to wait when `error` is a rate-limit answer from the SDK's HTTP client (an axios
 * error): the reset header when there is one, else one second. Undefined for anything else.
 */
export function rateLimitWait(error: unknown): number | undefined {
  if (error instanceof FeishuApiError) return RATE_LIMIT_CODES.has(error.code) ? 1 : undefined;
  const response = (error as { response?: { status?: unknown; headers?: unknown; data?: unknown } } | null)
    ?.response;
  if (response === undefined || response === null) return undefined;
  const code = (response.data as { code?: unknown } | undefined)?.code;
  if (response.status !== 429 && !(typeof code === 'number' && RATE_LIMIT_CODES.has(code))) return undefined;
  const headers = (response.headers ?? {}) as Record<string, unknown>;
  for (const name of ['x-ogw-ratelimit-reset', 'retry-after']) {
    const seconds = Number(headers[name]);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds, 60);
  }
  return 1;
}

/** A call Feishu answered with HTTP 200 but a non-zero `code` in the body. */
export class FeishuApiError extends Error {
  constructor(
    readonly code: number,
    msg: string,
  ) {
    super(`Feishu answered code ${code}: ${msg}`);
    this.name = 'FeishuApiError';
  }
}
