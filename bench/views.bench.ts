/**
 * What a person waits for when they look at the desk, over an embedded store of 1,000,000
 * tickets (filled by sla.bench.ts's `fill`): `/queue`, `/overdue`, `/mine`, `/history`, a
 * subscriber's `/status`, and `/report 30`, each typed through the real router and answered
 * to a messenger that only counts. For each view: p50/p99 over the runs, the SQL it ran and
 * SQLite's plan for it (EXPLAIN QUERY PLAN with the same arguments), so a view whose cost
 * grows with the store instead of with what it shows is named by its plan ("SCAN tickets").
 * Targets (issue 15): ≤ 20 ms p99 for each view, ≤ 200 ms for /report 30.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { loadConfig } from '../config/load';
import { createDesk } from '../src/app';
import type { InboundMessage } from '../src/core/chat';
import { ManualClock } from '../src/core/clock';
import { silentLogger } from '../src/core/logger';
import { openSqliteStore } from '../src/store/sqlite';
import { percentile, round, runAlone } from './figures';
import { fill } from './sla.bench';

const NOW = Date.parse('2026-11-23T02:00:00Z');
const VIEWS = {
  queue: { as: 'bob', in: 'staff', text: '/queue', runs: 50 },
  overdue: { as: 'carol', in: 'managers', text: '/overdue', runs: 50 },
  mine: { as: 'bob', in: 'staff', text: '/mine', runs: 50 },
  history: { as: 'bob', in: 'staff', text: '/history #{last}', runs: 50 },
  status: { as: 'alice', in: 'acme', text: '/status', runs: 50 },
  report30: { as: 'carol', in: 'managers', text: '/report 30', runs: 10 },
} as const;

interface ViewFigures {
  p50Ms: number;
  p99Ms: number;
  /** The first line of the answer, to see that it answered what was asked. */
  answer: string;
  statements: number;
  /** Plan steps that read a whole table, as SQLite words them. */
  scans: string[];
  plan: string[];
}

/** Records the SQL of every statement run while `recording` is set, and how often each ran. */
export function recordSql(): {
  start(): void;
  stop(): Array<{ sql: string; args: unknown[]; calls: number }>;
} {
  const sources = new WeakMap<object, string>();
  const proto = Database.prototype as unknown as { prepare(sql: string): object };
  const prepare = proto.prepare;
  let seen: Map<string, { args: unknown[]; calls: number }> | undefined;
  proto.prepare = function (this: unknown, sql: string) {
    const statement = prepare.call(this, sql);
    sources.set(statement, sql);
    return statement;
  };
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['all', 'get', 'iterate', 'run'] as const) {
    const original = statementProto[method] as (...args: unknown[]) => unknown;
    statementProto[method] = function (this: object, ...args: unknown[]) {
      const sql = sources.get(this);
      if (seen && sql) {
        const entry = seen.get(sql) ?? { args, calls: 0 };
        entry.calls++;
        seen.set(sql, entry);
      }
      return original.apply(this, args);
    };
  }
  return {
    start: () => {
      seen = new Map();
    },
    stop: () => {
      const out = [...(seen ?? new Map<string, { args: unknown[]; calls: number }>())].map(
        ([sql, { args, calls }]) => ({ sql, args, calls }),
      );
      seen = undefined;
      return out;
    },
  };
}

