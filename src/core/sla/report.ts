/**
 * SLA figures over a set of tickets, for /report and the digest: compliance (share of
 * decided tickets first-responded within target) overall, per plan and per customer,
 * first-response and resolution times (median, p90; wall-clock, as customers feel them),
 * breaches per engineer. Pure: the command gathers the tickets and words the result.
 */
import type { Ticket, TicketEvent } from '../model';

/** Where a ticket stands against its first-response target at `now`. */
export type TargetOutcome = 'met' | 'breached' | 'pending' | 'none';

export function targetOutcome(ticket: Ticket, now: number): TargetOutcome {
  const due = ticket.dueAt;
  if (due === undefined) return 'none';
  if (ticket.firstResponseAt !== undefined) return ticket.firstResponseAt <= due ? 'met' : 'breached';
  // No answer yet: the clock stopped when it was paused or the ticket was closed without one.
  const stopped =
    ticket.status === 'waiting_on_customer'
      ? ticket.pausedAt
      : ticket.status === 'resolved' || ticket.status === 'closed'
        ? (ticket.resolvedAt ?? ticket.closedAt)
        : now;
  return stopped !== undefined && stopped > due ? 'breached' : 'pending';
}

export interface Compliance {
  met: number;
  breached: number;
}

/** Percent of decided tickets answered in time; undefined when none is decided yet. */
export function compliancePercent(c: Compliance): number | undefined {
  const decided = c.met + c.breached;
  return decided === 0 ? undefined : Math.round((c.met / decided) * 100);
}

export interface Spread {
  readonly median: number;
  readonly p90: number;
}

export interface SlaReport {
  readonly opened: number;
  readonly resolved: number;
  readonly overall: Compliance;
  readonly byPlan: ReadonlyMap<string, Compliance>;
  readonly byCustomer: ReadonlyMap<string, Compliance>;
  readonly firstResponse?: Spread;
  readonly resolution?: Spread;
  /** Breached tickets per engineer holding them when the deadline passed ('' = unassigned), most first. */
  readonly breachesByEngineer: ReadonlyMap<string, number>;
}

/**
 * `holderAtBreach`: who held a breached ticket when its deadline passed (from its events; see
 * holderAt). Without it the current assignee is charged, which blames an engineer who
 * claimed an already-breached ticket.
 */
export function slaReport(
  tickets: readonly Ticket[],
  now: number,
  holderAtBreach: (t: Ticket) => string | undefined = (t) => t.assigneeId,
): SlaReport {
  const overall: Compliance = { met: 0, breached: 0 };
  const byPlan = new Map<string, Compliance>();
  const byCustomer = new Map<string, Compliance>();
  const breaches = new Map<string, number>();
  const responses: number[] = [];
  const resolutions: number[] = [];
  for (const t of tickets) {
    if (t.firstResponseAt !== undefined) responses.push(t.firstResponseAt - t.createdAt);
    if (t.resolvedAt !== undefined) resolutions.push(t.resolvedAt - t.createdAt);
    const outcome = targetOutcome(t, now);
    if (outcome !== 'met' && outcome !== 'breached') continue;
    for (const bucket of [overall, entry(byPlan, t.plan), entry(byCustomer, t.customerId)]) bucket[outcome]++;
    if (outcome === 'breached') {
      const holder = holderAtBreach(t) ?? '';
      breaches.set(holder, (breaches.get(holder) ?? 0) + 1);
    }
  }
  const firstResponse = spread(responses);
  const resolution = spread(resolutions);
  return {
    opened: tickets.length,
    resolved: resolutions.length,
    overall,
    byPlan,
    byCustomer,
    ...(firstResponse ? { firstResponse } : {}),
    ...(resolution ? { resolution } : {}),
    breachesByEngineer: new Map([...breaches].sort((a, b) => b[1] - a[1])),
  };
}

function entry(map: Map<string, Compliance>, key: string): Compliance {
  let c = map.get(key);
  if (!c) {
    c = { met: 0, breached: 0 };
    map.set(key, c);
  }
  return c;
}

/** Nearest-rank percentile (p in 0..1) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

function spread(values: readonly number[]): Spread | undefined {
  return values.length ? { median: percentile(values, 0.5), p90: percentile(values, 0.9) } : undefined;
}

/** Who held the ticket at `at`, from its assignment events in order (undefined: nobody). */
export function holderAt(events: readonly TicketEvent[], at: number): string | undefined {
  let holder: string | undefined;
  for (const e of events) {
    if (e.at > at) break;
    if (e.kind === 'assignment') holder = e.to;
  }
  return holder;
}
