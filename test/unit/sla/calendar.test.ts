import {
  addWorkingTime,
  deadlineFor,
  isWorkingTime,
  nextWorkingInstant,
  resumeDeadline,
  type WorkCalendar,
  WorkingTimeLimitError,
  workingTimeBetween,
} from '../../../src/core/sla/calendar';
import { at, cn, everyDay, H, iso, MIN, nightShift, nyAllDay, nyNight, nyNineToFive, us } from './calendars';

describe('without a calendar (24×7 calendar hours)', () => {
  const start = at('2026-03-08T00:00:00-05:00');

  it('adds elapsed time, across a DST switch too', () => {
    expect(iso(addWorkingTime(start, 24 * H), nyAllDay)).toBe('2026-03-09T01:00:00-04:00');
    expect(addWorkingTime(start, 24 * H, null)).toBe(start + 24 * H);
    expect(deadlineFor(start, 1.5)).toBe(start + 90 * MIN);
  });

  it('measures elapsed time, 0 when the end is not after the start', () => {
    expect(workingTimeBetween(start, start + 5 * H)).toBe(5 * H);
    expect(workingTimeBetween(start + 5 * H, start)).toBe(0);
    expect(isWorkingTime(start)).toBe(true);
    expect(nextWorkingInstant(start)).toBe(start);
  });
});

