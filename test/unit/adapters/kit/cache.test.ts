import { RecentCache } from '../../../../adapters/kit/cache';

describe('RecentCache (the adapter kit cache)', () => {
  it('forgets an entry once older than its ttl on the injected clock, not before', () => {
    let now = 0; // a clock that starts at 0 (lru-cache reads a start of 0 as "no ttl")
    const cache = new RecentCache<string>({ max: 10, ttlMs: 100, now: () => now });
    cache.set('a', 'thread-1');
    now += 100;
    expect(cache.get('a')).toBe('thread-1');
    expect(cache.firstTime('a', 'x')).toBe(false);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.firstTime('a', 'thread-2')).toBe(true);
    expect(cache.get('a')).toBe('thread-2');
  });

  it('rewriting an entry starts its age again', () => {
    let now = 0;
    const cache = new RecentCache<true>({ max: 10, ttlMs: 100, now: () => now });
    cache.set('a', true);
    now = 80;
    cache.set('a', true);
    now = 180;
    expect(cache.get('a')).toBe(true);
    now = 181;
    expect(cache.get('a')).toBeUndefined();
  });

  it('never holds more than max entries', () => {
    const cache = new RecentCache<number>({ max: 3 });
    for (let i = 0; i < 1_000; i += 1) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
    expect(cache.get('k996')).toBeUndefined();
    expect([cache.get('k997'), cache.get('k998'), cache.get('k999')]).toEqual([997, 998, 999]);
  });

  it('lru order: a hit saves the key from eviction; insertion order: it does not', () => {
    const lru = new RecentCache<true>({ max: 2 });
    const fifo = new RecentCache<true>({ max: 2, order: 'insertion' });
    for (const cache of [lru, fifo]) {
      cache.set('a', true);
      cache.set('b', true);
      cache.get('a');
      cache.set('c', true);
    }
    expect([lru.get('a'), lru.get('b')]).toEqual([true, undefined]);
    expect([fifo.get('a'), fifo.get('b')]).toEqual([undefined, true]);
  });

  it('refuses a bound below one', () => {
    expect(() => new RecentCache({ max: 0 })).toThrow(RangeError);
    expect(() => new RecentCache({ max: 1.5 })).toThrow(RangeError);
  });
});
