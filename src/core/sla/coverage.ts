/**
 * How far a business calendar's holiday list reaches. Holidays and make-up working days
 * are published a year at a time (China's State Council notice, usually in November), so
 * a calendar file is only right up to a date; after it, holidays count as working days.
 * GroupDesk cannot know next year's dates, but it can say — early and where managers
 * read it — that they are missing.
 *
 * The end is the calendar's `through` date when given; otherwise 31 December of the last
 * year that has a holiday or make-up day listed; a calendar listing neither has no end
 * (a plain weekly schedule is always right).
 */
import type { WorkCalendar } from './calendar.schema';
import { naiveDay, toZonedIso } from './zone';

export interface CalendarCoverage {
  readonly id: string;
  /** Last date (`YYYY-MM-DD`) the holiday and make-up-day lists are complete for. */
  readonly through: string;
  /** Whole days from today (in the calendar's zone) to `through`; negative once past. */
  readonly daysLeft: number;
}

/** The last date the calendar's lists are known to cover; undefined for none needed. */
export function coverageEnd(cal: WorkCalendar): string | undefined {
  if (cal.through !== undefined) return cal.through;
  let last: string | undefined;
  for (const date of [...cal.holidays, ...cal.workdays.map((w) => w.date)]) {
    if (last === undefined || date > last) last = date;
  }
  return last === undefined ? undefined : `${last.slice(0, 4)}-12-31`;
}

/**
 * Calendars whose lists end within `withinDays` of `now` (or already ended), soonest
 * first. `withinDays` 0 turns the warning off.
 */
export function calendarsRunningOut(
  calendars: Iterable<WorkCalendar>,
  now: number,
  withinDays: number,
): CalendarCoverage[] {
  if (withinDays <= 0) return [];
  const found: CalendarCoverage[] = [];
  for (const cal of calendars) {
    const through = coverageEnd(cal);
    if (through === undefined) continue;
    const today = toZonedIso(now, cal.timezone).slice(0, 10);
    const daysLeft = naiveDay(through) - naiveDay(today);
    if (daysLeft < withinDays) found.push({ id: cal.id, through, daysLeft });
  }
  return found.sort((a, b) => a.daysLeft - b.daysLeft || a.id.localeCompare(b.id));
}
