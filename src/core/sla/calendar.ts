/**
 * Working-time arithmetic for SLA clocks: "when have 8 working hours passed since this
 * ticket was opened?" and the reverse. Pure functions over epoch milliseconds.
 *
 * A calendar of `undefined`/`null` means 24×7 calendar hours: plain elapsed time.
 * With a calendar, working hours are wall-clock times in the calendar's zone, turned into
 * instants one local day at a time (see zone.ts for DST rules), so a 09:00–17:00 day is
 * 8 h even on a DST switch day and a 00:00–24:00 day lasts 23 h or 25 h there.
 *
 * A deadline is the *last* instant at which exactly the duration has elapsed, i.e. when
 * the clock starts counting past it: 1 h of work from 11:00 with a 12:00–13:30 lunch
 * break is due at 13:30, and work running out at 18:00 on Friday is due Monday 09:00.
 * So `respondedAt <= dueAt` means exactly "answered within the target's working time"
 * (a reply during lunch is on time), and a deadline never falls in a break.
 */
import { timeToMinutes, WEEKDAY_KEYS, type WorkCalendar } from './calendar.schema';
import {
  DAY_MS,
  dayToDate,
  HOUR_MS,
  MINUTE_MS,
  offsetAt,
  toZonedIso,
  wallToInstantWithin,
  weekdayOf,
} from './zone';

export type { WorkCalendar } from './calendar.schema';

/** How far ahead a search for working time may go before giving up. */
export const MAX_SEARCH_DAYS = 3 * 366;
/** Largest span workingTimeBetween measures (guards against garbage such as MAX_SAFE_INTEGER). */
const MAX_SPAN_DAYS = 100 * 366;
/** Day-span cache size per calendar; a few years of days, then start over. */
const CACHE_DAYS = 4096;

/** A calendar cannot answer within MAX_SEARCH_DAYS (no working time, or a huge duration). */
export class WorkingTimeLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkingTimeLimitError';
  }
}

/** Working intervals in minutes since local midnight; end may be 1440 (24:00). */
type DayHours = ReadonlyArray<readonly [number, number]>;
/** Working intervals as instants [start, end), in time order. */
type Span = readonly [number, number];

interface Compiled {
  readonly cal: WorkCalendar;
  readonly week: readonly DayHours[]; // index 0 = Sunday
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlyMap<string, DayHours>;
  readonly spans: Map<number, readonly Span[]>;
  /** Zone offset at the UTC start of a day number: day brackets share them. */
  readonly offsets: Map<number, number>;
}

// Keyed by the parsed object: calendars are loaded once and never mutated (make a copy to change one).
const compiledCache = new WeakMap<WorkCalendar, Compiled>();

function toDayHours(list: ReadonlyArray<readonly [string, string]>): DayHours {
  return list.map(([start, end]) => [timeToMinutes(start), timeToMinutes(end)] as const);
}

function compile(cal: WorkCalendar): Compiled {
  let compiled = compiledCache.get(cal);
  if (!compiled) {
    const week = WEEKDAY_KEYS.map((key) => toDayHours(cal.week[key]));
    const monday = week[1]!;
    compiled = {
      cal,
      week,
      holidays: new Set(cal.holidays),
      workdays: new Map(cal.workdays.map((w) => [w.date, w.hours ? toDayHours(w.hours) : monday])),
      spans: new Map(),
      offsets: new Map(),
    };
    compiledCache.set(cal, compiled);
  }
  return compiled;
}

/** The working spans of one local day, as instants (cached per calendar). */
function spansOn(c: Compiled, day: number): readonly Span[] {
  const cached = c.spans.get(day);
  if (cached) return cached;
  const date = dayToDate(day);
  const hours = c.holidays.has(date) ? [] : (c.workdays.get(date) ?? c.week[weekdayOf(day)]!);
  const midnight = day * DAY_MS;
  // One bracket for the whole day (00:00 to 24:00), a day either side; see wallToInstant.
  const before = hours.length ? offsetOnDay(c, day - 1) : 0;
  const after = hours.length ? offsetOnDay(c, day + 2) : 0;
  const spans: Span[] = [];
  for (const [from, to] of hours) {
    const start = wallToInstantWithin(midnight + from * MINUTE_MS, c.cal.timezone, before, after);
    const end = wallToInstantWithin(midnight + to * MINUTE_MS, c.cal.timezone, before, after);
    if (end > start) spans.push([start, end]); // an interval inside a skipped DST hour is empty
  }
  if (c.spans.size >= CACHE_DAYS) c.spans.clear();
  c.spans.set(day, spans);
  return spans;
}

function offsetOnDay(c: Compiled, day: number): number {
  let offset = c.offsets.get(day);
  if (offset === undefined) {
    offset = offsetAt(day * DAY_MS, c.cal.timezone);
    if (c.offsets.size >= CACHE_DAYS) c.offsets.clear();
    c.offsets.set(day, offset);
  }
  return offset;
}

