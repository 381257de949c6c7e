/**
 * GET /healthz: whether this process can do its work, for a load balancer or a monitor. No
 * sign-in and no customer data: the store answers, each configured platform is connected or
 * not, how many outbound messages wait and for how long, and the last scheduled backup. 503
 * when the store does not answer; "degraded" (still 200) when a platform is not connected, a
 * message has waited longer than OUTBOX_STALE_MS or the last backup failed.
 */
import type { FastifyInstance } from 'fastify';
import type { ConnectionStatus } from '../core/connections';
import type { DeskServices } from '../desk/types';
import { outboxHealth } from '../outbox/health';

/** An outbound message waiting this long means a platform has been unreachable for a while. */
export const OUTBOX_STALE_MS = 15 * 60_000;

export function registerHealth(
  app: FastifyInstance,
  desk: () => DeskServices,
  extra: () => Record<string, unknown> = () => ({}),
  connections?: ConnectionStatus,
): void {
  app.get('/healthz', async (_req, reply) => {
    const { store, clock } = desk();
    const listed = connections?.platforms() ?? [];
    // Each configured platform, without its adapter's detail (it may name accounts or hosts).
    const platforms = Object.fromEntries(
      listed.map((p) => [
        p.platform,
        { status: p.connected ? 'connected' : 'not connected', since: new Date(p.since).toISOString() },
      ]),
    );
    const facts: Record<string, unknown> = { ...(listed.length > 0 && { platforms }), ...extra() };
    const down = listed.some((p) => !p.connected);
    try {
      const outbox = await outboxHealth(store, clock.now());
      const backup = facts.backup as { ok?: boolean } | undefined;
      const degraded = down || outbox.oldestAgeMs > OUTBOX_STALE_MS || backup?.ok === false;
      return reply
        .header('cache-control', 'no-store')
        .send({ status: degraded ? 'degraded' : 'ok', store: 'ok', outbox, ...facts });
    } catch (error) {
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .send({ status: 'unavailable', store: 'unavailable', error: String(error), ...facts });
    }
  });
}
