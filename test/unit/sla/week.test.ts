/**
 * A simulated week on the cn-workdays calendar (09:00–12:00, 13:30–18:00, Asia/Shanghai),
 * tick by tick every 15 minutes on a ManualClock: the make-up working Sunday 2026-09-20,
 * lunch breaks, and the Mid-Autumn holiday (Friday 25 to Sunday 27 September). Basic
 * promises a first response in 4 h, a next reply in 4 h and resolution in 24 h.
 *
 * ask → answer → follow-up → no answer (next-reply 50 %, 80 %, breach) → waiting on the
 * customer (resolution paused) → the customer answers (a second next-reply window) → answer
 * → resolve → the customer writes again on the holiday (reopen, a third window) → answer →
 * resolve. Every alert exactly once, at its working-time moment; none to the customer group.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMongoStore } from '../../../src/store/mongo';
import { describeWithMongo } from '../../contract/mongo.suite';
import { MIN, type SlaDesk, type SlaDeskOptions, slaDesk } from './sla-desk';

const at = (iso: string) => Date.parse(`${iso}:00+08:00`);
const TICK = 15 * MIN;

const OPTIONS: SlaDeskOptions = {
  now: at('2026-09-20T10:00'),
  calendars: { basic: 'cn-workdays' },
  plans: { basic: { firstResponseHours: 4, nextResponseHours: 4, resolutionHours: 24 } },
  rules: (r) => ({ ...r, tickets: { ...r.tickets, repeatEveryWorkingHours: null } }),
};
// [when, who, where, what]: Sunday is a make-up working day, Saturday 26 a holiday.
const STEPS = [
  ['2026-09-20T10:00', 'alice', 'acme', '@bot the importer drops rows'],
  ['2026-09-20T11:00', 'bob', 'staff', '/reply #1001 which version?'],
  ['2026-09-20T16:00', 'alice', 'acme', '#1001 2.3, and it still drops them'],
  ['2026-09-21T11:30', 'bob', 'staff', '/wait #1001 can you send the file?'],
  ['2026-09-24T10:00', 'alice', 'acme', '#1001 here it is'],
  ['2026-09-24T14:00', 'bob', 'staff', '/reply #1001 found it, a fix is coming'],
  ['2026-09-24T16:00', 'bob', 'staff', '/resolve #1001 fixed in 2.3.1'],
  ['2026-09-26T10:00', 'alice', 'acme', '#1001 2.3.1 drops the last row'],
  ['2026-09-28T11:30', 'bob', 'staff', '/reply #1001 2.3.2 fixes that'],
  ['2026-09-28T15:00', 'bob', 'staff', '/resolve #1001 fixed in 2.3.2'],
] as const;
const stamp = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ');

/**
 * Plays the week on these desks (one per process, on one store): every desk's scheduler
 * ticks at each moment, the steps are said to each desk in turn. Returns every line sent,
 * by any of them, with its time.
 */
async function playWeek(desks: readonly SlaDesk[]): Promise<string[]> {
  const seen: string[] = [];
  const now = () => desks[0]!.clock.now();
  const until = async (iso: string) => {
    while (now() + TICK <= at(iso)) {
      const lines = await Promise.all(desks.map((d) => d.advance(TICK)));
      for (const line of lines.flat()) seen.push(`${stamp(now())} ${line}`);
    }
    for (const d of desks) d.clock.set(at(iso));
  };
  for (const [n, [when, who, where, text]] of STEPS.entries()) {
    await until(when);
    const desk = desks[n % desks.length]!;
    const before = desk.messenger.sent.length;
    await desk.say(who, where, text);
    for (const line of desk.messenger.lines().slice(before)) seen.push(`${stamp(now())} ${line}`);
  }
  await until('2026-09-30T18:00');
  return seen;
}

async function expectWeek(desks: readonly SlaDesk[]) {
  const seen = await playWeek(desks);
  const s = desks[0]!;
  const S = '#1001 · ACME Corp · Basic · "the importer drops rows"';
  const alerts = seen.filter((l) => /Reminder:|SLA breach/.test(l));
  expect(alerts).toEqual([
    // The next-reply window of Sunday 16:00 reaches 50 % at 18:00, the end of the day: told at 09:00.
    `09-21 09:00 [dm:bob] Reminder: ${S}: the customer wrote again and has used 50% of the next-reply time: due 09-21 11:00 GMT+8 (in 2 h). Engineer: bob.`,
    `09-21 10:15 [dm:bob] Reminder: ${S}: the customer wrote again and has used 80% of the next-reply time: due 09-21 11:00 GMT+8 (in 45 min). Engineer: bob.`,
    `09-21 11:15 [managers] SLA breach: ${S}: no reply to the customer's follow-up within the 4 h next-reply target: overdue by 15 min. Engineer: bob.`,
    `09-21 11:15 [dm:carol] SLA breach: ${S}: no reply to the customer's follow-up within the 4 h next-reply target: overdue by 15 min. Engineer: bob.`,
    // A second window (the answer to /wait at 10:00): 50 % at 12:00, lunch, told at 13:30.
    `09-24 13:30 [dm:bob] Reminder: ${S}: the customer wrote again and has used 50% of the next-reply time: due 09-24 15:30 GMT+8 (in 2 h). Engineer: bob.`,
    // Resolution: 9 working hours before the pause, none during it (Mon 11:30 to Thu 10:00).
    `09-24 14:30 [dm:bob] Reminder: ${S} has used 50% of its resolution time: due 09-29 10:00 GMT+8 (in 4 d 19 h). Engineer: bob.`,
    // Reopened on the holiday: the third window counts from Monday 09:00.
    `09-28 11:00 [dm:bob] Reminder: ${S}: the customer wrote again and has used 50% of the next-reply time: due 09-28 14:30 GMT+8 (in 3 h 30 min). Engineer: bob.`,
  ]);
  expect(seen.filter((l) => l.includes('[acme]') && /Reminder|breach|SLA/.test(l))).toEqual([]);
  const sent = (await s.store.listEvents(1001)).filter((e) => e.kind === 'reminder_sent').map((e) => e.text);
  expect(sent).toEqual(['half', 'late', 'breach', 'half', 'half', 'half']);
  for (const d of desks) expect(await d.advance(7 * 24 * 60 * MIN)).toEqual([]); // nothing left to say
}

describe('a simulated week of one ticket', () => {
  it('raises each alert of each promise once, in working time, around a holiday and a make-up day', async () => {
    const s = await slaDesk(OPTIONS);
    try {
      await expectWeek([s]);
    } finally {
      await s.close();
    }
  });

  it('the same across two processes on one SQLite file: each alert from one of them, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'groupdesk-week-'));
    const file = join(dir, 'groupdesk.sqlite');
    const desks: SlaDesk[] = [];
    try {
      desks.push(await slaDesk({ ...OPTIONS, file, name: 'a-' }));
      desks.push(await slaDesk({ ...OPTIONS, file, name: 'b-', seed: false }));
      await expectWeek(desks);
    } finally {
      for (const d of desks) await d.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describeWithMongo('a simulated week on MongoDB', ['the same across two processes on one database'], (db) => {
  it('the same across two processes on one MongoDB database', async () => {
    const desks: SlaDesk[] = [];
    try {
      desks.push(await slaDesk({ ...OPTIONS, open: () => openMongoStore(db), name: 'a-' }));
      desks.push(await slaDesk({ ...OPTIONS, open: () => openMongoStore(db), name: 'b-', seed: false }));
      await expectWeek(desks);
    } finally {
      for (const d of desks) await d.close();
    }
  }, 600_000);
});
