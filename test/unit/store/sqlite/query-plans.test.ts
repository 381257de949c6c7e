/**
 * Every query the SQLite store makes is served by an index (EXPLAIN QUERY PLAN), so that
 * the cost of the per-message lookups and of the SLA scan does not grow with history.
 */
import { type Db, openDatabase } from '../../../../src/store/sqlite/connection';
import { SQL } from '../../../../src/store/sqlite/statements';
import { selectSql, ticketWhere, updateSql } from '../../../../src/store/sqlite/ticket.sql';
import { checkQuery } from '../../../../src/store/ticket-inputs';

/** Listing everything is what these are for. */
const FULL_LISTINGS = new Set(['listCustomers', 'listGroups']);

/**
 * SQLite plans a scan of message_links for every ticket INSERT (the parent side of its
 * foreign key) but only runs it while deferred foreign-key violations are outstanding,
 * which never happens with immediate constraints; so that line is allowed there.
 */
const ALLOWED_SCANS: Record<string, string> = { insertTicket: 'SCAN message_links' };

function plan(db: Db, sql: string): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map(
    (row) => row.detail,
  );
}

function fullScans(lines: string[], allowed?: string): string[] {
  return lines.filter((line) => /^SCAN \w+$/.test(line) && line !== allowed);
}

describe('SQLite query plans', () => {
  let db: Db;
  beforeAll(() => {
    db = openDatabase(':memory:', { busyTimeoutMs: 0, synchronous: 'normal' });
  });
  afterAll(() => db.close());

  it.each(Object.entries(SQL).filter(([name]) => !FULL_LISTINGS.has(name)))(
    '%s uses an index',
    (name, sql) => {
      expect(fullScans(plan(db, sql), ALLOWED_SCANS[name])).toEqual([]);
    },
  );

  it.each([
    ['the queue', { statuses: ['open', 'claimed', 'waiting_on_customer'] }],
    ['the SLA scan', { dueBefore: 1 }],
    ['the SLA scan of some statuses', { dueBefore: 1, statuses: ['open', 'claimed'] }],
    ['a customer report', { customerId: 'acme', createdSince: 1 }],
    ['a report across customers', { createdSince: 1 }],
    ['/mine', { requesterId: 'alice', statuses: ['open'] }],
    ['a workload', { assigneeId: 'bob' }],
  ] as const)('queryTickets for %s uses an index', (_, query) => {
    expect(fullScans(plan(db, selectSql(ticketWhere(checkQuery(query)).clause)))).toEqual([]);
  });

  it('updateTicket finds the row by its number', () => {
    expect(plan(db, updateSql(['status', 'updatedAt']))).toEqual([
      expect.stringMatching(/INTEGER PRIMARY KEY/),
    ]);
  });

  it('people queries use an index', () => {
    for (const where of ['WHERE role = ?', 'WHERE customer_id = ?', 'WHERE role = ? AND customer_id = ?']) {
      expect(fullScans(plan(db, `SELECT id FROM people ${where} ORDER BY id`))).toEqual([]);
    }
  });
});
