/**
 * GET /metrics in the Prometheus text format (docs/web.md#metrics). Allowed with
 * `Authorization: Bearer <GROUPDESK_METRICS_TOKEN>`, or from this machine when no proxy
 * header says the request came from further away (a reverse proxy on the same host would
 * otherwise make every visitor look local). Anything else gets a 401 in the reader's words.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DeskServices } from '../desk/types';
import { outboxHealth } from '../outbox/health';

/** What serves a scrape (src/metrics/prometheus.ts). */
export interface MetricsScrape {
  readonly contentType: string;
  scrape(outbox: { readonly waiting: number; readonly oldestAgeMs: number }): Promise<string>;
}

const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const;

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The token compared in constant time (over digests, so the lengths never differ). */
function bearerMatches(req: FastifyRequest, token: string | undefined): boolean {
  if (token === undefined) return false;
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

export function mayScrape(req: FastifyRequest, token: string | undefined): boolean {
  if (bearerMatches(req, token)) return true;
  const proxied = PROXY_HEADERS.some((h) => req.headers[h] !== undefined);
  return !proxied && isLoopback(req.socket.remoteAddress);
}

export function registerMetrics(
  app: FastifyInstance,
  desk: () => DeskServices,
  metrics: MetricsScrape,
  token: string | undefined,
): void {
  app.get('/metrics', async (req, reply) => {
    const { store, clock, translator, settings } = desk();
    if (!mayScrape(req, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="groupdesk-metrics"')
        .type('text/plain; charset=utf-8')
        .send(translator.t(settings.defaultLocale, 'web.metrics_refused'));
    }
    // A store that does not answer still leaves the counters readable: the backlog is then unknown.
    const outbox = await outboxHealth(store, clock.now()).catch(() => ({ waiting: -1, oldestAgeMs: -1 }));
    return reply
      .header('cache-control', 'no-store')
      .type(metrics.contentType)
      .send(await metrics.scrape(outbox));
  });
}
