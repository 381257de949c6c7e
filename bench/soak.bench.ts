/**
 * A simulated day on the embedded store, for memory (issue 15): a manual clock, 200 customer
 * groups, a message every few seconds (new requests, follow-ups, staff replies and resolves),
 * the SLA scheduler ticking each simulated minute (reminders, repeats, the daily digest).
 * The process's RSS and heap are read after a garbage collection each simulated hour; what
 * counts is the growth after the warm-up hours, when caches have filled: it must stay flat
 * (target: RSS growth under 10 MB). BENCH_SOAK_HOURS shortens or lengthens the day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../config/load';
import { createDesk } from '../src/app';
import type { InboundMessage } from '../src/core/chat';
import { ManualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import type { Store } from '../src/core/ports';
import { seedDemo } from '../src/demo';
import { openSqliteStore, sqliteFileIn } from '../src/store/sqlite';
import { round, runAlone } from './figures';

const SECOND = 1000;
/** Monday 2026-11-23 09:00 in Asia/Shanghai: the day starts before office hours end. */
const START = Date.parse('2026-11-23T01:00:00Z');
const GROUPS = 200;
/** One message every this many simulated seconds, across all groups. */
const EVERY_SECONDS = 5;
const WARM_UP_HOURS = 2;

export interface SoakFigures {
  hours: number;
  groups: number;
  messages: number;
  ticketsOpened: number;
  sent: number;
  ticks: number;
  rssAfterWarmUpMb: number;
  rssEndMb: number;
  rssGrowthMb: number;
  heapAfterWarmUpMb: number;
  heapEndMb: number;
  heapGrowthMb: number;
  /** RSS after each simulated hour, MB. */
  rssByHourMb: number[];
  wallSeconds: number;
}

export async function benchSoak(hours = Number(process.env.BENCH_SOAK_HOURS ?? 24)): Promise<SoakFigures> {
  const gc = exposeGc();
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-soak-'));
  const started = process.hrtime.bigint();
  try {
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../config'),
    });
    const store = openSqliteStore(sqliteFileIn(dir));
    const clock = new ManualClock(START);
    const open = new Map<string, number[]>();
    let sent = 0;
    const desk = createDesk({
      config,
      store,
      clock,
      logger: silentLogger,
      messenger: {
        send: async (out) => {
          sent++;
          // The ticket each request opened, from its acknowledgement in the customer's group.
          const number = /Ticket #(\d+) is open/.exec(out.text)?.[1];
          if (number && out.chatId.startsWith('soak-')) {
            const list = open.get(out.chatId) ?? [];
            list.push(Number(number));
            open.set(out.chatId, list);
          }
          return { messageId: `m${sent}` };
        },
      },
    });
    await seedDemo(desk.services);
    const groups = Array.from({ length: GROUPS }, (_, g) => `soak-${g}`);
    for (const [g, chatId] of groups.entries()) {
      await desk.services.directory.bindGroup('console', chatId, g % 2 ? 'acme' : 'globex');
    }
    const random = lcg(42);
    let messages = 0;
    let ticketsOpened = 0;
    let ticks = 0;
    const say = (chatId: string, sender: string, text: string, addressed: boolean): InboundMessage => ({
      platform: 'console',
      chatId,
      chatKind: 'group',
      messageId: `soak-${++messages}`,
      sender: { id: sender },
      text,
      mentions: [],
      addressed,
    });
    const samples: Array<{ rss: number; heap: number }> = [];
    for (let minute = 0; minute < hours * 60; minute++) {
      for (let s = 0; s < 60 / EVERY_SECONDS; s++) {
        clock.advance(EVERY_SECONDS * SECOND);
        const g = Math.floor(random() * GROUPS);
        const chatId = groups[g]!;
        const customer = g % 2 ? 'alice' : 'erin';
        const tickets = open.get(chatId) ?? [];
        const ticket = tickets[Math.floor(random() * tickets.length)];
        const roll = random();
        if (ticket === undefined || roll < 0.45) {
          ticketsOpened++;
          await desk.router.handle(
            say(chatId, customer, `request ${messages}: the build fails on Node 20`, true),
          );
        } else if (roll < 0.65) {
          await desk.router.handle(
            say(chatId, customer, `#${ticket} more detail: it fails on Node 22 too`, false),
          );
        } else if (roll < 0.88) {
          await desk.router.handle(say('staff', 'bob', `/reply #${ticket} Please try 3.3.0`, false));
        } else {
          await desk.router.handle(say('staff', 'bob', `/resolve #${ticket} fixed in 3.3.0`, false));
          tickets.splice(tickets.indexOf(ticket), 1);
        }
      }
      await desk.router.idle();
      await desk.sla.scheduler?.tick(clock.now());
      ticks++;
      if ((minute + 1) % 60 === 0) {
        gc();
        const { rss, heapUsed } = process.memoryUsage();
        samples.push({ rss: rss / 2 ** 20, heap: heapUsed / 2 ** 20 });
      }
    }
    await desk.router.idle();
    await desk.sla.scheduler?.stop();
    // The day must have been the desk's: tickets resolved and answered, not refused commands.
    const resolved = await store.queryTickets({ statuses: ['resolved'], limit: 1 });
    const bob = await bobId(store);
    const answered = bob === undefined ? [] : await store.queryTickets({ assigneeId: bob, limit: 1 });
    if (!resolved.length || !answered.length) throw new Error('bench: staff commands did not take effect');
    await store.close();
    const warm = samples[Math.min(WARM_UP_HOURS, samples.length) - 1]!;
    const end = samples[samples.length - 1]!;
    return {
      hours,
      groups: GROUPS,
      messages,
      ticketsOpened,
      sent,
      ticks,
      rssAfterWarmUpMb: round(warm.rss),
      rssEndMb: round(end.rss),
      rssGrowthMb: round(end.rss - warm.rss),
      heapAfterWarmUpMb: round(warm.heap),
      heapEndMb: round(end.heap),
      heapGrowthMb: round(end.heap - warm.heap),
      rssByHourMb: samples.map((x) => Math.round(x.rss)),
      wallSeconds: round(Number(process.hrtime.bigint() - started) / 1e9),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bobId(store: Store): Promise<string | undefined> {
  return (await store.findPersonByIdentity('console', 'bob'))?.id;
}

/** A garbage collection on demand, without asking for `--expose-gc` on the command line. */
function exposeGc(): () => void {
  if (typeof global.gc === 'function') return global.gc as () => void;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** The same sequence of messages every run. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

if (require.main === module) runAlone('soak', benchSoak());
