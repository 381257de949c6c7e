/**
 * GET /metrics over real HTTP: the Prometheus text of what the desk did (messages in,
 * tickets opened, replies, reminders sent and failed, store latency, the outbox backlog),
 * served to this machine without a proxy header or to a bearer of GROUPDESK_METRICS_TOKEN.
 */
import { PrometheusMetrics } from '../../../src/metrics/prometheus';
import { OUTBOX_STALE_MS } from '../../../src/web/health';
import { type World, world } from './world';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** The value of one sample, e.g. value(text, 'groupdesk_tickets_opened_total{platform="console"}'). */
function value(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describe('GET /metrics', () => {
  let w: World;
  afterEach(() => w.close());

  const scrape = async (headers?: Record<string, string>) => {
    const res = await w.app.inject({ method: 'GET', url: '/metrics', ...(headers && { headers }) });
    return { code: res.statusCode, text: res.body, type: String(res.headers['content-type']) };
  };

  it('counts messages, tickets, replies, store calls and the outbox backlog', async () => {
    w = await world({ metrics: new PrometheusMetrics() });
    const empty = await scrape();
    expect(empty.code).toBe(200);
    expect(empty.type).toContain('text/plain; version=0.0.4');
    expect(value(empty.text, 'groupdesk_replies_total')).toBe(0);
    expect(value(empty.text, 'groupdesk_outbox_waiting')).toBe(0);

    await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001
    await w.say('alice', 'acme', 'it still fails'); // a follow-up, not a new ticket
    await w.say('bob', 'dm', '/reply #1001 try Node 20.19');
    const { store, clock } = w.desk.services;
    await store.enqueueOutbound(
      [
        {
          message: { platform: 'console', chatId: 'acme', chatKind: 'group', text: 'waits' },
          expiresAt: clock.now() + 86_400_000,
        },
      ],
      clock.now() - OUTBOX_STALE_MS,
    );
    const { text } = await scrape();
    expect(value(text, 'groupdesk_messages_in_total{platform="console"}')).toBe(3);
    expect(value(text, 'groupdesk_tickets_opened_total{platform="console"}')).toBe(1);
    expect(value(text, 'groupdesk_replies_total')).toBe(1);
    expect(value(text, 'groupdesk_outbox_waiting')).toBe(1);
    expect(value(text, 'groupdesk_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(OUTBOX_STALE_MS / 1000);
    const created = 'groupdesk_store_call_seconds_count{operation="createTicket",outcome="ok"}';
    expect(value(text, created)).toBe(1);
    expect(
      value(text, 'groupdesk_store_call_seconds_count{operation="getTicket",outcome="ok"}'),
    ).toBeGreaterThan(0);
    // No customer data in a scrape.
    expect(text).not.toMatch(/acme|Node 20/);
  });

  it('counts the reminders the SLA worker sent, and those it gave up on', async () => {
    let refusing = false;
    w = await world({ metrics: new PrometheusMetrics(), refuse: () => refusing });
    await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001
    await w.say('bob', 'dm', '/claim #1001'); // bob hears the reminders
    const tick = () => w.desk.sla.scheduler!.tick(w.clock.now());
    let result = { sent: 0 };
    for (let i = 0; i < 48 && result.sent === 0; i++) {
      w.clock.advance(3_600_000);
      result = await tick();
    }
    const sent = value((await scrape()).text, 'groupdesk_reminders_total{outcome="sent"}')!;
    expect(sent).toBeGreaterThan(0);
    expect(value((await scrape()).text, 'groupdesk_reminders_total{outcome="failed"}')).toBe(0);
    // Every delivery refused from now on: the retries run out (config/sla.json maxAttempts).
    refusing = true;
    let failed = 0;
    for (let i = 0; i < 96 && failed === 0; i++) {
      w.clock.advance(3_600_000);
      failed = (await tick()).failed;
    }
    const { text } = await scrape();
    expect(value(text, 'groupdesk_reminders_total{outcome="failed"}')).toBeGreaterThan(0);
    expect(value(text, 'groupdesk_reminders_total{outcome="sent"}')).toBe(sent);
  });

  it('refuses a request that came through a proxy, unless it bears the token', async () => {
    w = await world({ metrics: new PrometheusMetrics(), env: { GROUPDESK_METRICS_TOKEN: TOKEN } });
    const proxied = { 'x-forwarded-for': '203.0.113.7' };
    const refused = await scrape(proxied);
    expect(refused.code).toBe(401);
    expect(refused.text).toContain('GROUPDESK_METRICS_TOKEN');
    expect(refused.text).not.toContain('groupdesk_');
    expect((await scrape({ forwarded: 'for=203.0.113.7' })).code).toBe(401);
    expect((await scrape({ ...proxied, authorization: `Bearer ${TOKEN}x` })).code).toBe(401);
    expect((await scrape({ ...proxied, authorization: `Basic ${TOKEN}` })).code).toBe(401);
    const borne = await scrape({ ...proxied, authorization: `Bearer ${TOKEN}` });
    expect(borne.code).toBe(200);
    expect(borne.text).toContain('groupdesk_messages_in_total');
    expect((await scrape()).code).toBe(200); // this machine, straight
  });

  it('answers in the deployment language, and is absent when the process keeps no metrics', async () => {
    w = await world({ locale: 'zh-CN', metrics: new PrometheusMetrics() });
    const refused = await scrape({ 'x-real-ip': '203.0.113.7' });
    expect(refused.code).toBe(401);
    expect(refused.text).toContain('令牌');
    await w.close();
    w = await world();
    expect((await scrape()).code).toBe(404);
  });
});
