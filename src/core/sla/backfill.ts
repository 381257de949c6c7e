/**
 * Tickets stored before the next-response and resolution promises (issue 20) have no such
 * clocks: on upgrade each running ticket gets them from its event history, as TicketService
 * would have set them, and the reminder stages whose time has already gone are recorded as
 * skipped, never sent, so an upgrade raises no burst of alerts about the past. Run at every
 * scheduler start (before `reconcile` plans the running tickets); idempotent: a ticket whose
 * clocks are set is left alone, and the skipped rows are written before the ticket, so a crash
 * in between repeats both harmlessly.
 *
 * From the history: resolution runs from opening, without the time spent waiting on the
 * customer or resolved; a next-response window opens at the first customer message after a
 * public staff answer (or after the customer answers a /wait) and stays open until the next
 * answer. The priority is the ticket's current one (a change mid-window is not replayed).
 */
import type { Ticket, TicketEvent } from '../model';
import type { Plan } from '../plans';
import type { PlannedReminder, SlaStore, Store, TicketPatch } from '../ports';
import type { SlaMetric } from './metrics';
import { withNearest } from './nearest';
import type { SlaPolicy } from './policy';
import type { TicketReminderRules } from './rules';
import { clockRuns, isReached, metricView, planTicketStages } from './ticket-stages';

type Patch = Omit<TicketPatch, 'updatedAt'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const PAUSED = ['waiting_on_customer', 'resolved'];

/** The clocks the history gives a ticket that lacks them; undefined when it needs none. */
export function clocksFromHistory(
  ticket: Ticket,
  events: readonly TicketEvent[],
  plan: Plan,
  policy: SlaPolicy,
): Patch | undefined {
  const patch: Mutable<Patch> = {};
  const history = [...events].sort((a, b) => a.at - b.at);
  if (ticket.resolutionDueAt === undefined) {
    let due = policy.dueAt(ticket.createdAt, plan, 'resolution', ticket.priority);
    let pausedAt: number | undefined;
    for (const e of history) {
      if (e.kind !== 'status_change' || due === undefined) continue;
      if (PAUSED.includes(e.to ?? '') && pausedAt === undefined) pausedAt = e.at;
      else if (!PAUSED.includes(e.to ?? '') && pausedAt !== undefined) {
        due = policy.afterPause(due, pausedAt, e.at, plan);
        pausedAt = undefined;
      }
    }
    if (due !== undefined) patch.resolutionDueAt = due;
  }
  const waitsOnStaff = ticket.status === 'open' || ticket.status === 'claimed';
  if (ticket.nextResponseSince === undefined && ticket.firstResponseAt !== undefined && waitsOnStaff) {
    let answered = false;
    let since: number | undefined;
    for (const e of history) {
      if (e.kind === 'staff_reply') {
        answered = true;
        since = undefined;
      } else if (e.kind === 'status_change' && PAUSED.includes(e.to ?? '')) since = undefined;
      else if (e.kind === 'customer_message' && answered && since === undefined) since = e.at;
    }
    const due = since === undefined ? undefined : policy.dueAt(since, plan, 'next_response', ticket.priority);
    if (since !== undefined && due !== undefined) {
      patch.nextResponseSince = since;
      if (ticket.nextResponseDueAt === undefined) patch.nextResponseDueAt = due;
    }
  }
  return Object.keys(patch).length ? withNearest(ticket, patch) : undefined;
}

/** The stages of the new clocks already reached at `now`: to be recorded as skipped. */
export function pastStages(
  after: Ticket,
  metrics: readonly SlaMetric[],
  policy: SlaPolicy,
  rules: TicketReminderRules,
  now: number,
): PlannedReminder[] {
  return metrics.flatMap((metric) => {
    const view = metricView(after, metric);
    const clock = policy.clockOf(view, metric);
    if (!clock || !clockRuns(view)) return [];
    const planned = planTicketStages(rules, view, clock, now, metric);
    return planned.filter((_, i) => isReached(rules.stages[i]!, view, clock, now));
  });
}

export interface BackfillDeps {
  readonly store: Store;
  readonly ledger: SlaStore;
  readonly policy: SlaPolicy;
  readonly rules: TicketReminderRules;
}

/** Gives every running ticket (up to 500 per customer) the clocks its history implies; returns how many changed. */
export async function backfillClocks(deps: BackfillDeps, now: number): Promise<number> {
  const { store, ledger, policy, rules } = deps;
  let changed = 0;
  for (const customer of await store.listCustomers()) {
    const running = await store.queryTickets({
      customerId: customer.id,
      statuses: ['open', 'claimed', 'waiting_on_customer'],
      limit: 500,
    });
    for (const ticket of running) {
      const plan = policy.planOf(ticket);
      if (!plan || !mayLack(ticket, plan, policy)) continue;
      const patch = clocksFromHistory(ticket, await store.listEvents(ticket.number), plan, policy);
      if (!patch) continue;
      const after = { ...ticket, ...patch } as Ticket;
      const metrics: SlaMetric[] = [];
      if (patch.nextResponseSince !== undefined) metrics.push('next_response');
      if (patch.resolutionDueAt !== undefined) metrics.push('resolution');
      await ledger.skipReminders(pastStages(after, metrics, policy, rules, now), now);
      // Not a change anyone made: the ticket keeps its updatedAt; a concurrent change wins.
      if (
        await store.updateTicket(ticket.number, ticket.version, { ...patch, updatedAt: ticket.updatedAt }, [])
      )
        changed++;
    }
  }
  return changed;
}

/** Whether the ticket may lack a clock its plan promises (cheap: no history read). */
function mayLack(t: Ticket, plan: Plan, policy: SlaPolicy): boolean {
  const resolution =
    t.resolutionDueAt === undefined && policy.dueAt(t.createdAt, plan, 'resolution') !== undefined;
  const next =
    t.nextResponseSince === undefined &&
    t.firstResponseAt !== undefined &&
    (t.status === 'open' || t.status === 'claimed') &&
    policy.dueAt(t.createdAt, plan, 'next_response') !== undefined;
  return resolution || next;
}
