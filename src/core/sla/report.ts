/**
 * SLA figures over a set of tickets, for /report, the web reports and the digest, for each
 * promise (first response, next response, resolution): compliance (share of decided
 * samples kept) overall, per plan and per customer, the time taken (median, p90;
 * wall-clock, as customers feel it), breaches per engineer and the breaches themselves.
 * A sample is one window of one promise: a ticket has at most one first-response and one
 * resolution window, and a next-response window per follow-up. Pure: the caller gathers
 * the tickets and their events and words the result.
 */
import type { Ticket, TicketEvent } from '../model';
import type { SlaMetric } from './metrics';

/** Where a ticket stands against one target at `now`. */
export type TargetOutcome = 'met' | 'breached' | 'pending' | 'none';

/** One window of one promise. */
export interface Sample {
  readonly outcome: TargetOutcome;
  readonly dueAt?: number;
  /** Wall-clock time from the window's start to the reply (or resolve) that closed it. */
  readonly tookMs?: number;
}

/**
 * Kept when done by the deadline; broken when done late, or when the clock stopped
 * (`stoppedAt`: paused, closed, or now while it runs) past it without being done.
 */
function outcomeOf(
  due: number | undefined,
  doneAt: number | undefined,
  stoppedAt: number | undefined,
): TargetOutcome {
  if (due === undefined) return 'none';
  if (doneAt !== undefined) return doneAt <= due ? 'met' : 'breached';
  return stoppedAt !== undefined && stoppedAt > due ? 'breached' : 'pending';
}

/** Where a ticket stands against its first-response target at `now`. */
export function targetOutcome(ticket: Ticket, now: number): TargetOutcome {
  // No answer yet: the clock stopped when it was paused or the ticket was closed without one.
  const stopped =
    ticket.status === 'waiting_on_customer'
      ? ticket.pausedAt
      : ticket.status === 'resolved' || ticket.status === 'closed'
        ? (ticket.resolvedAt ?? ticket.closedAt)
        : now;
  return outcomeOf(ticket.dueAt, ticket.firstResponseAt, stopped);
}

/** The ticket's first-response window. */
export function firstResponseSamples(t: Ticket, now: number): Sample[] {
  const took = t.firstResponseAt === undefined ? {} : { tookMs: t.firstResponseAt - t.createdAt };
  return [{ outcome: targetOutcome(t, now), ...(t.dueAt === undefined ? {} : { dueAt: t.dueAt }), ...took }];
}

/** The ticket's resolution window (its deadline is kept after resolve, moved on by a reopen). */
export function resolutionSamples(t: Ticket, now: number): Sample[] {
  const stopped = t.status === 'waiting_on_customer' ? t.pausedAt : t.status === 'closed' ? t.closedAt : now;
  const due = t.resolutionDueAt;
  return [
    {
      outcome: outcomeOf(due, t.resolvedAt, stopped),
      ...(due === undefined ? {} : { dueAt: due }),
      ...(t.resolvedAt === undefined ? {} : { tookMs: t.resolvedAt - t.createdAt }),
    },
  ];
}

const STOPS_WAITING_ON_STAFF = ['waiting_on_customer', 'resolved', 'closed'];

/**
 * The ticket's next-response windows, replayed from its events as TicketService opens and
 * closes them: a customer message after a public staff answer opens one (unless one is
 * open), the next public reply closes it; waiting on the customer, resolving or closing
 * ends it undecided unless its deadline had passed. `dueOf(start)`: a window's deadline by
 * the plan (the ticket's current priority); the open window uses the ticket's own deadline.
 */
export function nextResponseSamples(
  t: Ticket,
  events: readonly TicketEvent[],
  now: number,
  dueOf: (start: number) => number | undefined,
): Sample[] {
  const samples: Sample[] = [];
  let answered = false;
  let since: number | undefined;
  const close = (doneAt: number | undefined, stoppedAt: number) => {
    if (since === undefined) return;
    const due =
      since === t.nextResponseSince && t.nextResponseDueAt !== undefined ? t.nextResponseDueAt : dueOf(since);
    samples.push({
      outcome: outcomeOf(due, doneAt, stoppedAt),
      ...(due === undefined ? {} : { dueAt: due }),
      ...(doneAt === undefined ? {} : { tookMs: doneAt - since }),
    });
    since = undefined;
  };
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (e.kind === 'staff_reply') {
      close(e.at, e.at);
      answered = true;
    } else if (e.kind === 'status_change' && STOPS_WAITING_ON_STAFF.includes(e.to ?? ''))
      close(undefined, e.at);
    else if (e.kind === 'customer_message' && answered && since === undefined) since = e.at;
  }
  close(undefined, now);
  return samples;
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

