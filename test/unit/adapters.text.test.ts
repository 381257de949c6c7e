import { RateLimiter } from '../../adapters/rate-limit';
import { splitText } from '../../adapters/text';
import { cutsBetweenClusters, HARD } from '../fakes/graphemes';

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
  });
  it('cuts at line breaks and never exceeds the limit', () => {
    const text = `${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}`;
    const chunks = splitText(text, 64);
    expect(chunks).toEqual([`${'a'.repeat(30)}\n${'b'.repeat(30)}`, 'c'.repeat(30)]);
  });
  it('never splits an emoji surrogate pair', () => {
    const chunks = splitText('😀'.repeat(10), 5);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(5);
      expect(c).toMatch(/^(?:😀)+$/u);
    }
    expect(chunks.join('')).toBe('😀'.repeat(10));
  });
  it.each(Object.entries(HARD))('never splits %s, whatever the limit', (_name, cluster) => {
    const text = `${cluster.repeat(6)} ${cluster}x${cluster.repeat(3)}`;
    for (let max = cluster.length + 1; max <= text.length; max++) {
      const chunks = splitText(text, max);
      for (const c of chunks) expect(c.length).toBeLessThanOrEqual(max);
      expect(cutsBetweenClusters(text, chunks)).toBe(true);
      expect(chunks.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    }
  });
  it('keeps a space that carries a combining mark with its mark', () => {
    const text = `${'a'.repeat(8)} \u0301b`;
    const chunks = splitText(text, 9);
    expect(chunks).toEqual(['a'.repeat(8), ' \u0301b']);
  });
  it('hard-cuts text without spaces', () => {
    const chunks = splitText('x'.repeat(25), 10);
    expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
  });
});

describe('RateLimiter', () => {
  it('spaces tasks per key and keeps their order', async () => {
    const starts: Array<[string, number]> = [];
    const limiter = new RateLimiter({ perKeyMs: 40 });
    const t0 = Date.now();
    await Promise.all(
      [1, 2, 3].map((i) =>
        limiter.run('room', async () => {
          starts.push([`room${i}`, Date.now() - t0]);
        }),
      ),
    );
    expect(starts.map((s) => s[0])).toEqual(['room1', 'room2', 'room3']);
    expect(starts[2]![1] - starts[0]![1]).toBeGreaterThanOrEqual(75);
    limiter.stop();
  });
  it("with spacing 'end' counts the interval from the end of a slow task, across keys too", async () => {
    const limiter = new RateLimiter({ perKeyMs: 30, globalMs: 20, spacing: 'end' });
    const t0 = Date.now();
    const log: Array<[string, number]> = [];
    const slow = (name: string) => async () => {
      log.push([`${name} start`, Date.now() - t0]);
      await new Promise((resolve) => setTimeout(resolve, 50)); // a puppet slow to deliver
      log.push([`${name} end`, Date.now() - t0]);
    };
    await Promise.all([
      limiter.run('a', slow('a1')),
      limiter.run('b', slow('b1')),
      limiter.run('a', slow('a2')),
    ]);
    const at = (what: string) => log.find((l) => l[0] === what)?.[1] ?? Number.NaN;
    // b1 waits for a1 to end (one send in flight per account), a2 for b1's end + the global gap
    expect(at('b1 start')).toBeGreaterThanOrEqual(at('a1 end') + 19);
    expect(at('a2 start')).toBeGreaterThanOrEqual(at('a1 end') + 29);
    expect(at('a2 start')).toBeGreaterThanOrEqual(at('b1 end') + 19);
    limiter.stop();
  });
  it("with spacing 'start' lets the next task of another key run while one is slow", async () => {
    const limiter = new RateLimiter({ perKeyMs: 30, globalMs: 0 });
    let aEnded = false;
    let bSawA: boolean | undefined;
    await Promise.all([
      limiter.run('a', () =>
        new Promise((resolve) => setTimeout(resolve, 50)).then(() => {
          aEnded = true;
        }),
      ),
      limiter.run('b', async () => {
        bSawA = aEnded;
      }),
    ]);
    expect(bSawA).toBe(false);
    limiter.stop();
  });
  it('lets a failing task not block the next one', async () => {
    const limiter = new RateLimiter({ perKeyMs: 0 });
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', async () => 7)).resolves.toBe(7);
    limiter.stop();
  });
});
