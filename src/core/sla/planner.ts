/**
 * Keeps the reminder ledger in step with tickets: when a ticket opens or its clock starts
 * again (a customer answers while it waits, a resolved ticket reopens) its stages are
 * planned; when the clock stops (first response, waiting on the customer, resolved,
 * closed) its pending stages are cancelled.
 *
 * Changes are collected and written in batches (every scheduler tick, or when
 * FLUSH_AT tickets are waiting), because one ledger statement per message would cost the
 * message path more than the ticket write itself. That is safe because the worker
 * re-decides every row against the ticket as it is when the row comes due: a plan that is
 * late, stale or lost never sends a wrong reminder. A plan lost to a crash before its
 * flush is made again by `reconcile`, which the scheduler runs at every start.
 */
import type { Logger } from '../logger';
import type { Ticket } from '../model';
import type { Clock, PlannedReminder, SlaStore, Store } from '../ports';
import type { TicketObserver } from '../tickets';
import { backfillClocks } from './backfill';
import { SLA_METRICS } from './metrics';
import type { SlaPolicy } from './policy';
import type { TicketReminderRules } from './rules';
import { subjects } from './subjects';
import { clockRuns, metricView, planTicketStages } from './ticket-stages';

/** Tickets waiting to be planned before the planner writes them without waiting for a tick. */
export const FLUSH_AT = 256;

export interface PlannerDeps {
  readonly ledger: SlaStore;
  readonly policy: SlaPolicy;
  readonly rules: TicketReminderRules;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class ReminderPlanner implements TicketObserver {
  /** The latest state seen of each ticket whose plan is not written yet. */
  private dirty = new Map<number, Ticket>();

  constructor(private readonly deps: PlannerDeps) {}

  async ticketChanged(before: Ticket | undefined, after: Ticket): Promise<void> {
    if (before && !clockChanged(before, after)) return;
    this.dirty.set(after.number, after);
    if (this.dirty.size >= FLUSH_AT) await this.flush();
  }

  /** Writes the plans of every ticket changed since the last flush. Never throws. */
  async flush(now = this.deps.clock.now()): Promise<void> {
    if (this.dirty.size === 0) return;
    const tickets = [...this.dirty.values()];
    this.dirty = new Map();
    try {
      await this.write(tickets, now);
    } catch (error) {
      // Keep them for the next flush, unless a newer state arrived meanwhile.
      for (const t of tickets) if (!this.dirty.has(t.number)) this.dirty.set(t.number, t);
      this.deps.logger.error('could not plan SLA reminders', {
        tickets: tickets.length,
        error: String(error),
      });
    }
  }

  /** Plans or cancels these tickets' stages for their state at `now`, at once. Idempotent. */
  async sync(tickets: readonly Ticket[], now = this.deps.clock.now()): Promise<void> {
    await this.write(tickets, now);
  }

  /**
   * Plans every running ticket again, customer by customer (up to 500 running tickets each);
   * returns how many. Run once at start: it repairs plans lost to a crash.
   */
  async reconcile(store: Store, now = this.deps.clock.now()): Promise<number> {
    let count = 0;
    for (const customer of await store.listCustomers()) {
      const running = await store.queryTickets({
        customerId: customer.id,
        statuses: ['open', 'claimed'],
        limit: 500,
      });
      await this.write(running, now);
      count += running.length;
    }
    return count;
  }

  /**
   * Gives running tickets stored by an older version the clocks their history implies,
   * the stages already past recorded as skipped (backfill.ts); returns how many. Run once
   * at start, before `reconcile`.
   */
  async upgrade(store: Store, now = this.deps.clock.now()): Promise<number> {
    const { ledger, policy, rules } = this.deps;
    return backfillClocks({ store, ledger, policy, rules }, now);
  }

  private async write(tickets: readonly Ticket[], now: number): Promise<void> {
    const { ledger, policy, rules } = this.deps;
    const plans: PlannedReminder[] = [];
    for (const ticket of tickets) {
      for (const metric of SLA_METRICS) {
        const view = metricView(ticket, metric);
        const clock = policy.clockOf(view, metric);
        if (clock && clockRuns(view)) plans.push(...planTicketStages(rules, view, clock, now, metric));
        else await ledger.cancelReminders(subjects.ofTicket(ticket, metric), now);
      }
    }
    for (let i = 0; i < plans.length; i += 1000)
      await ledger.scheduleReminders(plans.slice(i, i + 1000), now);
  }
}

/** Whether a change can start, stop or shift one of the clocks (a claim cannot). */
function clockChanged(a: Ticket, b: Ticket): boolean {
  return (
    waitsOnStaff(a) !== waitsOnStaff(b) ||
    a.dueAt !== b.dueAt ||
    a.nextResponseDueAt !== b.nextResponseDueAt ||
    a.resolutionDueAt !== b.resolutionDueAt ||
    a.priority !== b.priority ||
    a.firstResponseAt !== b.firstResponseAt ||
    a.plan !== b.plan
  );
}

const waitsOnStaff = (t: Ticket): boolean => t.status === 'open' || t.status === 'claimed';
