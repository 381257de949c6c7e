/**
 * Deadlines from business calendars: a plan's first-response target is counted in its
 * calendar's working time, or in calendar hours when the plan names no calendar. The
 * same policy tells the reminder stages how long a ticket's window is and in which
 * calendar to count it.
 */
import type { Priority, Ticket } from '../model';
import type { Plan, PlanBook } from '../plans';
import type { DeadlinePolicy } from '../tickets';
import { addWorkingTime, resumeDeadline, type WorkCalendar, workingTimeBetween } from './calendar';
import { type CalendarCoverage, calendarsRunningOut } from './coverage';
import { type SlaMetric, targetMs } from './metrics';

/** How a ticket's first-response clock counts: its target and the calendar it runs on. */
export interface TicketClock {
  readonly targetMs: number;
  /** Absent: calendar hours (24×7). */
  readonly calendar: WorkCalendar | undefined;
}

export class SlaPolicy implements DeadlinePolicy {
  constructor(
    private readonly calendars: ReadonlyMap<string, WorkCalendar>,
    private readonly plans: PlanBook,
  ) {}

  /** The plan a ticket was opened under, if the catalogue still has it. */
  planOf(ticket: Pick<Ticket, 'plan'>): Plan | undefined {
    return this.plans.get(ticket.plan);
  }

  /** The plan's business calendar; undefined for calendar hours. */
  calendarOf(plan: Pick<Plan, 'calendar'> | undefined): WorkCalendar | undefined {
    if (!plan?.calendar) return undefined;
    const calendar = this.calendars.get(plan.calendar);
    // config/load.ts refuses a plan naming a calendar it did not load, so this is a bug.
    if (!calendar) throw new Error(`plan calendar "${plan.calendar}" is not loaded`);
    return calendar;
  }

  /**
   * The business calendars some plan counts in whose holiday lists end within
   * `withinDays` of `now` (or have ended): deadlines after that treat holidays as work.
   */
  calendarsRunningOut(now: number, withinDays: number): CalendarCoverage[] {
    const used = new Set<WorkCalendar>();
    for (const id of this.plans.ids()) {
      const calendar = this.calendarOf(this.plans.get(id));
      if (calendar) used.add(calendar);
    }
    return calendarsRunningOut(used, now, withinDays);
  }

  dueAt(
    start: number,
    plan: Plan,
    metric: SlaMetric = 'first_response',
    priority: Priority = 'p2',
  ): number | undefined {
    const ms = targetMs(plan, metric, priority);
    if (ms === undefined) return undefined;
    return addWorkingTime(start, ms, this.calendarOf(plan));
  }

  retarget(dueAt: number, now: number, fromMs: number, toMs: number, plan: Plan): number {
    const calendar = this.calendarOf(plan);
    // Working time used so far; a breach already past keeps counting from its deadline.
    const used = now <= dueAt ? fromMs - workingTimeBetween(now, dueAt, calendar) : fromMs;
    if (now > dueAt && toMs <= fromMs) return dueAt;
    return toMs > used ? addWorkingTime(now <= dueAt ? now : dueAt, toMs - used, calendar) : now;
  }

  afterPause(dueAt: number, pausedAt: number, resumedAt: number, plan: Plan): number {
    return resumeDeadline(dueAt, pausedAt, resumedAt, this.calendarOf(plan));
  }

  /**
   * The ticket's clock, from the plan it was opened under. A plan since removed from the
   * catalogue keeps its window as it was: creation to deadline, in calendar hours.
   */
  clockOf(ticket: Ticket, metric: SlaMetric = 'first_response'): TicketClock | undefined {
    if (metric !== 'first_response') {
      const plan = this.plans.get(ticket.plan);
      const target = plan && targetMs(plan, metric, ticket.priority);
      // A plan since removed, or a target since switched off: that promise is no longer watched.
      return plan && target ? { targetMs: target, calendar: this.calendarOf(plan) } : undefined;
    }
    if (ticket.dueAt === undefined) return undefined;
    const plan = this.plans.get(ticket.plan);
    const target = plan && targetMs(plan, 'first_response', ticket.priority);
    if (plan && target) return { targetMs: target, calendar: this.calendarOf(plan) };
    const window = workingTimeBetween(ticket.createdAt, ticket.dueAt);
    return window > 0 ? { targetMs: window, calendar: undefined } : undefined;
  }
}
