import { splitDuration } from '../../../src/core/sla/duration';

const MIN = 60_000;
const H = 60 * MIN;

describe('splitDuration', () => {
  it('splits into whole days, hours and minutes', () => {
    expect(splitDuration(0)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(splitDuration(2 * H + 10 * MIN)).toEqual({ days: 0, hours: 2, minutes: 10 });
    expect(splitDuration(27 * H + 5 * MIN)).toEqual({ days: 1, hours: 3, minutes: 5 });
    expect(splitDuration(24 * H)).toEqual({ days: 1, hours: 0, minutes: 0 });
  });

  it('floors to the minute, never rounding up', () => {
    expect(splitDuration(59_999)).toEqual({ days: 0, hours: 0, minutes: 0 });
    expect(splitDuration(2 * H + 10 * MIN + 59_999)).toEqual({ days: 0, hours: 2, minutes: 10 });
    expect(splitDuration(24 * H - 1)).toEqual({ days: 0, hours: 23, minutes: 59 });
  });

  it('ignores the sign: "overdue by" and "due in" are the caller\'s words', () => {
    expect(splitDuration(-(2 * H + 10 * MIN + 30_000))).toEqual({ days: 0, hours: 2, minutes: 10 });
  });

  it('rejects non-finite input', () => {
    expect(() => splitDuration(Number.NaN)).toThrow(RangeError);
    expect(() => splitDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