/**
 * Working spans that end after `fromMs`, clipped to start no earlier than it, in time
 * order, over at most `maxDays` local days.
 *
 * Starts the day before the UTC day of `fromMs` rather than asking the zone for the local
 * day (offset lookups are the costly part): UTC offsets stay within ±14 h, so the local
 * day is never earlier than that, and no earlier day has a span reaching `fromMs`.
 * A day too early only costs skipping its cached spans.
 */
function* spansFrom(c: Compiled, fromMs: number, maxDays: number): Generator<Span> {
  const first = Math.floor(fromMs / DAY_MS) - 1;
  for (let day = first; day <= first + maxDays + 1; day++) {
    for (const [start, end] of spansOn(c, day)) {
      if (end > fromMs) yield [Math.max(start, fromMs), end];
    }
  }
}

function assertInstant(name: string, ms: number): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${name} must be a finite epoch time in ms, got ${ms}`);
}

function assertDuration(name: string, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`${name} must be a finite duration >= 0 ms, got ${ms}`);
}

function noWorkingTime(c: Compiled, fromMs: number, what: string): WorkingTimeLimitError {
  return new WorkingTimeLimitError(
    `calendar "${c.cal.id}" ${what} in the ${MAX_SEARCH_DAYS} days after ${toZonedIso(fromMs, c.cal.timezone)}`,
  );
}

/**
 * The instant at which `durationMs` of working time has elapsed after `startMs`: the last
 * such instant, always working time (a duration of 0 gives the next working instant).
 * Without a calendar: `startMs + durationMs`.
 * @throws WorkingTimeLimitError when the calendar cannot supply that much within MAX_SEARCH_DAYS.
 */
export function addWorkingTime(startMs: number, durationMs: number, cal?: WorkCalendar | null): number {
  assertInstant('startMs', startMs);
  assertDuration('durationMs', durationMs);
  if (!cal) return startMs + durationMs;
  const c = compile(cal);
  let remaining = durationMs;
  let found = false;
  for (const [start, end] of spansFrom(c, startMs, MAX_SEARCH_DAYS)) {
    found = true;
    // Strictly less: work running out at a span's end is due at the next span's start.
    if (remaining < end - start) return start + remaining;
    remaining -= end - start;
  }
  throw noWorkingTime(
    c,
    startMs,
    found ? `offers less than ${durationMs} ms of working time` : 'has no working time',
  );
}

/** Working time in [aMs, bMs); 0 when bMs <= aMs. Without a calendar: bMs - aMs. */
export function workingTimeBetween(aMs: number, bMs: number, cal?: WorkCalendar | null): number {
  assertInstant('aMs', aMs);
  assertInstant('bMs', bMs);
  if (bMs <= aMs) return 0;
  if (!cal) return bMs - aMs;
  const days = Math.ceil((bMs - aMs) / DAY_MS) + 2;
  if (days > MAX_SPAN_DAYS)
    throw new RangeError(`cannot measure working time over more than ${MAX_SPAN_DAYS} days`);
  let total = 0;
  for (const [start, end] of spansFrom(compile(cal), aMs, days)) {
    if (start >= bMs) break;
    total += Math.min(end, bMs) - start;
  }
  return total;
}

/**
 * `ms` itself when it is working time, otherwise the start of the next working interval.
 * @throws WorkingTimeLimitError when there is none within MAX_SEARCH_DAYS.
 */
export function nextWorkingInstant(ms: number, cal?: WorkCalendar | null): number {
  assertInstant('ms', ms);
  if (!cal) return ms;
  const c = compile(cal);
  for (const [start] of spansFrom(c, ms, MAX_SEARCH_DAYS)) return start;
  throw noWorkingTime(c, ms, 'has no working time');
}

/** Whether the SLA clock runs at `ms` (intervals are [start, end): 12:00 is lunch, 13:30 is work). */
export function isWorkingTime(ms: number, cal?: WorkCalendar | null): boolean {
  assertInstant('ms', ms);
  if (!cal) return true;
  for (const [start] of spansFrom(compile(cal), ms, 1)) return start === ms;
  return false;
}

/** Deadline for a target of `targetHours` working hours (fractions allowed) from creation. */
export function deadlineFor(createdMs: number, targetHours: number, cal?: WorkCalendar | null): number {
  assertDuration('targetHours', targetHours);
  return addWorkingTime(createdMs, Math.round(targetHours * HOUR_MS), cal);
}

/**
 * The deadline after the clock was paused (waiting on the customer) from `pausedMs` to
 * `resumedMs`: pushed back by the working time that elapsed during the pause. A deadline
 * already missed when the pause began stays missed: pausing does not undo a breach.
 */
export function resumeDeadline(
  dueMs: number,
  pausedMs: number,
  resumedMs: number,
  cal?: WorkCalendar | null,
): number {
  assertInstant('dueMs', dueMs);
  if (pausedMs >= dueMs) return dueMs;
  return addWorkingTime(dueMs, workingTimeBetween(pausedMs, resumedMs, cal), cal);
}