export async function benchViews(tickets = 1_000_000): Promise<Record<string, unknown>> {
  const recorder = recordSql();
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-views-bench-'));
  try {
    const file = path.join(dir, 'groupdesk.sqlite');
    await openSqliteStore(file).close();
    const started = performance.now();
    fill(file, tickets);
    const fillSeconds = (performance.now() - started) / 1000;
    const extra = new Database(file);
    extra.exec(`
      INSERT INTO people (id, name, role, customer_id, created_at) VALUES ('alice', 'alice', 'subscriber', 'acme', 0);
      INSERT INTO identities (platform, user_id, person_id) VALUES ('console', 'alice', 'alice');
      INSERT INTO subscriptions (id, customer_id, plan, starts_at, ends_at, grace_days, training_used, created_at)
        VALUES ('sub-acme', 'acme', 'basic', 0, ${NOW + 365 * 86_400_000}, 14, 0, 0);
      -- bob works on 50 of the running tickets, as an engineer would.
      UPDATE tickets SET assignee_id = 'bob', status = 'claimed'
        WHERE number IN (SELECT number FROM tickets WHERE status = 'open' ORDER BY number LIMIT 50);
    `);
    extra.close();
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../config'),
    });
    const store = openSqliteStore(file);
    let replies = 0;
    let lastText = '';
    const desk = createDesk({
      config,
      store,
      clock: new ManualClock(NOW),
      logger: silentLogger,
      messenger: {
        send: async (message) => {
          replies++;
          lastText = message.text;
          return { messageId: 'x' };
        },
      },
    });
    const last = 1000 + tickets;
    let id = 0;
    const say = async (as: string, chat: string, text: string) => {
      const message: InboundMessage = {
        platform: 'console',
        chatId: chat,
        chatKind: 'group',
        messageId: `m${++id}`,
        sender: { id: as, name: as },
        text,
        mentions: [],
        addressed: true,
      };
      const before = replies;
      await desk.router.handle(message);
      await desk.router.idle();
      if (replies === before) throw new Error(`no answer to ${text}`);
    };
    const views: Record<string, ViewFigures> = {};
    for (const [name, view] of Object.entries(VIEWS)) {
      const text = view.text.replace('{last}', String(last));
      for (let i = 0; i < 3; i++) await say(view.as, view.in, text); // warm: statements prepared, pages cached
      recorder.start();
      await say(view.as, view.in, text);
      const statements = recorder.stop();
      const times: number[] = [];
      for (let i = 0; i < view.runs; i++) {
        const t0 = performance.now();
        await say(view.as, view.in, text);
        times.push(performance.now() - t0);
      }
      const plan = explain(file, statements);
      const answer = lastText.split('\n')[0]!.slice(0, 120);
      views[name] = {
        p50Ms: round(percentile(times, 0.5)),
        p99Ms: round(percentile(times, 0.99)),
        answer,
        statements: statements.length,
        scans: fullScans(plan),
        plan,
      };
    }
    await store.close();
    const p99 = (name: keyof typeof VIEWS) => views[name]!.p99Ms;
    const targets = {
      viewsP99Under20ms: (['queue', 'overdue', 'mine', 'history', 'status'] as const).every(
        (v) => p99(v) <= 20,
      ),
      report30Under200ms: p99('report30') <= 200,
      noFullScan: Object.values(views).every((v) => v.scans.length === 0),
    };
    return { tickets, fillSeconds: round(fillSeconds), views, targets };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Plan steps that read a whole tickets-sized table (the small directory tables may be
 * scanned; a full-text MATCH, `VIRTUAL TABLE INDEX n:M…`, and json_each over bound
 * arguments read only what they are given).
 */
export function fullScans(plan: readonly string[]): string[] {
  return plan.filter((step) => {
    const detail = step.replace(/^.*?: /, '');
    return (
      /^SCAN (?!\(subquery|CONSTANT|(customers|people|chat_groups|subscriptions|identities|json_each)\b)/.test(
        detail,
      ) && !/VIRTUAL TABLE INDEX \d+:M/.test(detail)
    );
  });
}

/** `EXPLAIN QUERY PLAN` of each statement with the arguments it ran with, as "n: detail" lines. */
export function explain(file: string, statements: ReadonlyArray<{ sql: string; args: unknown[] }>): string[] {
  const db = new Database(file, { readonly: true });
  const steps: string[] = [];
  try {
    statements.forEach(({ sql, args }, n) => {
      if (!/^\s*(SELECT|WITH|UPDATE|DELETE|INSERT)/i.test(sql)) return;
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>;
      for (const row of rows) steps.push(`${n}: ${row.detail}`);
    });
  } finally {
    db.close();
  }
  return steps;
}

if (require.main === module) runAlone('views', benchViews(Number(process.argv[2] ?? 1_000_000)));