describe('DST in America/New_York', () => {
  it('a 00:00–24:00 day lasts 23 h on spring-forward (2026-03-08)', () => {
    const start = at('2026-03-08T00:00:00-05:00');
    expect(workingTimeBetween(start, at('2026-03-09T00:00:00-04:00'), nyAllDay)).toBe(23 * H);
    expect(iso(addWorkingTime(start, 23 * H, nyAllDay), nyAllDay)).toBe('2026-03-09T00:00:00-04:00');
    expect(iso(addWorkingTime(start, 24 * H, nyAllDay), nyAllDay)).toBe('2026-03-09T01:00:00-04:00');
  });

  it('a 00:00–24:00 day lasts 25 h on fall-back (2026-11-01)', () => {
    const start = at('2026-11-01T00:00:00-04:00');
    expect(workingTimeBetween(start, at('2026-11-02T00:00:00-05:00'), nyAllDay)).toBe(25 * H);
    // Two hours after midnight is the second 01:00 of the night.
    expect(iso(addWorkingTime(start, 2 * H, nyAllDay), nyAllDay)).toBe('2026-11-01T01:00:00-05:00');
    expect(iso(addWorkingTime(start, 24 * H, nyAllDay), nyAllDay)).toBe('2026-11-01T23:00:00-05:00');
  });

  it('a 09:00–17:00 day is 8 h on both switch days', () => {
    for (const [midnight, nextMidnight, nine, four] of [
      [
        '2026-03-08T00:00:00-05:00',
        '2026-03-09T00:00:00-04:00',
        '2026-03-08T09:00:00-04:00',
        '2026-03-08T16:00:00-04:00',
      ],
      [
        '2026-11-01T00:00:00-04:00',
        '2026-11-02T00:00:00-05:00',
        '2026-11-01T09:00:00-05:00',
        '2026-11-01T16:00:00-05:00',
      ],
    ] as const) {
      expect(workingTimeBetween(at(midnight), at(nextMidnight), nyNineToFive)).toBe(8 * H);
      expect(iso(nextWorkingInstant(at(midnight), nyNineToFive), nyNineToFive)).toBe(nine);
      expect(iso(addWorkingTime(at(midnight), 7 * H, nyNineToFive), nyNineToFive)).toBe(four);
    }
  });

  it('hours around the skipped and the repeated hour follow the wall clock', () => {
    // 01:00–03:30: 01:00 EST to 03:30 EDT is 1.5 h; 01:00 EDT to 03:30 EST is 3.5 h.
    const spring = at('2026-03-08T00:00:00-05:00');
    expect(workingTimeBetween(spring, spring + 24 * H, nyNight)).toBe(1.5 * H);
    expect(iso(addWorkingTime(at('2026-03-08T01:00:00-05:00'), H, nyNight), nyNight)).toBe(
      '2026-03-08T03:00:00-04:00',
    );
    const fall = at('2026-11-01T00:00:00-04:00');
    expect(workingTimeBetween(fall, fall + 24 * H, nyNight)).toBe(3.5 * H);
  });

  it('a start time inside the skipped hour opens when the clock first shows a later time', () => {
    const lateNight = everyDay('America/New_York', [['02:30', '04:00']]);
    const midnight = at('2026-03-08T00:00:00-05:00');
    expect(iso(nextWorkingInstant(midnight, lateNight), lateNight)).toBe('2026-03-08T03:00:00-04:00');
    const skipped = everyDay('America/New_York', [['02:00', '03:00']]);
    expect(workingTimeBetween(midnight, midnight + 24 * H, skipped)).toBe(0);
    expect(iso(nextWorkingInstant(midnight, skipped), skipped)).toBe('2026-03-09T02:00:00-04:00');
  });

  it('an evening in New York already belongs to the next UTC day', () => {
    const evening = everyDay('America/New_York', [['18:00', '24:00']]);
    const late = at('2026-03-10T23:00:00-04:00'); // 03:00Z on the 11th
    expect(isWorkingTime(late, evening)).toBe(true);
    expect(iso(addWorkingTime(late, 30 * MIN, evening), evening)).toBe('2026-03-10T23:30:00-04:00');
    expect(iso(addWorkingTime(late, 90 * MIN, evening), evening)).toBe('2026-03-11T18:30:00-04:00');
  });

  it('switches at midnight (America/Santiago) stretch or cut the evening before', () => {
    const evening = everyDay('America/Santiago', [['22:00', '24:00']]);
    // 2026-04-04 24:00 -03 becomes 23:00 -04: the evening runs until midnight comes round again.
    const fallBack = at('2026-04-04T22:00:00-03:00');
    expect(workingTimeBetween(fallBack, fallBack + 12 * H, evening)).toBe(3 * H);
    expect(isWorkingTime(at('2026-04-04T23:30:00-04:00'), evening)).toBe(true);
    expect(iso(addWorkingTime(fallBack, 3 * H, evening), evening)).toBe('2026-04-05T22:00:00-04:00');
    // 2026-09-05 24:00 -04 becomes 01:00 -03: midnight never shows, the evening ends at the jump.
    const springForward = at('2026-09-05T22:00:00-04:00');
    expect(workingTimeBetween(springForward, springForward + 12 * H, evening)).toBe(2 * H);
    const allDay = everyDay('America/Santiago', [['00:00', '24:00']]);
    expect(workingTimeBetween(at('2026-09-06T01:00:00-03:00'), at('2026-09-07T00:00:00-03:00'), allDay)).toBe(
      23 * H,
    );
  });

  it('a local day that never happened has no working time (Samoa skipped 2011-12-30)', () => {
    const apia = everyDay('Pacific/Apia', [['09:00', '17:00']]);
    const thursday = at('2011-12-29T16:00:00-10:00');
    expect(iso(addWorkingTime(thursday, 2 * H, apia), apia)).toBe('2011-12-31T10:00:00+14:00');
    expect(workingTimeBetween(thursday, at('2011-12-31T09:00:00+14:00'), apia)).toBe(H);
  });
});

describe('midnight and year boundaries', () => {
  it('Dec 31 → Jan 2, skipping the Jan 1 holiday (us-eastern)', () => {
    const start = at('2025-12-31T16:00:00-05:00');
    expect(iso(addWorkingTime(start, 2 * H, us), us)).toBe('2026-01-02T10:00:00-05:00');
    expect(workingTimeBetween(start, at('2026-01-02T10:00:00-05:00'), us)).toBe(2 * H);
  });

  it('Dec 31 → Sunday Jan 4, a make-up workday after the New Year holiday (cn-workdays)', () => {
    expect(iso(addWorkingTime(at('2025-12-31T17:00:00+08:00'), 2 * H, cn), cn)).toBe(
      '2026-01-04T10:00:00+08:00',
    );
  });

  it('a night shift runs on across midnight and into the new year', () => {
    expect(iso(addWorkingTime(at('2026-06-30T23:00:00+08:00'), 2 * H, nightShift), nightShift)).toBe(
      '2026-07-01T01:00:00+08:00',
    );
    expect(
      workingTimeBetween(at('2026-06-30T22:00:00+08:00'), at('2026-07-01T02:00:00+08:00'), nightShift),
    ).toBe(4 * H);
    expect(isWorkingTime(at('2026-07-01T00:00:00+08:00'), nightShift)).toBe(true);
    expect(iso(addWorkingTime(at('2026-12-31T23:30:00+08:00'), H, nightShift), nightShift)).toBe(
      '2027-01-01T00:30:00+08:00',
    );
  });

  it('work running out at 24:00 is due when the clock next runs', () => {
    const lateOnly = everyDay('Asia/Shanghai', [['22:00', '24:00']]);
    expect(iso(addWorkingTime(at('2026-06-30T22:00:00+08:00'), 2 * H, lateOnly), lateOnly)).toBe(
      '2026-07-01T22:00:00+08:00',
    );
  });
});

