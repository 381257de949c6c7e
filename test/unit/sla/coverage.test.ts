/**
 * How far a calendar's holiday list reaches, and which calendars a plan uses that are
 * about to run out (the digest and the start-up log warn about them).
 */
import { calendarsRunningOut, coverageEnd } from '../../../src/core/sla/coverage';
import { at, cn, everyDay, us } from './calendars';

const plain = everyDay('Asia/Shanghai', [['09:00', '18:00']]);
const listed = (extra: Record<string, unknown>) => everyDay('Asia/Shanghai', [['09:00', '18:00']], extra);

describe('coverageEnd', () => {
  it('is the calendar\'s "through" date when it has one', () => {
    expect(coverageEnd(us)).toBe('2027-12-31');
    expect(coverageEnd(listed({ through: '2026-06-30', holidays: ['2026-10-01'] }))).toBe('2026-06-30');
  });

  it('otherwise is 31 December of the last year with a holiday or make-up day', () => {
    expect(coverageEnd(listed({ holidays: ['2026-10-01', '2025-05-01'] }))).toBe('2026-12-31');
    expect(coverageEnd(listed({ holidays: ['2026-10-01'], workdays: [{ date: '2027-02-06' }] }))).toBe(
      '2027-12-31',
    );
  });

  it('is undefined for a plain weekly schedule, which never runs out', () => {
    expect(coverageEnd(plain)).toBeUndefined();
  });
});

describe('calendarsRunningOut', () => {
  it('lists a calendar once fewer than the warning days are left, counted in its own zone', () => {
    // 2026-12-01 23:30 in Shanghai is still 1 December in UTC's 15:30.
    expect(calendarsRunningOut([cn], at('2026-12-01T15:30:00Z'), 30)).toEqual([]);
    expect(calendarsRunningOut([cn], at('2026-12-01T16:30:00Z'), 30)).toEqual([
      { id: 'cn-workdays', through: '2026-12-31', daysLeft: 29 },
    ]);
  });

  it('keeps listing it after the date has passed, with negative days', () => {
    expect(calendarsRunningOut([cn], at('2027-01-05T02:00:00Z'), 30)).toEqual([
      { id: 'cn-workdays', through: '2026-12-31', daysLeft: -5 },
    ]);
  });

  it('lists the soonest first, skips calendars far from their end or without one, and 0 turns it off', () => {
    const now = at('2027-12-20T15:00:00Z');
    expect(calendarsRunningOut([us, plain, cn], now, 30).map((c) => [c.id, c.daysLeft])).toEqual([
      ['cn-workdays', -354],
      ['us-eastern', 11],
    ]);
    expect(calendarsRunningOut([us, cn], at('2026-11-23T02:00:00Z'), 30)).toEqual([]);
    expect(calendarsRunningOut([us, cn], now, 0)).toEqual([]);
  });
});
