/**
 * Wall-clock <-> instant conversion in an IANA time zone, built on dayjs's utc and
 * timezone plugins.
 *
 * Why not `dayjs.tz('2026-03-08 02:30', zone)` directly: that call guesses the offset
 * from the *current* date (so DST ambiguity resolves differently in summer and winter)
 * and its instant -> zone path re-parses a locale string in the host's own zone, which
 * shifts by an hour when the host itself has DST. Here only two dayjs operations are
 * trusted: the zone's UTC offset at an instant (read from Intl by the timezone plugin)
 * and UTC-mode parsing/formatting, which never touches the host zone.
 *
 * "Naive" times below are wall-clock fields encoded as if they were UTC milliseconds
 * (2026-03-08 09:00 local -> Date.UTC(2026, 2, 8, 9, 0)); they make wall-clock date
 * arithmetic plain integer arithmetic with no DST in it.
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** UTC offset of `zone` at instant `ms`, in minutes east of UTC. */
export function offsetAt(ms: number, zone: string): number {
  // tz() reads the offset through Intl.DateTimeFormat#formatToParts; utcOffset() returns it as is.
  return dayjs(ms).tz(zone).utcOffset();
}

/** Naive midnight of a `YYYY-MM-DD` date (see the module comment). */
export function naiveDay(date: string): number {
  return dayjs.utc(date).valueOf() / DAY_MS;
}

/** `YYYY-MM-DD` of a local day number. */
export function dayToDate(day: number): string {
  return dayjs.utc(day * DAY_MS).format('YYYY-MM-DD');
}

/** Day of the week of a local day number, 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: number): number {
  return dayjs.utc(day * DAY_MS).day();
}

/**
 * The instant at which the wall clock in `zone` first reads `naive` or later.
 *
 * - ordinary time: the one instant showing that wall time;
 * - repeated hour (fall-back): the first of the two instants;
 * - skipped hour (spring-forward, e.g. 02:30 in New York on 2026-03-08): the transition
 *   instant (03:00 EDT), because that is when the clock first shows a later time.
 *
 * This rule is monotonic in `naive`, so ordered, non-overlapping working hours stay
 * ordered and non-overlapping as instants, and "24:00" (= next day 00:00) closes a day
 * exactly where the next one opens: a 00:00–24:00 day lasts 23 h or 25 h on switch days.
 */
export function wallToInstant(naive: number, zone: string): number {
  // Offsets a day either side bracket any transition near this wall time. Assumed: a zone
  // changes offset at most once in that window (true of real zones in modern times; the
  // closest pairs, such as Morocco's Ramadan pauses, are weeks apart).
  return wallToInstantWithin(naive, zone, offsetAt(naive - DAY_MS, zone), offsetAt(naive + DAY_MS, zone));
}

/**
 * wallToInstant with the bracketing offsets supplied: `before` and `after` are the
 * zone's offsets at instants before and after any transition that could touch `naive`.
 * Lets a caller converting several times of one day look the bracket up once.
 */
export function wallToInstantWithin(naive: number, zone: string, before: number, after: number): number {
  // Same offset on both sides: no transition in between (at most one is assumed), no lookup needed.
  if (before === after) return naive - before * MINUTE_MS;
  const early = naive - Math.max(before, after) * MINUTE_MS;
  const late = naive - Math.min(before, after) * MINUTE_MS;
  if (offsetAt(early, zone) === Math.max(before, after)) return early;
  if (offsetAt(late, zone) === Math.min(before, after)) return late;
  return transitionInstant(naive - after * MINUTE_MS, naive - before * MINUTE_MS, before, zone);
}

/** First instant in (lo, hi] whose offset is no longer `before` (binary search, 1 ms resolution). */
function transitionInstant(lo: number, hi: number, before: number, zone: string): number {
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (offsetAt(mid, zone) === before) low = mid;
    else high = mid;
  }
  return high;
}

/** ISO 8601 with the zone's offset at that instant, e.g. `2026-03-09T01:00:00-04:00`. */
export function toZonedIso(ms: number, zone: string): string {
  const offset = offsetAt(ms, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${dayjs.utc(ms + offset * MINUTE_MS).format('YYYY-MM-DDTHH:mm:ss')}${sign}${hh}:${mm}`;
}
