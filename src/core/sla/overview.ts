/**
 * Which running tickets are breached and which are at risk (a set share of their window
 * used), for /overdue and the daily digest. Asks the store only for tickets still awaiting
 * a first response (an indexed query), then measures each against its own calendar.
 */
import type { Ticket } from '../model';
import type { Store } from '../ports';
import type { SlaPolicy } from './policy';
import { percentUsed } from './ticket-stages';
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
    const running = ['open', 'claimed'] as const;
    const breached = await store.queryTickets({ statuses: running, dueBefore: now, limit: LIMIT, ...scope });
    const soon = await store.queryTickets({
      statuses: running,
      dueBefore: now + HORIZON_MS,
      limit: LIMIT,
      ...scope,
    });
    const late = new Set(breached.map((t) => t.number));
    const atRisk = soon.filter((t) => {
      if (late.has(t.number)) return false;
      const clock = this.policy.clockOf(t);
      return clock !== undefined && percentUsed(t, clock, now) >= this.atRiskPercent;
    });
    return { breached, atRisk, truncated: breached.length === LIMIT || soon.length === LIMIT };
  }
}
