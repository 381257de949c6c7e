/**
 * Slack signs `v0:<timestamp>:<body>` so that a captured request cannot be replayed later;
 * Bolt's check (verify-request.js) refuses a timestamp more than five minutes in the past
 * but accepts any in the future, so a request signed "for later" (a leaked signature, a
 * skewed signer) would be good until then. This refuses the future side the same way:
 * 401, no body, before Bolt reads the request.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Slack's window, both ways. */
export const MAX_SKEW_SECONDS = 5 * 60;

/** True when the request's `x-slack-request-timestamp` lies more than the window ahead of `nowMs`. */
export function fromTheFuture(req: IncomingMessage, nowMs: number): boolean {
  const header = req.headers['x-slack-request-timestamp'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  // A missing or malformed header is Bolt's to refuse (it checks the type and the signature).
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + MAX_SKEW_SECONDS;
}

/** `listener`, refusing requests from the future first. */
export function refuseFutureTimestamps(
  listener: RequestListener,
  onRefused: (req: IncomingMessage) => void,
  now: () => number = Date.now,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (fromTheFuture(req, now())) {
      onRefused(req);
      res.writeHead(401);
      res.end();
      return;
    }
    listener(req, res);
  };
}
