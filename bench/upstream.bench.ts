/**
 * The upstream tracker's lookup (issue 16): the tickets that link one issue, as a webhook
 * delivery or a poll needs them, at 50,000 tickets on the embedded store. Through the store
 * (`ticketsLinkedTo`, served by schema step 8's partial index) against the same query with
 * the index forbidden (`NOT INDEXED`: the best a scan of the events can do). The tickets come
 * from sla.bench.ts's `fill`, plus four messages each and 500 links to 100 issues; the issue
 * looked up is linked by 5 tickets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { openSqliteStore } from '../src/store/sqlite';
import { LINKED_SQL } from '../src/store/sqlite/sqlite.links';
import { percentile, round, runAlone } from './figures';
import { fill } from './sla.bench';

const REPO = 'acme-oss/framework';
const LINKS = 500;
const ISSUES = 100;
const MESSAGES_PER_TICKET = 4;

export interface LookupFigures {
  readonly tickets: number;
  readonly events: number;
  readonly linked: readonly number[];
  readonly scanned: readonly number[];
  readonly indexedP50Ms: number;
  readonly indexedP99Ms: number;
  readonly scanP50Ms: number;
  readonly scanP99Ms: number;
  readonly plan: string;
}

export async function benchUpstream(tickets = 50_000, runs = 200): Promise<LookupFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-upstream-bench-'));
  try {
    const file = path.join(dir, 'groupdesk.sqlite');
    await openSqliteStore(file).close();
    fill(file, tickets);
    const db = new Database(file);
    const event = db.prepare(
      'INSERT INTO events (ticket_number, at, kind, actor_id, text, to_value) VALUES (?, 0, ?, ?, ?, ?)',
    );
    db.exec('BEGIN');
    for (let i = 0; i < tickets; i++) {
      for (let m = 0; m < MESSAGES_PER_TICKET; m++)
        event.run(
          1001 + i,
          m % 2 ? 'staff_reply' : 'customer_message',
          'alice',
          `message ${m} of ${i}`,
          null,
        );
    }
    // LINKS links spread over the tickets; issue #42 is linked by every (LINKS / ISSUES)-th of them.
    for (let l = 0; l < LINKS; l++) {
      const number = 1001 + Math.floor((l * tickets) / LINKS);
      event.run(number, 'upstream_link', 'bob', 'title https://github.com/x', `${REPO}#${l % ISSUES}`);
    }
    db.exec('COMMIT');
    const events = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const scan = db.prepare(
      `SELECT DISTINCT ticket_number FROM events NOT INDEXED
       WHERE kind = 'upstream_link' AND lower(to_value) = ? ORDER BY ticket_number`,
    );
    const store = openSqliteStore(file);
    const ref = { repo: 'Acme-OSS/Framework', number: 42 };
    const key = `${REPO}#42`;
    const time = async (run: () => Promise<unknown> | unknown): Promise<number[]> => {
      const times: number[] = [];
      for (let i = 0; i < runs + 5; i++) {
        const t0 = performance.now();
        await run();
        if (i >= 5) times.push(performance.now() - t0); // the first few warm the caches
      }
      return times;
    };
    const indexed = await time(() => store.ticketsLinkedTo(ref));
    const scanned = await time(() => scan.all(key));
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${LINKED_SQL}`).all({ key }) as Array<{ detail: string }>)
      .map((r) => r.detail)
      .join('; ');
    const figures: LookupFigures = {
      tickets,
      events,
      linked: await store.ticketsLinkedTo(ref),
      scanned: (scan.all(key) as Array<{ ticket_number: number }>).map((r) => r.ticket_number),
      indexedP50Ms: round(percentile(indexed, 0.5)),
      indexedP99Ms: round(percentile(indexed, 0.99)),
      scanP50Ms: round(percentile(scanned, 0.5)),
      scanP99Ms: round(percentile(scanned, 0.99)),
      plan,
    };
    await store.close();
    db.close();
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runAlone('upstream', benchUpstream(Number(process.argv[2] ?? 50_000)));
