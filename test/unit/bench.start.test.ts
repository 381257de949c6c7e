/**
 * The start bench (bench/start.bench.ts) grows a store with raw SQL behind a real start, so a
 * schema change can break it while every other test passes: this runs one start, grows the
 * store and starts on it again, checking what was stored and that the guide came first, never how fast.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grow, startOnce } from '../../bench/start.bench';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';

it('starts the playground, grows its store to 10,000 closed tickets, and starts on it again', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-bench-start-'));
  try {
    const first = await startOnce(['scripts/start.js'], dir);
    expect(first.promptMs).toBeLessThanOrEqual(first.exitMs);
    grow(dir);
    const store = openSqliteStore(sqliteFileIn(dir));
    try {
      expect((await store.getTicket(110_000))?.status).toBe('closed');
      expect(await store.listEvents(110_000)).toHaveLength(3);
    } finally {
      await store.close();
    }
    const again = await startOnce(['scripts/start.js'], dir);
    expect(again.promptMs).toBeLessThanOrEqual(again.exitMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
