import { naiveDay, toZonedIso, wallToInstant } from '../../../src/core/sla/zone';
import { at } from './calendars';

const NY = 'America/New_York';
const wall = (date: string, hh: number, mm: number) => naiveDay(date) * 86_400_000 + (hh * 60 + mm) * 60_000;

describe('wallToInstant (wall clock -> instant, independent of the host zone)', () => {
  it('converts ordinary times with the offset of the day', () => {
    expect(toZonedIso(wallToInstant(wall('2026-03-09', 9, 30), NY), NY)).toBe('2026-03-09T09:30:00-04:00');
    expect(toZonedIso(wallToInstant(wall('2026-01-15', 9, 30), 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(
      '2026-01-15T09:30:00+08:00',
    );
  });

  it('takes the first of a repeated time (fall-back)', () => {
    expect(wallToInstant(wall('2026-11-01', 1, 30), NY)).toBe(at('2026-11-01T01:30:00-04:00'));
    expect(wallToInstant(wall('2026-11-01', 2, 0), NY)).toBe(at('2026-11-01T02:00:00-05:00'));
  });

  it('maps a skipped time to the jump, when the clock first shows a later time (spring-forward)', () => {
    expect(wallToInstant(wall('2026-03-08', 2, 30), NY)).toBe(at('2026-03-08T03:00:00-04:00'));
    expect(wallToInstant(wall('2026-03-08', 1, 59), NY)).toBe(at('2026-03-08T01:59:00-05:00'));
    // Lord Howe moves by 30 minutes, at 02:00 local.
    expect(wallToInstant(wall('2026-10-04', 2, 15), 'Australia/Lord_Howe')).toBe(
      at('2026-10-04T02:30:00+11:00'),
    );
  });
});
