/**
 * The scheduler owns its node-cron job: nothing runs at import, start() creates the job
 * (which really ticks), stop() destroys it and leaves no timer behind; ticks never
 * overlap within a process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import type { TickResult } from '../../../src/sla/worker';
import { HOUR, type SlaDesk, slaDesk } from './sla-desk';

/**
 * Timers set while tracking and not yet fired or cleared. (Counting process-wide timers is
 * not reliable: jest has short-lived timers of its own.)
 */
function trackTimers() {
  const live = new Set<unknown>();
  const realSet = global.setTimeout;
  const realClear = global.clearTimeout;
  const set = jest.spyOn(global, 'setTimeout').mockImplementation(((
    fn: (...a: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const timer = realSet(() => {
      live.delete(timer);
      fn(...args);
    }, ms);
    live.add(timer);
    return timer;
  }) as typeof setTimeout);
  const clear = jest.spyOn(global, 'clearTimeout').mockImplementation((timer) => {
    live.delete(timer);
    realClear(timer);
  });
  const restore = () => {
    set.mockRestore();
    clear.mockRestore();
  };
  return { live, restore };
}

const root = path.join(__dirname, '../../..');
function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('SLA scheduler lifecycle', () => {
  it('node-cron is used by the two schedulers alone, SLA and backups (config only validates expressions with it)', () => {
    const importers = ['src', 'adapters', 'commands', 'config']
      .flatMap(sources)
      .filter((file) =>
        /from ['"]node-cron['"]|require\(['"]node-cron['"]\)/.test(
          readFileSync(path.join(root, file), 'utf8'),
        ),
      );
    expect(importers.sort()).toEqual([
      'config/sla.schema.ts',
      'src/sla/scheduler.ts',
      'src/store/sqlite/backup.schedule.ts',
    ]);
  });

  let s: SlaDesk | undefined;
  afterEach(async () => {
    await s?.desk.sla.scheduler?.stop();
    await s?.close();
    s = undefined;
  });

  it('importing and building schedule nothing; start() runs the cron job; stop() leaves no timer', async () => {
    const tracked = trackTimers();
    jest.isolateModules(() => require('../../../src/sla/scheduler'));
    expect(tracked.live.size).toBe(0);
    let ticked: (result: TickResult) => void = () => {};
    const firstTick = new Promise<TickResult>((resolve) => {
      ticked = resolve;
    });
    s = await slaDesk({
      rules: (r) => ({ ...r, scheduler: { ...r.scheduler, cron: '* * * * * *' } }), // every second
      parts: { sla: { onTick: (result) => ticked(result) } },
    });
    const scheduler = s.desk.sla.scheduler!;
    try {
      expect(cron.getTasks().size).toBe(0);
      expect(tracked.live.size).toBe(0);
      await scheduler.start();
      await scheduler.start(); // idempotent: still one job
      expect(cron.getTasks().size).toBe(1);
      expect(tracked.live.size).toBe(1);
      expect(await firstTick).toMatchObject({ claimed: 0 });
      await scheduler.stop();
      expect(cron.getTasks().size).toBe(0);
      expect(tracked.live.size).toBe(0);
      await scheduler.stop(); // stopping twice is harmless
    } finally {
      tracked.restore();
    }
  });

  it('a tick asked for while one runs waits for it: ticks never overlap in one process', async () => {
    let inside = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    s = await slaDesk({
      parts: {
        sla: {
          afterClaim: async () => {
            inside++;
            most = Math.max(most, inside);
            await gate;
            inside--;
          },
        },
      },
    });
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    s.clock.advance(12 * HOUR);
    const scheduler = s.desk.sla.scheduler!;
    const first = scheduler.tick(s.clock.now());
    const second = scheduler.tick(s.clock.now());
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const results = await Promise.all([first, second]);
    expect(most).toBe(1);
    expect(results.map((r) => r.sent)).toEqual([1, 0]);
    expect(s.messenger.lines().filter((l) => l.includes('used 50%'))).toHaveLength(1);
  });

  it('drops inbound de-duplication keys older than a week, once a day', async () => {
    s = await slaDesk();
    const t0 = s.clock.now();
    expect(await s.store.claimInbound('slack::old', t0)).toBe(true);
    await s.advance(HOUR); // the first tick prunes (nothing is old yet)
    expect(await s.store.claimInbound('slack::old', s.clock.now())).toBe(false);
    expect(await s.store.claimInbound('slack::recent', t0 + 6 * 24 * HOUR)).toBe(true);
    s.clock.advance(7 * 24 * HOUR);
    await s.desk.sla.scheduler!.tick(s.clock.now());
    expect(s.logs).toContainEqual({
      level: 'info',
      message: 'pruned old inbound keys',
      fields: { pruned: 1 },
    });
    expect(await s.store.claimInbound('slack::old', s.clock.now())).toBe(true); // forgotten
    expect(await s.store.claimInbound('slack::recent', s.clock.now())).toBe(false); // kept
  });
});