/** One breached window: its ticket, deadline, and who held the ticket then ('' = nobody). */
export interface Breach {
  readonly ticket: Ticket;
  readonly dueAt: number;
  readonly holder: string;
}

/** One promise's figures over the tickets. */
export interface MetricReport {
  readonly overall: Compliance;
  readonly byPlan: ReadonlyMap<string, Compliance>;
  readonly byCustomer: ReadonlyMap<string, Compliance>;
  readonly time?: Spread;
  /** Breached windows per engineer holding the ticket when the deadline passed ('' = unassigned), most first. */
  readonly breachesByEngineer: ReadonlyMap<string, number>;
  /** Oldest deadline first. */
  readonly breaches: readonly Breach[];
}

/**
 * `holderAtBreach(ticket, dueAt)`: who held the ticket when that deadline passed (from its
 * events; see holderAt). Without it the current assignee is charged, which blames an
 * engineer who claimed an already-breached ticket.
 */
export function metricReport(
  tickets: readonly Ticket[],
  samplesOf: (t: Ticket) => readonly Sample[],
  holderAtBreach: (t: Ticket, dueAt: number) => string | undefined = (t) => t.assigneeId,
): MetricReport {
  const overall: Compliance = { met: 0, breached: 0 };
  const byPlan = new Map<string, Compliance>();
  const byCustomer = new Map<string, Compliance>();
  const perEngineer = new Map<string, number>();
  const breaches: Breach[] = [];
  const times: number[] = [];
  for (const t of tickets) {
    for (const s of samplesOf(t)) {
      if (s.tookMs !== undefined) times.push(s.tookMs);
      if (s.outcome !== 'met' && s.outcome !== 'breached') continue;
      for (const bucket of [overall, entry(byPlan, t.plan), entry(byCustomer, t.customerId)])
        bucket[s.outcome]++;
      if (s.outcome === 'breached' && s.dueAt !== undefined) {
        const holder = holderAtBreach(t, s.dueAt) ?? '';
        perEngineer.set(holder, (perEngineer.get(holder) ?? 0) + 1);
        breaches.push({ ticket: t, dueAt: s.dueAt, holder });
      }
    }
  }
  const time = spread(times);
  return {
    overall,
    byPlan,
    byCustomer,
    ...(time ? { time } : {}),
    breachesByEngineer: new Map([...perEngineer].sort((a, b) => b[1] - a[1])),
    breaches: breaches.sort((a, b) => a.dueAt - b.dueAt),
  };
}

/** The samples of `metric` for one ticket (`events` and `dueOf` matter for next response only). */
export function samplesOf(
  metric: SlaMetric,
  t: Ticket,
  now: number,
  events: readonly TicketEvent[] = [],
  dueOf: (start: number) => number | undefined = () => undefined,
): Sample[] {
  if (metric === 'first_response') return firstResponseSamples(t, now);
  if (metric === 'resolution') return resolutionSamples(t, now);
  return nextResponseSamples(t, events, now, dueOf);
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

/** The first-response figures and both times, as the web reports page shows them. */
export function slaReport(
  tickets: readonly Ticket[],
  now: number,
  holderAtBreach: (t: Ticket) => string | undefined = (t) => t.assigneeId,
): SlaReport {
  const first = metricReport(tickets, (t) => firstResponseSamples(t, now), holderAtBreach);
  const resolution = metricReport(tickets, (t) => resolutionSamples(t, now)).time;
  return {
    opened: tickets.length,
    resolved: tickets.filter((t) => t.resolvedAt !== undefined).length,
    overall: first.overall,
    byPlan: first.byPlan,
    byCustomer: first.byCustomer,
    ...(first.time ? { firstResponse: first.time } : {}),
    ...(resolution ? { resolution } : {}),
    breachesByEngineer: first.breachesByEngineer,
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
