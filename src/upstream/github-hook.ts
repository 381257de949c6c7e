/**
 * POST /hooks/github: GitHub's webhook deliveries, on the bot's own web server.
 * A delivery is taken only when its `X-Hub-Signature-256` (HMAC-SHA256 of the exact bytes,
 * checked in constant time by @octokit/webhooks-methods) matches GROUPDESK_GITHUB_WEBHOOK_SECRET,
 * once per `X-GitHub-Delivery` (claimed as an inbound key in the store: unique across
 * instances, FerretDB included; a replay is refused with 409), and its body is at most
 * BODY_LIMIT bytes of JSON. GitHub sends no timestamp header, so staleness cannot be judged
 * from the delivery itself; the delivery id is what stops a replay. What a delivery does:
 * actOnGithubEvent (202 when a linked ticket was told, 204 when none links the issue).
 * See https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
import { verify } from '@octokit/webhooks-methods';
import type { FastifyInstance } from 'fastify';
import type { DeskServices } from '../desk/types';
import { UpstreamUpdates } from '../desk/upstream-updates';
import { githubChanges } from './github-events';

/** GitHub caps payloads at 25 MB; the events used here (issues, release) are far smaller. */
export const HOOK_BODY_LIMIT = 1024 * 1024;
export const HOOK_PATH = '/hooks/github';

/** What a verified, first-time delivery is handed to; resolves to how many tickets were told. */
export type GithubEventHandler = (event: string, payload: unknown, desk: DeskServices) => Promise<number>;

/** Closed / reopened issues and published releases, told to each ticket that links the issue. */
export const actOnGithubEvent: GithubEventHandler = async (event, payload, desk) => {
  if (desk.upstreamLinks === undefined) return 0;
  const updates = new UpstreamUpdates(desk, desk.upstreamLinks);
  let told = 0;
  for (const change of githubChanges(event, payload, desk.clock.now())) told += await updates.apply(change);
  return told;
};

const json = (status: number, body: object | undefined) => ({ status, body });

export function registerGithubHook(
  app: FastifyInstance,
  desk: () => DeskServices,
  handle: GithubEventHandler = actOnGithubEvent,
): void {
  void app.register(async (scope) => {
    // The signature is over the raw bytes: keep them, parse only after it is checked.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(HOOK_PATH, { bodyLimit: HOOK_BODY_LIMIT }, async (req, reply) => {
      const services = desk();
      const secret = services.upstream?.webhookSecret;
      const answer = await (async () => {
        if (secret === undefined) return json(404, { error: 'not_configured' });
        const signature = req.headers['x-hub-signature-256'];
        const delivery = req.headers['x-github-delivery'];
        const event = req.headers['x-github-event'];
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        if (typeof signature !== 'string' || !/^sha256=[0-9a-f]{64}$/.test(signature))
          return json(401, { error: 'bad_signature' });
        if (!(await verify(secret, raw.toString('utf8'), signature)))
          return json(401, { error: 'bad_signature' });
        if (
          typeof delivery !== 'string' ||
          !/^[A-Za-z0-9-]{1,100}$/.test(delivery) ||
          typeof event !== 'string'
        )
          return json(400, { error: 'bad_headers' });
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString('utf8'));
        } catch {
          return json(400, { error: 'malformed' });
        }
        const key = `github-delivery:${delivery}`;
        if (!(await services.store.claimInbound(key, services.clock.now())))
          return json(409, { error: 'replayed' });
        let told: number;
        try {
          told = await handle(event, payload, services);
        } catch (error) {
          // Forget the delivery so that GitHub's redelivery is handled again (tickets told already are not told twice).
          await services.store.releaseInbound(key);
          throw error;
        }
        // 204: verified, but about nothing GroupDesk tracks (an unlinked issue, another event).
        return told > 0 ? json(202, { ok: true, told }) : json(204, undefined);
      })();
      if (answer.body === undefined) return reply.code(answer.status).send();
      return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
    });
  });
}
