import type { Clock } from './ports';

export const systemClock: Clock = { now: () => Date.now() };

/** Real time plus an offset that only moves forward: the playground's `:clock +25h`. */
export class OffsetClock implements Clock {
  private offset = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): number {
    return this.base.now() + this.offset;
  }
  /** How far it has been moved ahead of real time. */
  get offsetMs(): number {
    return this.offset;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('the clock only moves forward');
    this.offset += ms;
  }
}

/** A clock that stands still until told to move: for tests. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}
