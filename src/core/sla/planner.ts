/**
 * Keeps the reminder ledger in step with tickets: when a ticket opens or its clock starts
 * again (a customer answers while it waits, a resolved ticket reopens) its stages are
 * planned; when the clock stops (first response, waiting on the customer, resolved,
 * closed) its pending stages are cancelled. The worker re-checks every row against the
 * ticket before sending, so a plan that is late or lost never sends a wrong reminder;
 * `reconcile` repairs plans lost to a crash between the ticket write and the ledger write.
 */
import type { Logger } from '../logger';
import type { Ticket } from '../model';
import type { Clock, SlaStore, Store } from '../ports';
import type { TicketObserver } from '../tickets';
import type { SlaPolicy } from './policy';
import type { TicketReminderRules } from './rules';
import { subjects } from './subjects';
import { clockRuns, planTicketStages } from './ticket-stages';

export interface PlannerDeps {
  readonly ledger: SlaStore;
  readonly policy: SlaPolicy;
  readonly rules: TicketReminderRules;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class ReminderPlanner implements TicketObserver {
  constructor(private readonly deps: PlannerDeps) {}

  async ticketChanged(before: Ticket | undefined, after: Ticket): Promise<void> {
    if (before && !clockChanged(before, after)) return;
    try {
      await this.sync(after);
    } catch (error) {
      // The ticket change stands; reconcile (at every start) plans the ticket again.
      this.deps.logger.error('could not plan SLA reminders', { ticket: after.number, error: String(error) });
    }
  }

  /** Plans or cancels the ticket's stages for its state at `now`. Idempotent. */
  async sync(ticket: Ticket, now = this.deps.clock.now()): Promise<void> {
    const { ledger, policy, rules } = this.deps;
    const subject = subjects.ticket(ticket.number);
    const clock = policy.clockOf(ticket);
    if (!clock || !clockRuns(ticket)) {
      await ledger.cancelReminders(subject, now);
      return;
    }
    await ledger.scheduleReminders(planTicketStages(rules, ticket, clock, now), now);
  }

  /** Plans every running ticket again (the most urgent `limit`); returns how many. */
  async reconcile(store: Store, limit = 500): Promise<number> {
    const running = await store.queryTickets({
      statuses: ['open', 'claimed'],
      dueBefore: Number.MAX_SAFE_INTEGER,
      limit,
    });
    for (const ticket of running) await this.sync(ticket);
    return running.length;
  }
}

/** Whether a change can move the first-response clock (start, stop or shift it). */
function clockChanged(a: Ticket, b: Ticket): boolean {
  return (
    a.status !== b.status ||
    a.dueAt !== b.dueAt ||
    a.firstResponseAt !== b.firstResponseAt ||
    a.pausedAt !== b.pausedAt ||
    a.plan !== b.plan
  );
}
