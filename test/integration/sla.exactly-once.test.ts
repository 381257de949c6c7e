/**
 * Exactly-once across real processes on one SQLite file: two bot processes ticking over
 * the same timeline at the same time deliver each (ticket, stage, round) to each recipient
 * once; a process killed between claim and send loses nothing and duplicates nothing —
 * the reminder goes out once, from a later process, when the lease has ended.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { loadConfig } from '../../config/load';
import { createDesk } from '../../src/app';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { seedDemo } from '../../src/demo';
import { openSqliteStore } from '../../src/store/sqlite';

const tsx = require.resolve('tsx/cli');
const script = path.join(__dirname, 'sla/worker-process.ts');
const T0 = Date.parse('2026-11-23T02:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Delivery {
  owner: string;
  chatId: string;
  text: string;
}

/** A running worker process: ticks on demand (stdin), or at fixed times when given `times`. */
class Bot {
  readonly deliveries: Delivery[] = [];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private readonly child: ChildProcessWithoutNullStreams;
  private waiting: { at: number; resolve: () => void } | undefined;

  constructor(args: object) {
    this.child = spawn(process.execPath, [tsx, script, JSON.stringify(args)], {
      cwd: path.join(__dirname, '../..'),
      env: { PATH: process.env.PATH ?? '' },
    });
    let err = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const record = JSON.parse(line) as Delivery | { done: number };
      if ('done' in record) {
        if (record.done === this.waiting?.at) this.waiting.resolve();
      } else this.deliveries.push(record);
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        // tsx runs the script in a child of its own and reports a kill as exit code 128 + 9.
        const killed = signal === 'SIGKILL' || code === 137;
        if (code !== 0 && !killed) reject(new Error(`worker exited ${code}: ${err}`));
        else resolve({ code, signal: killed ? 'SIGKILL' : signal });
      });
    });
  }

  /** Runs one tick at `at` and resolves when it is done. */
  tick(at: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiting = { at, resolve };
      this.child.stdin.write(`${at}\n`);
    });
  }

  async end(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }
}

/** Runs a worker over fixed times to its end. */
async function runOnce(args: object): Promise<{ deliveries: Delivery[]; signal: string | null }> {
  const bot = new Bot(args);
  const { signal } = await bot.exited;
  return { deliveries: bot.deliveries, signal };
}

/** Opens `count` tickets at T0, alternating ACME (basic, 24 h) and Globex (enterprise, 8 h). */
async function seed(file: string, count: number): Promise<void> {
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_MERGE_SECONDS: '0', // one requester's requests at one instant are separate tickets here
    GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../config'),
  });
  const store = openSqliteStore(file);
  const sent = { send: async () => ({ messageId: 'x' }) };
  const desk = createDesk({
    config,
    store,
    clock: new ManualClock(T0),
    logger: silentLogger,
    messenger: sent,
  });
  await seedDemo(desk.services);
  for (let i = 0; i < count; i++) {
    const [who, group] = i % 2 ? ['erin', 'globex'] : ['alice', 'acme'];
    await desk.router.handle({
      platform: 'console',
      chatId: group!,
      chatKind: 'group',
      messageId: `seed-${i}`,
      sender: { id: who! },
      text: `request ${i}: the build fails`,
      mentions: [],
      addressed: true,
    });
  }
  await desk.sla.planner!.flush(); // plans are written in batches: see planner.ts
  await store.close();
}

/** `#1001 breach → managers` style keys, one per delivery, with the round of a repeat. */
function keyOf(d: Delivery): string {
  const ticket = /#(\d+)/.exec(d.text)?.[1];
  const stage = d.text.startsWith('Reminder:')
    ? `${/used (\d+)%/.exec(d.text)?.[1]}%`
    : d.text.startsWith('SLA breach')
      ? 'breach 1'
      : `breach ${/alert (\d+)/.exec(d.text)?.[1]}`;
  return `#${ticket} ${stage} → ${d.chatId}`;
}

describe('exactly-once SLA reminders across processes', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-sla-'));
    file = path.join(dir, 'groupdesk.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two processes ticking the same timeline together deliver each stage to each recipient once', async () => {
    await seed(file, 30);
    const [a, b] = [new Bot({ file, owner: 'a' }), new Bot({ file, owner: 'b' })];
    // Every 30 min for 30 h, both at once: each tick is contested, as with synchronised clocks.
    for (let k = 0; k <= 60; k++) await Promise.all([a.tick(T0 + k * 30 * MIN), b.tick(T0 + k * 30 * MIN)]);
    await Promise.all([a.end(), b.end()]);
    const all = [...a.deliveries, ...b.deliveries];
    // Both processes really took part (the claims were contested, not taken in turns by one).
    expect(a.deliveries.length).toBeGreaterThan(0);
    expect(b.deliveries.length).toBeGreaterThan(0);
    const keys = all.map(keyOf);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]); // no duplicate
    // Every ticket got every stage: 15 on basic (50 %, 80 %, breach at 24 h, 1 repeat by 30 h) ...
    const acme = (n: number) => [
      `#${n} 50% → staff`,
      `#${n} 80% → staff`,
      `#${n} breach 1 → managers`,
      `#${n} breach 1 → carol`,
    ];
    for (let n = 1001; n <= 1030; n += 2) {
      expect(keys).toEqual(expect.arrayContaining([...acme(n), `#${n} breach 2 → managers`]));
      expect(keys.filter((k) => k.startsWith(`#${n} `))).toHaveLength(6);
    }
    // ... and 15 on enterprise (8 h: breach at 8.5 h, repeats at 12.5, 16.5, 20.5, 24.5, 28.5 h).
    for (let n = 1002; n <= 1030; n += 2) {
      const rounds = keys.filter((k) => k.startsWith(`#${n} breach`) && k.endsWith('managers'));
      expect(rounds.sort()).toEqual([1, 2, 3, 4, 5, 6].map((r) => `#${n} breach ${r} → managers`));
      expect(keys.filter((k) => k.startsWith(`#${n} `))).toHaveLength(14);
    }
    const store = openSqliteStore(file);
    const events = await store.listEvents(1002);
    expect(events.filter((e) => e.kind === 'reminder_sent')).toHaveLength(8);
    await store.close();
  });

  it('a process killed between claim and send: the reminder goes out once, after the lease ends', async () => {
    await seed(file, 1); // #1001, basic: due T0 + 24 h
    const at = T0 + 25 * HOUR; // the half, late and breach stages are all due
    const killed = await runOnce({ file, owner: 'killed', times: [at], killAfterClaim: true });
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.deliveries).toEqual([]);
    const store = openSqliteStore(file);
    expect((await store.listReminders('ticket:1001')).map((r) => [r.stage, r.status, r.owner])).toEqual([
      ['half', 'pending', 'killed'],
      ['late', 'pending', 'killed'],
      ['breach', 'pending', 'killed'],
    ]);
    expect((await runOnce({ file, owner: 'early', times: [at + MIN] })).deliveries).toEqual([]); // lease held
    const after = await runOnce({ file, owner: 'later', times: [at + 2 * MIN + 1] }); // lease over: 120 s
    expect(after.deliveries.map(keyOf)).toEqual(['#1001 breach 1 → managers', '#1001 breach 1 → carol']);
    expect((await runOnce({ file, owner: 'again', times: [at + 5 * MIN] })).deliveries).toEqual([]);
    expect(
      (await store.listEvents(1001)).filter((e) => e.kind === 'reminder_sent').map((e) => e.text),
    ).toEqual(['breach']);
    await store.close();
  });
});
