/**
 * Deadlines from business calendars: a plan's first-response target is counted in its
 * calendar's working time, or in calendar hours when the plan names no calendar. The
 * same policy tells the reminder stages how long a ticket's window is and in which
 * calendar to count it.
 */
import type { Ticket } from '../model';
import type { Plan, PlanBook } from '../plans';
import type { DeadlinePolicy } from '../tickets';
import { deadlineFor, resumeDeadline, type WorkCalendar, workingTimeBetween } from './calendar';
import { type CalendarCoverage, calendarsRunningOut } from './coverage';
import { HOUR_MS } from './zone';

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

  dueAt(start: number, plan: Plan): number | undefined {
    if (plan.firstResponseHours === null) return undefined;
    return deadlineFor(start, plan.firstResponseHours, this.calendarOf(plan));
  }

  afterPause(dueAt: number, pausedAt: number, resumedAt: number, plan: Plan): number {
    return resumeDeadline(dueAt, pausedAt, resumedAt, this.calendarOf(plan));
  }

  /**
   * The ticket's clock, from the plan it was opened under. A plan since removed from the
   * catalogue keeps its window as it was: creation to deadline, in calendar hours.
   */
  clockOf(ticket: Ticket): TicketClock | undefined {
    if (ticket.dueAt === undefined) return undefined;
    const plan = this.plans.get(ticket.plan);
    if (plan?.firstResponseHours) {
      return { targetMs: Math.round(plan.firstResponseHours * HOUR_MS), calendar: this.calendarOf(plan) };
    }
    const window = workingTimeBetween(ticket.createdAt, ticket.dueAt);
    return window > 0 ? { targetMs: window, calendar: undefined } : undefined;
  }
}