describe('lunch break (cn-workdays, Monday 2026-03-16)', () => {
  it('a deadline that would fall in the lunch break by wall clock is carried past it', () => {
    expect(iso(addWorkingTime(at('2026-03-16T10:30:00+08:00'), 2 * H, cn), cn)).toBe(
      '2026-03-16T14:00:00+08:00',
    );
  });

  it('work running out at 12:00 is due at 13:30, when the clock starts again', () => {
    expect(iso(addWorkingTime(at('2026-03-16T11:00:00+08:00'), H, cn), cn)).toBe('2026-03-16T13:30:00+08:00');
    expect(iso(deadlineFor(at('2026-03-16T09:00:00+08:00'), 3, cn), cn)).toBe('2026-03-16T13:30:00+08:00');
    // A reply during lunch is on time: no working time passed after the target was reached.
    expect(workingTimeBetween(at('2026-03-16T11:00:00+08:00'), at('2026-03-16T12:45:00+08:00'), cn)).toBe(H);
  });

  it('a request during lunch starts its clock at 13:30', () => {
    const lunch = at('2026-03-16T12:10:00+08:00');
    expect(iso(nextWorkingInstant(lunch, cn), cn)).toBe('2026-03-16T13:30:00+08:00');
    expect(iso(addWorkingTime(lunch, H, cn), cn)).toBe('2026-03-16T14:30:00+08:00');
    expect(workingTimeBetween(lunch, at('2026-03-16T13:30:00+08:00'), cn)).toBe(0);
  });

  it('intervals are [start, end): 12:00 is lunch, 13:30 is work', () => {
    expect(isWorkingTime(at('2026-03-16T11:59:59.999+08:00'), cn)).toBe(true);
    expect(isWorkingTime(at('2026-03-16T12:00:00+08:00'), cn)).toBe(false);
    expect(isWorkingTime(at('2026-03-16T13:29:59.999+08:00'), cn)).toBe(false);
    expect(isWorkingTime(at('2026-03-16T13:30:00+08:00'), cn)).toBe(true);
  });
});

describe('a request on Friday evening', () => {
  it('us-eastern: due Monday, after the weekend and the DST switch', () => {
    const friday = at('2026-03-13T19:00:00-05:00');
    expect(iso(addWorkingTime(friday, 4 * H, us), us)).toBe('2026-03-16T13:00:00-04:00');
    expect(workingTimeBetween(friday, at('2026-03-16T13:00:00-04:00'), us)).toBe(4 * H);
    expect(isWorkingTime(at('2026-03-14T10:00:00-05:00'), us)).toBe(false);
  });

  it('cn-workdays: an 8 h target runs through Monday into Tuesday morning', () => {
    expect(iso(deadlineFor(at('2026-03-13T20:00:00+08:00'), 8, cn), cn)).toBe('2026-03-17T09:30:00+08:00');
  });
});

