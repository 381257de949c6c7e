/**
 * The business calendar data file (config/calendars/*.json): time zone, working hours
 * per weekday, holidays and make-up working days (China's 调休 weekends).
 *
 * Every message names the field and says what was expected, because the person reading
 * it is a vendor editing JSON by hand, usually once a year when the holiday notice is out.
 */
import { z } from 'zod';
import { truncateUnits } from '../graphemes';
import { dayToDate, naiveDay } from './zone';

/** Weekday keys in dayjs order (0 = Sunday), the order `day()` returns. */
export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

const TIME_RE = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Minutes since midnight of an "HH:mm" string ("24:00" -> 1440). */
export function timeToMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * Like timeToMinutes, but NaN for anything that is not a time string: zod runs some
 * refinements even after an inner element failed, and garbage must not throw there.
 */
function minutesOf(value: unknown): number {
  return typeof value === 'string' && (TIME_RE.test(value) || value === '24:00')
    ? timeToMinutes(value)
    : Number.NaN;
}

/** A short, quoted rendering of a bad value for an error message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return truncateUnits(text, 40, '...');
}

const required =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `is required: expected ${expected}`
      : `expected ${expected}, got ${show(issue.input)}`;

function time(allow24: boolean) {
  const expected = `a time "HH:mm" (${allow24 ? '00:00–24:00' : '00:00–23:59'})`;
  return z.string({ error: required(expected) }).superRefine((value, ctx) => {
    if (TIME_RE.test(value) || (allow24 && value === '24:00')) return;
    const hint = value === '24:00' ? '; 24:00 is only allowed as an end time' : '';
    ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${show(value)}${hint}` });
  });
}

const interval = z
  .tuple([time(false), time(true)], {
    error: required('a [start, end] pair such as ["09:00", "12:00"]'),
  })
  .superRefine(([start, end], ctx) => {
    if (minutesOf(end) <= minutesOf(start)) {
      ctx.addIssue({
        code: 'custom',
        message: `interval ${show([start, end])} does not end after it starts; expected end > start`,
      });
    }
  });

const hours = z
  .array(interval, { error: required('a list of [start, end] pairs ([] for a day off)') })
  .superRefine((list, ctx) => {
    for (let i = 1; i < list.length; i++) {
      const previous: unknown = list[i - 1];
      const current: unknown = list[i];
      if (!Array.isArray(previous) || !Array.isArray(current)) continue;
      if (minutesOf(current[0]) < minutesOf(previous[1])) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `interval ${show(current)} starts before ${show(previous)} ends; expected intervals in time order, not overlapping`,
        });
      }
    }
  });

const date = z.string({ error: required('a date "YYYY-MM-DD"') }).superRefine((value, ctx) => {
  if (!DATE_RE.test(value)) {
    ctx.addIssue({ code: 'custom', message: `expected a date "YYYY-MM-DD", got ${show(value)}` });
  } else if (dayToDate(naiveDay(value)) !== value) {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a day of the calendar; expected a real date`,
    });
  }
});

const timezone = z.string({ error: required('an IANA time zone name') }).superRefine((value, ctx) => {
  try {
    // Intl is what dayjs's timezone plugin uses, so what it accepts is what will work.
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `${show(value)} is not a time zone known to Intl; expected an IANA name such as "Asia/Shanghai" or "America/New_York"`,
    });
  }
});

const unknownKeys =
  (expected: string) =>
  (issue: { code?: string; input?: unknown; keys?: string[] }): string =>
    issue.code === 'unrecognized_keys'
      ? `unknown key ${issue.keys?.map((k) => show(k)).join(', ')}; expected only ${expected}`
      : required(`an object with ${expected}`)(issue);

const week = z
  .strictObject(
    { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours },
    { error: unknownKeys('mon, tue, wed, thu, fri, sat, sun') },
  )
  .superRefine((value, ctx) => {
    const days: Record<string, unknown> = value;
    if (WEEKDAY_KEYS.every((key) => !Array.isArray(days[key]) || days[key].length === 0)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'no weekday has working hours; expected at least one day with intervals (deadlines would never come)',
      });
    }
  });

const workday = z.strictObject(
  { date, hours: hours.optional() },
  { error: unknownKeys('"date" and optionally "hours" (Monday\'s hours when omitted)') },
);

/** Schema of one business calendar file. */
export const calendarSchema = z
  .strictObject(
    {
      id: z.string({ error: required('a calendar id') }).regex(ID_RE, {
        error: (issue) =>
          `expected an id of letters, digits, "-" or "_" such as "cn-workdays", got ${show(issue.input)}`,
      }),
      note: z.string({ error: required('a text note') }).optional(),
      timezone,
      week,
      through: date.optional(),
      holidays: z.array(date, { error: required('a list of dates "YYYY-MM-DD"') }).default([]),
      workdays: z
        .array(workday, { error: required('a list of { "date": "YYYY-MM-DD", "hours"?: [...] }') })
        .default([]),
    },
    { error: unknownKeys('id, note, timezone, week, through, holidays, workdays') },
  )
  .superRefine((cal, ctx) => {
    // Guarded: this may run on a partly invalid file (see minutesOf).
    if (!Array.isArray(cal.holidays) || !Array.isArray(cal.workdays)) return;
    const holidays = new Set<unknown>(cal.holidays);
    const seen = new Set<unknown>();
    cal.workdays.forEach((entry, i) => {
      if (typeof entry !== 'object' || entry === null) return;
      if (holidays.has(entry.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i, 'date'],
          message: `${entry.date} is both a holiday and a make-up workday; expected one or the other`,
        });
      }
      if (seen.has(entry.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i, 'date'],
          message: `${entry.date} is listed twice in workdays; expected each date once`,
        });
      }
      seen.add(entry.date);
      if (entry.hours?.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['workdays', i, 'hours'],
          message: 'is empty; expected working hours, or omit "hours" to use Monday\'s',
        });
      }
    });
  });

/** A validated business calendar, as read from config/calendars/<id>.json. */
export type WorkCalendar = z.output<typeof calendarSchema>;

/** A calendar file that does not validate; `problems` holds one readable line per issue. */
export class CalendarConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid business calendar ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CalendarConfigError';
  }
}

/** `week.mon[1][0]` style path of an issue, or `(file)` at the top. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(file)';
}

/** One line per issue: `<path>: <what was wrong and what was expected>`. */
export function describeCalendarIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Validates raw JSON; throws CalendarConfigError naming `source` (e.g. the file path). */
export function parseCalendar(input: unknown, source = 'calendar'): WorkCalendar {
  const result = calendarSchema.safeParse(input);
  if (!result.success) throw new CalendarConfigError(source, describeCalendarIssues(result.error));
  return result.data;
}
