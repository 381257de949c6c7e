/**
 * The reminder ledger on SQLite: every statement is served by an index (the tick's cost
 * follows what is due, not the size of the ledger), and no ledger call uses libsql's
 * all()/iterate(), which leak native memory per call.
 */
import Database from 'libsql';
import { openSqliteStore } from '../../../../src/store/sqlite';
import { type Db, openDatabase } from '../../../../src/store/sqlite/connection';
import { REMINDER_SQL } from '../../../../src/store/sqlite/reminders.sql';

const params = {
  subject: 's',
  now: 1,
  owner: 'o',
  lease: 2,
  limit: 1,
  rows: '[]',
  events: '[]',
  keys: '[]',
  since: 0,
  numbers: '[]',
};

function plan(db: Db, sql: string): string[] {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const wanted = Object.fromEntries(Object.entries(params).filter(([name]) => sql.includes(`:${name}`)));
  return (statement.all(wanted) as Array<{ detail: string }>).map((row) => row.detail);
}

describe('SQLite reminder ledger', () => {
  it.each(Object.entries(REMINDER_SQL))('%s uses an index', (_, sql) => {
    const db = openDatabase(':memory:', { busyTimeoutMs: 0, synchronous: 'normal' });
    try {
      // As in query-plans.test.ts: a bare `SCAN <table>` is a full scan; json_each and subqueries are not tables.
      const scans = plan(db, sql).filter((line) => /^SCAN \w+$/.test(line));
      expect(scans).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('the tick’s claim walks the partial index of pending rows by due time', () => {
    const db = openDatabase(':memory:', { busyTimeoutMs: 0, synchronous: 'normal' });
    try {
      expect(plan(db, REMINDER_SQL.due).join(' | ')).toMatch(/USING (COVERING )?INDEX reminders_due/);
    } finally {
      db.close();
    }
  });

  it('never calls libsql all()/iterate()', async () => {
    const store = openSqliteStore(':memory:');
    const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<
      'all' | 'iterate',
      () => unknown
    >;
    const all = jest.spyOn(statement, 'all');
    const iterate = jest.spyOn(statement, 'iterate');
    try {
      await store.scheduleReminders([{ subject: 's', stage: 'a', dueAt: 1 }], 1);
      await store.dueReminders(5, 10);
      const [claimed] = await store.claimReminders('w', 100, 5, 10);
      await store.settleReminders('w', [
        { key: claimed!.key, result: 'failed', at: 5, error: 'x', delivered: [] },
      ]);
      await store.failedReminders(0, 10);
      await store.listReminders('s');
      await store.cancelReminders('s', 5);
      await store.getTickets([1001]);
      expect(all).not.toHaveBeenCalled();
      expect(iterate).not.toHaveBeenCalled();
    } finally {
      all.mockRestore();
      iterate.mockRestore();
      await store.close();
    }
  });
});
