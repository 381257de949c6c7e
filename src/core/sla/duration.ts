/**
 * Splits a duration into the parts locale files format ("2 h 10 min", "2小时10分钟").
 * Nothing here is locale-specific; the wording lives with the locales.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from './zone';

/** Whole days (24 h each), hours and minutes of a duration. */
export interface DurationParts {
  readonly days: number;
  readonly hours: number;
  readonly minutes: number;
}

/**
 * Parts of `|ms|`, minutes floored (59.9 s shows as 0 min, never rounds up to a late
 * "1 min"). The sign is the caller's: it picks "due in" or "overdue by".
 */
export function splitDuration(ms: number): DurationParts {
  if (!Number.isFinite(ms)) throw new RangeError(`duration must be a finite number of ms, got ${ms}`);
  const totalMinutes = Math.floor(Math.abs(ms) / MINUTE_MS);
  return {
    days: Math.floor(totalMinutes / (DAY_MS / MINUTE_MS)),
    hours: Math.floor((totalMinutes % (DAY_MS / MINUTE_MS)) / (HOUR_MS / MINUTE_MS)),
    minutes: totalMinutes % (HOUR_MS / MINUTE_MS),
  };
}
