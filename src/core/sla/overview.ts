/**
 * Which running tickets are breached and which are at risk (a set share of their window
 * used), for /overdue and the daily digest, on every promise: first response, next
 * response, resolution. Asks the store for the queue tickets whose nearest running deadline
 * is before a time (an indexed query), then measures each promise against its calendar.
 */
import type { Ticket } from '../model';
import type { Store } from '../ports';
import { SLA_METRICS, type SlaMetric } from './metrics';
import type { SlaPolicy } from './policy';
import { clockRuns, metricView, percentUsed } from './ticket-stages';
import { DAY_MS } from './zone';

/** How far ahead to look for at-risk tickets: longer than any window, weekends and holidays included. */
const HORIZON_MS = 60 * DAY_MS;
const LIMIT = 500;

export interface SlaOverview {
  /** Most urgent first (priority, then deadline). */
  readonly breached: readonly Ticket[];
  readonly atRisk: readonly Ticket[];
  /** True when a query hit its limit and the lists are partial. */
  readonly truncated: boolean;
}

export class SlaView {
  constructor(
    readonly policy: SlaPolicy,
    readonly atRiskPercent: number,
  ) {}

  /** Breached and at-risk running tickets, of one customer when `customerId` is given. */
  async overview(store: Store, now: number, customerId?: string): Promise<SlaOverview> {
    const scope = customerId !== undefined ? { customerId } : {};
    // The nearest running deadline of a ticket is the earliest of its promises: past it, one is broken.
    const breached = await store.queryTickets({ nearestDueBefore: now, limit: LIMIT, ...scope });
    const soon = await store.queryTickets({ nearestDueBefore: now + HORIZON_MS, limit: LIMIT, ...scope });
    const late = new Set(breached.map((t) => t.number));
    const atRisk = soon.filter((t) => !late.has(t.number) && this.atRisk(t, now).length > 0);
    return { breached, atRisk, truncated: breached.length === LIMIT || soon.length === LIMIT };
  }

  /** The promises of a running ticket that are past their deadline at `now`. */
  breachedMetrics(ticket: Ticket, now: number): SlaMetric[] {
    return this.running(ticket)
      .filter(({ view }) => view.dueAt !== undefined && now > view.dueAt)
      .map((r) => r.metric);
  }

  /** The promises of a running ticket with at least the at-risk share of their window used. */
  atRisk(ticket: Ticket, now: number): SlaMetric[] {
    return this.running(ticket)
      .filter(({ view, clock }) => percentUsed(view, clock, now) >= this.atRiskPercent)
      .map((r) => r.metric);
  }

  private running(ticket: Ticket) {
    return SLA_METRICS.flatMap((metric) => {
      const view = metricView(ticket, metric);
      const clock = clockRuns(view) ? this.policy.clockOf(view, metric) : undefined;
      return clock ? [{ metric, view, clock }] : [];
    });
  }
}
