/**
 * The desk's metrics in the Prometheus text format, with prom-client: the client Prometheus
 * lists for Node, well kept (15.x), no native code and no timers of its own. Each process has
 * its own Registry (not the library's global one), so tests and the playground's `:reset`
 * never collide. The outbox gauges are read at scrape time by whoever serves /metrics.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeskMetrics } from '../core/metrics';

/** Store calls are milliseconds on SQLite and a few ms on MongoDB; a second is already an outage. */
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class PrometheusMetrics implements DeskMetrics {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: 'groupdesk_messages_in_total',
    help: 'Inbound chat messages handed to the desk, per platform.',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  private readonly opened = new Counter({
    name: 'groupdesk_tickets_opened_total',
    help: 'Tickets opened, per platform.',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });
  private readonly replies = new Counter({
    name: 'groupdesk_replies_total',
    help: 'Staff answers recorded on tickets (chat and web).',
    registers: [this.registry],
  });
  private readonly reminderCount = new Counter({
    name: 'groupdesk_reminders_total',
    help: 'SLA reminders delivered (sent) or given up on (failed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly store = new Histogram({
    name: 'groupdesk_store_call_seconds',
    help: 'Store call latency, per operation and outcome (ok or error).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });
  private readonly waiting = new Gauge({
    name: 'groupdesk_outbox_waiting',
    help: 'Outbound messages waiting for their platform.',
    registers: [this.registry],
  });
  private readonly oldest = new Gauge({
    name: 'groupdesk_outbox_oldest_age_seconds',
    help: 'How long the oldest waiting outbound message has waited.',
    registers: [this.registry],
  });

  constructor() {
    // Zero rows exist before the first event, so a dashboard's rate() has a start.
    this.replies.inc(0);
    for (const outcome of ['sent', 'failed'] as const) this.reminderCount.inc({ outcome }, 0);
  }

  messageIn(platform: string): void {
    this.messages.inc({ platform });
  }

  ticketOpened(platform: string): void {
    this.opened.inc({ platform });
  }

  reply(): void {
    this.replies.inc();
  }

  reminders(outcome: 'sent' | 'failed', count: number): void {
    if (count > 0) this.reminderCount.inc({ outcome }, count);
  }

  storeCall(operation: string, seconds: number, failed: boolean): void {
    this.store.observe({ operation, outcome: failed ? 'error' : 'ok' }, seconds);
  }

  /** The scrape: the outbox as it is now, then every metric. */
  async scrape(outbox: { readonly waiting: number; readonly oldestAgeMs: number }): Promise<string> {
    this.waiting.set(outbox.waiting);
    this.oldest.set(outbox.oldestAgeMs / 1000);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
