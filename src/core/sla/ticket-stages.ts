/**
 * Reminder stages of a ticket's first-response clock, as pure functions of the ticket,
 * its clock, the rules and the time. A stage at p % is reached once p % of the target's
 * working time has been used, i.e. once the working time left before the deadline is at
 * most (100 − p) % of the target; counting what is *left* makes pauses (which push the
 * deadline back) count for nothing. The 100 % stage is the breach: the deadline has passed.
 *
 * The planner writes each stage's expected time to the ledger; when a row comes due the
 * worker asks `decideTicketReminder` again, with the ticket as it is then, so a stale row
 * (a reply came, the deadline moved, the bot was down) never sends a stale reminder.
 */
import type { Ticket } from '../model';
import type { PlannedReminder, Reminder } from '../ports';
import { addWorkingTime, isWorkingTime, nextWorkingInstant, workingTimeBetween } from './calendar';
import type { SlaMetric } from './metrics';
import type { TicketClock } from './policy';
import type { StageRule, TicketReminderRules } from './rules';
import { subjects } from './subjects';
import { HOUR_MS } from './zone';

/** A due reminder row that is not to be sent now. */
export type Hold =
  | { readonly action: 'defer'; readonly until: number }
  /** A more severe stage of the same subject is due: this one is superseded. */
  | { readonly action: 'skip' }
  /** The stage no longer applies (answered, paused, resolved, gone). */
  | { readonly action: 'cancel' };

/** What to do with a due row of a ticket. */
export type Decision =
  | { readonly action: 'send'; readonly stage: StageRule; readonly round: number; readonly rearmAt?: number }
  | Hold;

/** The first-response clock runs: a deadline, no first response, not paused, not resolved. */
export function clockRuns(ticket: Ticket): boolean {
  return (
    ticket.dueAt !== undefined &&
    ticket.firstResponseAt === undefined &&
    (ticket.status === 'open' || ticket.status === 'claimed')
  );
}

/**
 * The ticket as one metric's clock sees it: `dueAt` is that metric's deadline and the clock
 * runs while the ticket waits on staff. The stage functions below then serve every metric.
 */
export function metricView(ticket: Ticket, metric: SlaMetric): Ticket {
  if (metric === 'first_response') return ticket;
  const { dueAt, firstResponseAt, ...rest } = ticket;
  const due = metric === 'next_response' ? ticket.nextResponseDueAt : ticket.resolutionDueAt;
  return due === undefined ? rest : { ...rest, dueAt: due };
}

/** Working time left before the deadline at `now` (0 once it has passed). */
export function workingTimeLeft(ticket: Ticket, clock: TicketClock, now: number): number {
  return ticket.dueAt === undefined ? 0 : workingTimeBetween(now, ticket.dueAt, clock.calendar);
}

/** Share of the window used at `now`, in percent (100 once breached, never more). */
export function percentUsed(ticket: Ticket, clock: TicketClock, now: number): number {
  if (ticket.dueAt === undefined) return 0;
  if (now > ticket.dueAt) return 100;
  const used = clock.targetMs - workingTimeLeft(ticket, clock, now);
  return Math.max(0, Math.min(100, (used / clock.targetMs) * 100));
}

/** Working time that may still be left when the stage is reached. */
function allowance(stage: StageRule, clock: TicketClock): number {
  return Math.round(((100 - stage.percent) * clock.targetMs) / 100);
}

export function isReached(stage: StageRule, ticket: Ticket, clock: TicketClock, now: number): boolean {
  if (ticket.dueAt === undefined) return false;
  if (stage.percent >= 100) return now > ticket.dueAt;
  return workingTimeLeft(ticket, clock, now) <= allowance(stage, clock);
}

/** The most severe stage reached at `now`, if any. */
export function reachedStage(
  rules: TicketReminderRules,
  ticket: Ticket,
  clock: TicketClock,
  now: number,
): StageRule | undefined {
  let reached: StageRule | undefined;
  for (const stage of rules.stages) if (isReached(stage, ticket, clock, now)) reached = stage;
  return reached;
}

/**
 * When the stage will be reached if the clock keeps running from `now` (`now` if it is
 * already). The breach time depends on the deadline only, so re-planning a breached
 * ticket does not move its row.
 */
export function stageTime(stage: StageRule, ticket: Ticket, clock: TicketClock, now: number): number {
  if (ticket.dueAt === undefined) return now;
  // The deadline is the last on-time instant (see calendar.ts): the breach is the next one.
  if (stage.percent >= 100) return ticket.dueAt + 1;
  const wait = workingTimeLeft(ticket, clock, now) - allowance(stage, clock);
  return wait <= 0 ? now : addWorkingTime(now, wait, clock.calendar);
}

/** Every stage of a running ticket with the time it falls due. */
export function planTicketStages(
  rules: TicketReminderRules,
  ticket: Ticket,
  clock: TicketClock,
  now: number,
  metric: SlaMetric = 'first_response',
): PlannedReminder[] {
  const subject = subjects.ofTicket(ticket, metric);
  return rules.stages.map((stage) => ({
    subject,
    stage: stage.id,
    dueAt: stageTime(stage, ticket, clock, now),
  }));
}

/**
 * What to do with a due row of this ticket: send it when its stage is the most severe one
 * reached (and quiet hours allow), skip it when a more severe one is reached, defer it when
 * its stage is not reached yet, cancel it when the clock no longer runs.
 */
export function decideTicketReminder(
  row: Pick<Reminder, 'stage' | 'round' | 'lastSentAt' | 'dueAt'>,
  ticket: Ticket | undefined,
  clock: TicketClock | undefined,
  rules: TicketReminderRules,
  now: number,
): Decision {
  if (!ticket || !clock || !clockRuns(ticket)) return { action: 'cancel' };
  const stage = rules.stages.find((s) => s.id === row.stage);
  if (!stage) return { action: 'cancel' }; // the stage was removed from the configuration
  const reached = reachedStage(rules, ticket, clock, now);
  if (!reached || reached.percent < stage.percent) {
    return { action: 'defer', until: Math.max(now + 1, stageTime(stage, ticket, clock, now)) };
  }
  if (reached.percent > stage.percent) return { action: 'skip' };
  const calendar = clock.calendar;
  const breach = stage.percent >= 100;
  const quiet = breach ? rules.breachAlerts === 'working_hours' : rules.quietHours;
  if (quiet && calendar && !isWorkingTime(now, calendar)) {
    return { action: 'defer', until: nextWorkingInstant(now, calendar) };
  }
  const repeatMs =
    breach && rules.repeatEveryWorkingHours ? Math.round(rules.repeatEveryWorkingHours * HOUR_MS) : undefined;
  if (row.round > 0) {
    if (repeatMs === undefined) return { action: 'cancel' }; // repeats were switched off
    const next = addWorkingTime(row.lastSentAt ?? row.dueAt, repeatMs, calendar);
    if (next > now) return { action: 'defer', until: next };
  }
  return {
    action: 'send',
    stage,
    round: row.round,
    ...(repeatMs !== undefined ? { rearmAt: addWorkingTime(now, repeatMs, calendar) } : {}),
  };
}
