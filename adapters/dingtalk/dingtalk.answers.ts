/**
 * What a DingTalk answer to a send means. Read from DingTalk's documentation of its
 * frequency limits and robot errors (checked 2026-12):
 * - HTTP 429 and the new OpenAPI's `Throttling.*` codes: too fast, retry shortly.
 * - errcode 90002 (every app together called this API too often) and 90019 (one
 *   third-party app, for one organisation, over 40 calls a second): too fast, retry shortly.
 * - errcode 130101 ("send too fast, exceed 20 times per minute") from a robot's webhook: the
 *   robot is then throttled for 10 minutes on that route; the OpenAPI is another route.
 * - An IP over 10,000 calls in 20 seconds is blocked for 5 minutes with no errcode at all:
 *   a page or a body like `{"status":1111,"wait":5,"punish":"deny",…}` (`wait` in minutes),
 *   which earlier read as a success.
 * Not throttles, though once listed as such: 660026 (not a frequency code in DingTalk's
 * lists) and 90018 (not found in them). Unknown codes are failures the outbox retries.
 */
export type Answer =
  | { readonly kind: 'ok'; readonly body: Record<string, unknown> }
  /** Too fast: retry after `seconds`; `webhookPauseMs` when the robot's webhook route is shut for a while. */
  | { readonly kind: 'throttled'; readonly seconds: number; readonly webhookPauseMs?: number }
  /** Not posted, for a reason another route may not have (an expired webhook, a bad parameter). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** DingTalk's side failed (5xx): the outbox retries. */
  | { readonly kind: 'failed'; readonly reason: string };

const THROTTLED_ERRCODES: ReadonlySet<number> = new Set([90002, 90019]);
const WEBHOOK_THROTTLED = 130101;
const WEBHOOK_PAUSE_MS = 10 * 60_000;
const IP_BLOCK_MINUTES = 5;

/**
 * Reads one answer. `errcodeRequired`: the answer counts as sent only with `errcode: 0`
 * (the session webhook's success); the OpenAPI answers its own fields instead.
 */
export function readAnswer(
  status: number,
  retryAfter: string | null,
  text: string,
  errcodeRequired: boolean,
): Answer {
  const body = parse(text);
  const after = Number(retryAfter);
  const wait = Number.isFinite(after) && after > 0 ? after : 1;
  if (body === undefined ? /punish|deny/i.test(text) : body.status === 1111 || body.punish === 'deny') {
    const minutes = Number(body?.wait);
    return {
      kind: 'throttled',
      seconds: 60 * (Number.isFinite(minutes) && minutes > 0 ? minutes : IP_BLOCK_MINUTES),
    };
  }
  const json = body ?? {};
  const code = typeof json.code === 'string' ? json.code : '';
  const errcode = typeof json.errcode === 'number' ? json.errcode : undefined;
  if (errcode === WEBHOOK_THROTTLED)
    return { kind: 'throttled', seconds: wait, webhookPauseMs: WEBHOOK_PAUSE_MS };
  if (
    status === 429 ||
    code.startsWith('Throttling') ||
    (errcode !== undefined && THROTTLED_ERRCODES.has(errcode))
  )
    return { kind: 'throttled', seconds: wait };
  if (status >= 500) return { kind: 'failed', reason: `answered ${status}` };
  const said = String(json.errmsg ?? json.message ?? text.slice(0, 200));
  if (status < 200 || status >= 300 || (errcode !== undefined && errcode !== 0))
    return { kind: 'refused', reason: `answered ${status}: ${said}` };
  if (errcodeRequired && errcode !== 0)
    return { kind: 'refused', reason: `answered ${status} without errcode 0: ${said}` };
  return { kind: 'ok', body: json };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    // A proxy's or the IP block's HTML page.
    return undefined;
  }
}
