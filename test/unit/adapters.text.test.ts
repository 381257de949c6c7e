import { RateLimiter } from '../../adapters/rate-limit';
import { splitText } from '../../adapters/text';

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
  it('lets a failing task not block the next one', async () => {
    const limiter = new RateLimiter({ perKeyMs: 0 });
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', async () => 7)).resolves.toBe(7);
    limiter.stop();
  });
});
