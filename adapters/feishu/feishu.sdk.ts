import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import { joinArgs, type Logger } from '../kit/logger';
import { FeishuApiError } from './feishu.sender';

/** What the adapter needs around the SDK's calls: request ids, answer checks, its logger. */

/**
 * The `uuid` of one post of a message: Feishu sends at most one message per uuid within an
 * hour, so a retry after an answer that was lost does not post twice. At most 50
 * characters: a longer key is hashed.
 */
export function requestUuid(key: string | undefined, index: number): string | undefined {
  if (key === undefined) return undefined;
  const base = key.length <= 44 ? key : createHash('sha256').update(key).digest('hex').slice(0, 44);
  return `${base}-${index}`;
}

/** A send Feishu answered with a non-zero code (HTTP 200 with an error in the body). */
export function checked<T extends { code?: number | undefined; msg?: string | undefined }>(res: T): T {
  if (res.code !== undefined && res.code !== 0) throw new FeishuApiError(res.code, res.msg ?? '');
  return res;
}

/**
 * The SDK's logger, onto ours. The SDK logs a failed request with its `config.data`, i.e.
 * the message being sent: only the error's message and status are kept.
 */
export function sdkLogger(target: Logger): lark.Logger {
  const flatten = (args: unknown[]) =>
    joinArgs(
      args
        .flatMap((a) => (Array.isArray(a) ? a : [a]))
        .map((a) => {
          if (typeof a !== 'object' || a === null || a instanceof Error) return a;
          const { message, response, code, msg } = a as Record<string, unknown>;
          const status = (response as { status?: unknown } | undefined)?.status;
          return [message, status, code, msg].filter((v) => v !== undefined).join(' ');
        }),
    );
  return {
    error: (...args) => target.error(`[feishu-sdk] ${flatten(args)}`),
    warn: (...args) => target.warn(`[feishu-sdk] ${flatten(args)}`),
    info: (...args) => target.info(`[feishu-sdk] ${flatten(args)}`),
    debug: () => undefined,
    trace: () => undefined,
  };
}
