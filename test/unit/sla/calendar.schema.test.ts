import { CalendarConfigError, parseCalendar } from '../../../src/core/sla/calendar.schema';
import { cn, us } from './calendars';

const office = [
  ['09:00', '12:00'],
  ['13:30', '18:00'],
];
const week = { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [] };
const valid = { id: 'test', timezone: 'Asia/Shanghai', week };

/** The readable problem lines for an input that must be rejected. */
function problems(input: unknown): readonly string[] {
  try {
    parseCalendar(input, 'calendars/test.json');
  } catch (error) {
    if (error instanceof CalendarConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the calendar to be rejected');
}

describe('shipped calendars', () => {
  it('cn-workdays validates, with the 2026 notice and the yearly-check warning', () => {
    expect(cn.timezone).toBe('Asia/Shanghai');
    expect(cn.note).toMatch(/State Council/);
    expect(cn.holidays).toEqual(expect.arrayContaining(['2026-01-01', '2026-02-17', '2026-10-01']));
    expect(cn.workdays.map((w) => w.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it('us-eastern validates', () => {
    expect(us.timezone).toBe('America/New_York');
    expect(us.week.mon).toEqual([['09:00', '17:00']]);
    expect(us.workdays).toEqual([]);
  });

  it('us-eastern lists the 11 federal holidays of every year up to "through", each on a weekday', () => {
    expect(us.through).toBe('2027-12-31');
    for (const year of ['2026', '2027']) {
      // New Year's Day 2028 (a Saturday) is observed on Friday 2027-12-31: counted in 2028.
      const ofYear = us.holidays.filter((d) => d.startsWith(year) && d !== '2027-12-31');
      expect([year, ofYear.length]).toEqual([year, 11]);
    }
    const weekend = us.holidays.filter((d) => [0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()));
    expect(weekend).toEqual([]);
  });

  it("says how far each shipped calendar's holiday list reaches", () => {
    expect(cn.through).toBe('2026-12-31');
    expect(cn.holidays.every((d) => d <= cn.through!)).toBe(true);
  });
});

describe('calendarSchema: through', () => {
  it('accepts a real date and rejects anything else, naming the field', () => {
    expect(parseCalendar({ ...valid, through: '2027-12-31' }).through).toBe('2027-12-31');
    expect(parseCalendar(valid).through).toBeUndefined();
    expect(problems({ ...valid, through: '2027-02-30' })).toEqual([
      'through: "2027-02-30" is not a day of the calendar; expected a real date',
    ]);
    expect(problems({ ...valid, through: 2027 })).toEqual([
      'through: expected a date "YYYY-MM-DD", got 2027',
    ]);
  });
});

describe('calendarSchema', () => {
  it('accepts a minimal calendar, defaults holidays and workdays to empty, allows 24:00 as an end', () => {
    const cal = parseCalendar({ ...valid, week: { ...week, sat: [['18:00', '24:00']] } });
    expect(cal.holidays).toEqual([]);
    expect(cal.workdays).toEqual([]);
    expect(cal.week.sat).toEqual([['18:00', '24:00']]);
  });

  it('says which file is wrong, one problem per line', () => {
    expect(() => parseCalendar({ ...valid, timezone: 'Mars/Olympus' }, 'calendars/mars.json')).toThrow(
      'Invalid business calendar calendars/mars.json:\n  - timezone: "Mars/Olympus" is not a time zone',
    );
  });

  it('rejects a time zone unknown to Intl', () => {
    expect(problems({ ...valid, timezone: 'Asia/Shanghia' })).toEqual([
      'timezone: "Asia/Shanghia" is not a time zone known to Intl; expected an IANA name such as "Asia/Shanghai" or "America/New_York"',
    ]);
  });

  it('rejects malformed times, naming the exact place', () => {
    expect(
      problems({ ...valid, week: { ...week, mon: [['9:00', '12:00']], tue: [['09:00', '12:60']] } }),
    ).toEqual([
      'week.mon[0][0]: expected a time "HH:mm" (00:00–23:59), got "9:00"',
      'week.tue[0][1]: expected a time "HH:mm" (00:00–24:00), got "12:60"',
    ]);
    expect(problems({ ...valid, week: { ...week, wed: [['24:00', '24:00']] } })).toContain(
      'week.wed[0][0]: expected a time "HH:mm" (00:00–23:59), got "24:00"; 24:00 is only allowed as an end time',
    );
    expect(problems({ ...valid, week: { ...week, thu: [['09:00']] } })).toEqual([
      'week.thu[0]: expected a [start, end] pair such as ["09:00", "12:00"], got ["09:00"]',
    ]);
  });

  it('rejects an interval that does not end after it starts', () => {
    expect(
      problems({ ...valid, week: { ...week, mon: [['13:00', '12:00']], tue: [['09:00', '09:00']] } }),
    ).toEqual([
      'week.mon[0]: interval ["13:00","12:00"] does not end after it starts; expected end > start',
      'week.tue[0]: interval ["09:00","09:00"] does not end after it starts; expected end > start',
    ]);
  });

  it('rejects overlapping or unordered intervals', () => {
    const overlapping = [
      ['09:00', '12:00'],
      ['11:00', '14:00'],
    ];
    const unordered = [
      ['13:30', '18:00'],
      ['09:00', '12:00'],
    ];
    expect(problems({ ...valid, week: { ...week, mon: overlapping, tue: unordered } })).toEqual([
      'week.mon[1]: interval ["11:00","14:00"] starts before ["09:00","12:00"] ends; expected intervals in time order, not overlapping',
      'week.tue[1]: interval ["09:00","12:00"] starts before ["13:30","18:00"] ends; expected intervals in time order, not overlapping',
    ]);
  });

  it('rejects a week with no working hours at all', () => {
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(problems({ ...valid, week: closed, workdays: [{ date: '2026-10-10' }] })).toEqual([
      'week: no weekday has working hours; expected at least one day with intervals (deadlines would never come)',
    ]);
  });

  it('rejects malformed and impossible dates', () => {
    expect(
      problems({ ...valid, holidays: ['2026/10/01', '2026-02-30'], workdays: [{ date: '10-10' }] }),
    ).toEqual([
      'holidays[0]: expected a date "YYYY-MM-DD", got "2026/10/01"',
      'holidays[1]: "2026-02-30" is not a day of the calendar; expected a real date',
      'workdays[0].date: expected a date "YYYY-MM-DD", got "10-10"',
    ]);
  });

  it('rejects a date that is both a holiday and a make-up workday, and repeated or empty workdays', () => {
    const input = {
      ...valid,
      holidays: ['2026-10-01'],
      workdays: [{ date: '2026-10-01' }, { date: '2026-10-10' }, { date: '2026-10-10', hours: [] }],
    };
    expect(problems(input)).toEqual([
      'workdays[0].date: 2026-10-01 is both a holiday and a make-up workday; expected one or the other',
      'workdays[2].date: 2026-10-10 is listed twice in workdays; expected each date once',
      'workdays[2].hours: is empty; expected working hours, or omit "hours" to use Monday\'s',
    ]);
  });

  it('rejects missing fields, misspelt keys and wrong types', () => {
    const { mon: _dropped, ...noMonday } = week;
    expect(problems({ id: 'x', week: { ...noMonday, monday: office }, holiday: [] })).toEqual([
      'timezone: is required: expected an IANA time zone name',
      'week.mon: is required: expected a list of [start, end] pairs ([] for a day off)',
      'week: unknown key "monday"; expected only mon, tue, wed, thu, fri, sat, sun',
      '(file): unknown key "holiday"; expected only id, note, timezone, week, through, holidays, workdays',
    ]);
    expect(problems({ ...valid, id: 'cn workdays', note: 42 })).toEqual([
      'id: expected an id of letters, digits, "-" or "_" such as "cn-workdays", got "cn workdays"',
      'note: expected a text note, got 42',
    ]);
    expect(problems([])).toEqual([
      '(file): expected an object with id, note, timezone, week, through, holidays, workdays, got []',
    ]);
  });

  it('never throws anything but CalendarConfigError, whatever the JSON holds', () => {
    const junk: unknown[] = [
      null,
      5,
      'x',
      [],
      {},
      [5],
      [[5]],
      [null],
      [['09:00', null]],
      [['a', 'b'], ['c']],
    ];
    const places: Array<(j: unknown) => unknown> = [
      (j) => j,
      (j) => ({ ...valid, week: j }),
      (j) => ({ ...valid, week: { ...week, mon: j } }),
      (j) => ({ ...valid, holidays: j }),
      (j) => ({ ...valid, workdays: j }),
      (j) => ({ ...valid, workdays: [j, { date: '2026-10-10' }] }),
      (j) => ({ ...valid, workdays: [{ date: '2026-10-10', hours: j }] }),
      (j) => ({ ...valid, timezone: j }),
    ];
    for (const place of places) {
      for (const j of junk) {
        try {
          parseCalendar(place(j));
        } catch (error) {
          expect(error).toBeInstanceOf(CalendarConfigError);
        }
      }
    }
  });
});
