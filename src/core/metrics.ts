/**
 * What the desk counts for operations (`GET /metrics`). The core names the facts; the
 * Prometheus client that turns them into a scrape lives outside it (src/metrics/prometheus.ts),
 * so the core stays free of prom-client.
 */
export interface DeskMetrics {
  /** One inbound chat message handed to the desk by an adapter. */
  messageIn(platform: string): void;
  /** A ticket made durable (a de-duplicated retry of the same message does not count). */
  ticketOpened(platform: string): void;
  /** A staff answer recorded on a ticket (from chat or the web console). */
  reply(): void;
  /** Reminders the SLA worker delivered or gave up on in one tick. */
  reminders(outcome: 'sent' | 'failed', count: number): void;
  /** One store call: its name, how long it took and whether it threw. */
  storeCall(operation: string, seconds: number, failed: boolean): void;
}
