/**
 * POST /hooks/gitlab: GitLab's webhook deliveries, on the bot's own web server, driving the
 * same actions as GitHub's (desk/upstream-updates.ts). GitLab does not sign: it sends the
 * configured secret in `X-Gitlab-Token`, compared here in constant time (SHA-256 of both,
 * then timingSafeEqual, so neither the value nor its length leaks through timing). Each
 * delivery is taken once per `Idempotency-Key` / `X-Gitlab-Event-UUID` (claimed in the
 * store; a replay is 409), with a JSON body of at most 1 MB. 202 when a ticket was told,
 * 204 when the delivery is about nothing linked, 404 when no token is configured.
 * See https://docs.gitlab.com/user/project/integrations/webhooks/
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DeskServices } from '../desk/types';
import { UpstreamUpdates } from '../desk/upstream-updates';
import { HOOK_BODY_LIMIT } from './github-hook';
import { gitlabChanges } from './gitlab-events';

export const GITLAB_HOOK_PATH = '/hooks/gitlab';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether `given` is the token, in time that depends on neither. */
export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

export function registerGitlabHook(app: FastifyInstance, desk: () => DeskServices): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: HOOK_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(GITLAB_HOOK_PATH, { bodyLimit: HOOK_BODY_LIMIT }, async (req, reply) => {
      const services = desk();
      const answer = await take(services, req.headers, typeof req.body === 'string' ? req.body : '');
      if (answer.body === undefined) return reply.code(answer.status).send();
      return reply.code(answer.status).type('application/json; charset=utf-8').send(answer.body);
    });
  });
}

type Headers = Record<string, string | string[] | undefined>;

async function take(services: DeskServices, headers: Headers, raw: string) {
  const json = (status: number, body?: object) => ({ status, body });
  const token = services.upstream?.gitlabWebhookToken;
  if (token === undefined) return json(404, { error: 'not_configured' });
  const given = headers['x-gitlab-token'];
  if (typeof given !== 'string' || !sameToken(given, token)) return json(401, { error: 'bad_token' });
  const event = headers['x-gitlab-event'];
  const delivery = headers['idempotency-key'] ?? headers['x-gitlab-event-uuid'];
  if (typeof event !== 'string' || typeof delivery !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(delivery))
    return json(400, { error: 'bad_headers' });
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return json(400, { error: 'malformed' });
  }
  const key = `gitlab-delivery:${delivery}`;
  if (!(await services.store.claimInbound(key, services.clock.now())))
    return json(409, { error: 'replayed' });
  let told = 0;
  try {
    if (services.upstreamLinks !== undefined) {
      const updates = new UpstreamUpdates(services, services.upstreamLinks);
      for (const change of gitlabChanges(event, payload, services.clock.now()))
        told += await updates.apply(change);
    }
  } catch (error) {
    await services.store.releaseInbound(key); // GitLab's retry is handled again; told tickets are not told twice
    throw error;
  }
  return told > 0 ? json(202, { ok: true, told }) : json(204);
}
