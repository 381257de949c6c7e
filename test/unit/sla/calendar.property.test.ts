/**
 * Properties of the working-time arithmetic over many seeded pseudo-random cases, plus an
 * independent oracle (Intl read directly, minute by minute) for the calendars whose hours
 * never touch a DST switch hour.
 */
import {
  addWorkingTime,
  isWorkingTime,
  nextWorkingInstant,
  type WorkCalendar,
  workingTimeBetween,
} from '../../../src/core/sla/calendar';
import { WEEKDAY_KEYS, type WeekdayKey } from '../../../src/core/sla/calendar.schema';
import { at, cn, everyDay, H, MIN, nightShift, nyAllDay, nyNight, nyNineToFive, us } from './calendars';

/** mulberry32: tiny deterministic PRNG, so a failure replays with the same seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FROM = at('2025-06-01T00:00:00Z');
const TO = at('2027-06-01T00:00:00Z');

function randomInt(rand: () => number, below: number): number {
  return Math.floor(rand() * below);
}

/** Durations of every scale: zero, exact hours, minutes, odd milliseconds, weeks of work. */
function randomDuration(rand: () => number): number {
  switch (randomInt(rand, 5)) {
    case 0:
      return 0;
    case 1:
      return (1 + randomInt(rand, 24)) * H;
    case 2:
      return randomInt(rand, 120) * MIN;
    case 3:
      return randomInt(rand, 40 * H);
    default:
      return randomInt(rand, 400 * H);
  }
}

const calendars: Array<[string, WorkCalendar]> = [
  ['cn-workdays', cn],
  ['us-eastern', us],
  ['New York 09:00–17:00 daily', nyNineToFive],
  ['New York 01:00–03:30 (DST hours)', nyNight],
  ['Shanghai night shift', nightShift],
  [
    'Lord Howe (30 min DST)',
    everyDay('Australia/Lord_Howe', [
      ['01:30', '03:00'],
      ['09:00', '17:00'],
    ]),
  ],
];

describe.each(calendars)('properties: %s', (_name, cal) => {
  it('measuring back the working time added gives the same duration', () => {
    const rand = prng(1);
    for (let i = 0; i < 300; i++) {
      const start = FROM + randomInt(rand, TO - FROM);
      const duration = randomDuration(rand);
      const due = addWorkingTime(start, duration, cal);
      expect([start, duration, workingTimeBetween(start, due, cal)]).toEqual([start, duration, duration]);
      expect(isWorkingTime(due, cal)).toBe(true);
    }
  });

  it('is strictly increasing in the duration, and 0 gives the next working instant', () => {
    const rand = prng(2);
    for (let i = 0; i < 150; i++) {
      const start = FROM + randomInt(rand, TO - FROM);
      const durations = [randomDuration(rand), randomDuration(rand), randomDuration(rand)].sort(
        (a, b) => a - b,
      );
      const dues = durations.map((d) => addWorkingTime(start, d, cal));
      for (let k = 1; k < dues.length; k++) {
        if (durations[k]! > durations[k - 1]!) expect(dues[k]!).toBeGreaterThan(dues[k - 1]!);
        else expect(dues[k]).toBe(dues[k - 1]);
      }
      expect(addWorkingTime(start, 0, cal)).toBe(nextWorkingInstant(start, cal));
      expect(nextWorkingInstant(start, cal)).toBeGreaterThanOrEqual(start);
    }
  });

  it('adding in two steps equals adding at once', () => {
    const rand = prng(3);
    for (let i = 0; i < 150; i++) {
      const start = FROM + randomInt(rand, TO - FROM);
      const [d1, d2] = [randomDuration(rand), randomDuration(rand)];
      expect(addWorkingTime(addWorkingTime(start, d1, cal), d2, cal)).toBe(
        addWorkingTime(start, d1 + d2, cal),
      );
    }
  });

  it('working time is additive over a split point and agrees with isWorkingTime', () => {
    const rand = prng(4);
    for (let i = 0; i < 150; i++) {
      const a = FROM + randomInt(rand, TO - FROM);
      const b = a + randomInt(rand, 20 * 24 * H);
      const mid = a + randomInt(rand, b - a + 1);
      expect(workingTimeBetween(a, mid, cal) + workingTimeBetween(mid, b, cal)).toBe(
        workingTimeBetween(a, b, cal),
      );
      expect(workingTimeBetween(mid, mid + 1, cal)).toBe(isWorkingTime(mid, cal) ? 1 : 0);
    }
  });
});

describe('a 00:00–24:00 calendar is the same as no calendar, across DST', () => {
  it('add and measure agree with plain elapsed time', () => {
    const rand = prng(5);
    for (let i = 0; i < 300; i++) {
      const start = FROM + randomInt(rand, TO - FROM);
      const duration = randomDuration(rand);
      expect(addWorkingTime(start, duration, nyAllDay)).toBe(start + duration);
      expect(workingTimeBetween(start, start + duration, nyAllDay)).toBe(duration);
    }
  });
});

/** Working-or-not read straight from Intl's wall clock: an implementation that shares no code. */
function oracle(cal: WorkCalendar): (ms: number) => boolean {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: cal.timezone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const holidays = new Set(cal.holidays);
  const workdays = new Map(cal.workdays.map((w) => [w.date, w.hours ?? cal.week.mon]));
  return (ms) => {
    const p = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
    const date = `${p.year}-${p.month}-${p.day}`;
    const weekday = p.weekday?.toLowerCase() as WeekdayKey;
    if (!WEEKDAY_KEYS.includes(weekday)) throw new Error(`oracle: unexpected weekday ${p.weekday}`);
    const hours = holidays.has(date) ? [] : (workdays.get(date) ?? cal.week[weekday]);
    const time = `${p.hour}:${p.minute}`; // boundaries are whole minutes, so the minute decides
    return hours.some(([start, end]) => start <= time && time < end);
  };
}

describe.each([
  ['cn-workdays', cn],
  ['us-eastern', us],
  ['New York 09:00–17:00 daily', nyNineToFive],
] as Array<[string, WorkCalendar]>)('against an Intl wall-clock oracle: %s', (_name, cal) => {
  const working = oracle(cal);

  it('isWorkingTime matches the wall clock', () => {
    const rand = prng(6);
    for (let i = 0; i < 1500; i++) {
      const ms = FROM + randomInt(rand, TO - FROM);
      expect([ms, isWorkingTime(ms, cal)]).toEqual([ms, working(ms)]);
    }
  });

  it('workingTimeBetween equals the working minutes counted one by one', () => {
    const rand = prng(7);
    for (let i = 0; i < 25; i++) {
      const a = FROM + randomInt(rand, (TO - FROM) / MIN) * MIN;
      const b = a + randomInt(rand, 2 * 24 * 60) * MIN;
      let minutes = 0;
      for (let m = a; m < b; m += MIN) if (working(m)) minutes++;
      expect([a, workingTimeBetween(a, b, cal)]).toEqual([a, minutes * MIN]);
    }
  });
});