describe('holidays and make-up days (cn-workdays, National Day 2026)', () => {
  const duringHoliday = at('2026-10-05T10:00:00+08:00');

  it('a holiday followed by a make-up Saturday: the Saturday counts', () => {
    // Oct 1–7 off; Thu 8 and Fri 9 give 15 h; the 16th hour is on Saturday the 10th.
    expect(iso(addWorkingTime(duringHoliday, 16 * H, cn), cn)).toBe('2026-10-10T10:00:00+08:00');
    expect(isWorkingTime(at('2026-10-10T10:00:00+08:00'), cn)).toBe(true);
    expect(isWorkingTime(at('2026-10-03T10:00:00+08:00'), cn)).toBe(false);
    expect(isWorkingTime(at('2026-10-01T10:00:00+08:00'), cn)).toBe(false);
  });

  it('without the make-up day the same deadline would be Monday', () => {
    const noMakeUp: WorkCalendar = { ...cn, workdays: [] };
    expect(iso(addWorkingTime(duringHoliday, 16 * H, noMakeUp), cn)).toBe('2026-10-12T10:00:00+08:00');
  });

  it('a make-up day may have its own hours', () => {
    const shortSaturday: WorkCalendar = {
      ...cn,
      workdays: [{ date: '2026-10-10', hours: [['10:00', '12:00']] }],
    };
    expect(iso(addWorkingTime(at('2026-10-09T17:00:00+08:00'), 2 * H, shortSaturday), cn)).toBe(
      '2026-10-10T11:00:00+08:00',
    );
  });
});

describe('resumeDeadline (waiting on customer)', () => {
  // Created Thu 10:00 with 8 h: Thu gives 6.5 h, so due Fri 10:30.
  const due = deadlineFor(at('2026-03-12T10:00:00+08:00'), 8, cn);

  it('a pause spanning a weekend extends by the working time inside it', () => {
    expect(iso(due, cn)).toBe('2026-03-13T10:30:00+08:00');
    // Paused Fri 09:30 with 1 h left; resumed Mon 10:00; 1 h later is Mon 11:00.
    const resumed = resumeDeadline(due, at('2026-03-13T09:30:00+08:00'), at('2026-03-16T10:00:00+08:00'), cn);
    expect(iso(resumed, cn)).toBe('2026-03-16T11:00:00+08:00');
  });

  it('a pause outside working hours does not move the deadline', () => {
    const monday = at('2026-03-16T11:00:00+08:00');
    expect(resumeDeadline(monday, at('2026-03-13T19:00:00+08:00'), at('2026-03-16T08:30:00+08:00'), cn)).toBe(
      monday,
    );
  });

  it('without a calendar the deadline moves by the pause itself', () => {
    const start = at('2026-03-13T09:30:00+08:00');
    expect(resumeDeadline(start + 5 * H, start, start + 3 * H)).toBe(start + 8 * H);
  });

  it('a deadline already missed when the pause began stays missed', () => {
    expect(resumeDeadline(due, due + H, due + 30 * H, cn)).toBe(due);
  });
});

describe('limits and bad input', () => {
  it('a calendar with no working time at all throws a clear error instead of looping', () => {
    const none = [] as Array<[string, string]>;
    const closed: WorkCalendar = {
      ...cn,
      week: { mon: none, tue: none, wed: none, thu: none, fri: none, sat: none, sun: none },
      workdays: [],
    };
    const start = at('2026-03-16T10:00:00+08:00');
    expect(() => addWorkingTime(start, H, closed)).toThrow(WorkingTimeLimitError);
    expect(() => nextWorkingInstant(start, closed)).toThrow(
      /calendar "cn-workdays" has no working time in the 1098 days/,
    );
    expect(isWorkingTime(start, closed)).toBe(false);
    expect(workingTimeBetween(start, start + 30 * 24 * H, closed)).toBe(0);
  });

  it('a duration beyond three years of working time throws', () => {
    expect(() => addWorkingTime(at('2026-01-01T00:00:00-05:00'), 10_000 * H, us)).toThrow(
      /offers less than 36000000000 ms of working time/,
    );
  });

  it('rejects non-finite instants and negative durations', () => {
    expect(() => addWorkingTime(Number.NaN, H, cn)).toThrow(RangeError);
    expect(() => addWorkingTime(0, -1, cn)).toThrow(RangeError);
    expect(() => deadlineFor(0, -2)).toThrow(RangeError);
    expect(() => workingTimeBetween(0, Number.POSITIVE_INFINITY, cn)).toThrow(RangeError);
    expect(() => workingTimeBetween(0, Number.MAX_SAFE_INTEGER, cn)).toThrow(RangeError);
  });
});
