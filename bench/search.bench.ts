/**
 * `/search` over the embedded store at 100,000 and 1,000,000 tickets (issue 16), typed by an
 * engineer through the real router: p50/p99 per query kind. The tickets come from
 * sla.bench.ts's `fill` (every subject the same: a word every ticket matches), plus one
 * customer message each, written through the schema's triggers as the store writes them:
 * a rare code (`E0123`, 1 in 1,000 tickets), a Chinese phrase every ticket has, and a
 * two-character word (below the trigram length: the LIKE fallback).
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
const QUERIES = {
  rare: '/search E0123',
  rareChinese: '/search 第123号节点',
  commonSubject: '/search build fails',
  commonChinese: '/search 节点超时',
  short: '/search 超时 m7',
  nothing: '/search zzzqqq',
} as const;
const RUNS = 20;

export async function benchSearch(tickets: number): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-search-bench-'));
  try {
    const file = path.join(dir, 'groupdesk.sqlite');
    await openSqliteStore(file).close();
    const started = performance.now();
    fill(file, tickets);
    const db = new Database(file);
    const insert = db.prepare(
      "INSERT INTO events (ticket_number, at, kind, actor_id, text) VALUES (?, 0, 'customer_message', 'alice', ?)",
    );
    db.exec('BEGIN');
    for (let i = 0; i < tickets; i++) {
      const code = String(i % 1000).padStart(4, '0');
      insert.run(1001 + i, `error E${code} in module m${i % 37}: 第${i % 1000}号节点超时, retry ${i}`);
    }
    db.exec('COMMIT');
    db.close();
    const fillSeconds = (performance.now() - started) / 1000;
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../config'),
    });
    const store = openSqliteStore(file);
    let lastText = '';
    const desk = createDesk({
      config,
      store,
      clock: new ManualClock(NOW),
      logger: silentLogger,
      messenger: {
        send: async (message) => {
          lastText = message.text;
          return { messageId: 'x' };
        },
      },
    });
    let id = 0;
    const say = async (text: string) => {
      const message: InboundMessage = {
        platform: 'console',
        chatId: 'staff',
        chatKind: 'group',
        messageId: `m${++id}`,
        sender: { id: 'bob', name: 'bob' },
        text,
        mentions: [],
        addressed: true,
      };
      await desk.router.handle(message);
      await desk.router.idle();
    };
    const queries: Record<string, { p50Ms: number; p99Ms: number; answer: string; results: number }> = {};
    for (const [name, text] of Object.entries(QUERIES)) {
      for (let i = 0; i < 2; i++) await say(text);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        await say(text);
        times.push(performance.now() - t0);
      }
      queries[name] = {
        p50Ms: round(percentile(times, 0.5)),
        p99Ms: round(percentile(times, 0.99)),
        answer: lastText.split('\n')[0]!.slice(0, 80),
        results: lastText.split('\n').filter((l) => l.startsWith('#')).length,
      };
    }
    await store.close();
    return { tickets, fillSeconds: round(fillSeconds), queries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runAlone('search', benchSearch(Number(process.argv[2] ?? 100_000)));
