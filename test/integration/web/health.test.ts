/**
 * GET /healthz without signing in: the store answers, the outbox's depth and oldest wait,
 * "degraded" once a message has waited past OUTBOX_STALE_MS, 503 once the store is gone.
 * No customer data in any answer.
 */
import { OUTBOX_STALE_MS } from '../../../src/web/health';
import { type World, world } from './world';

describe('GET /healthz', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.close().catch(() => undefined));

  const health = async () => {
    const res = await w.app.inject({ method: 'GET', url: '/healthz' });
    return { code: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
  };

  it('says ok with an empty outbox, degraded once a message waits too long, and leaks nothing', async () => {
    expect(await health()).toEqual({
      code: 200,
      body: { status: 'ok', store: 'ok', outbox: { waiting: 0, oldestAgeMs: 0 } },
    });
    const { store, clock } = w.desk.services;
    // A message to a chat whose platform has not answered for 20 minutes (nothing sends it here).
    await store.enqueueOutbound(
      [
        {
          message: { platform: 'console', chatId: 'acme', chatKind: 'group', text: 'secret answer for acme' },
          expiresAt: clock.now() + 86_400_000,
        },
      ],
      clock.now() - OUTBOX_STALE_MS - 5 * 60_000,
    );
    const { code, body } = await health();
    expect(code).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', outbox: { waiting: 1 } });
    expect((body.outbox as { oldestAgeMs: number }).oldestAgeMs).toBeGreaterThan(OUTBOX_STALE_MS);
    expect(JSON.stringify(body)).not.toMatch(/acme|secret/);
  });

  it('answers 503 when the store does not', async () => {
    await w.desk.services.store.close();
    const { code, body } = await health();
    expect(code).toBe(503);
    expect(body).toMatchObject({ status: 'unavailable', store: 'unavailable' });
  });
});
