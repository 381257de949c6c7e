/**
 * Issue 22: a message's change and the outbox rows that tell of it commit together. Here the
 * store refuses one of the rows (a trigger on the real SQLite file, as a full disk or a
 * constraint would): then nothing of the message is stored — no ticket, no claimed inbound
 * key, no acknowledgement, no announcement — and its redelivery, once the fault is gone,
 * opens the ticket with both rows. Before the unit of work, the ticket stayed without them.
 */
import Database from 'libsql';
import type { InboundMessage } from '../../src/core/chat';
import { OUTBOX_STATES } from '../../src/core/ports';
import { sqliteFileIn } from '../../src/store/sqlite';
import { type Playground, playground } from '../e2e/harness';

const request = (messageId: string): InboundMessage => ({
  platform: 'console',
  chatId: 'acme',
  chatKind: 'group',
  messageId,
  sender: { id: 'alice', name: 'Alice' },
  text: 'the build fails on Node 20',
  mentions: [],
  addressed: true,
});

describe('one unit of work per message (SQLite)', () => {
  let pg: Playground;
  let db: Database.Database;

  beforeEach(async () => {
    pg = await playground();
    db = new Database(sqliteFileIn(pg.dir));
  });
  afterEach(async () => {
    db.close();
    await pg.close();
  });

  const refuse = (like: string) =>
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON outbox WHEN NEW.message LIKE '${like}'
      BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
  const texts = async () =>
    (await pg.store.listOutbound({ states: OUTBOX_STATES, limit: 500 })).map((r) => r.message.text);
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;

  it.each([
    ['the acknowledgement', '%is open%'],
    ['the staff announcement', '%New ticket #%'],
  ])(
    'stores neither the ticket nor its rows when %s cannot be stored, and the redelivery stores all',
    async (_, like) => {
      refuse(like);
      await pg.desk.router.handle(request('M1'));
      await pg.desk.router.idle();
      expect(await pg.store.getTicket(1001)).toBeUndefined();
      expect(count('SELECT count(*) AS n FROM tickets')).toBe(0);
      expect(count('SELECT count(*) AS n FROM events')).toBe(0);
      expect(count('SELECT count(*) AS n FROM message_links')).toBe(0);
      const stored = await texts();
      expect(stored.filter((t) => /is open|New ticket/.test(t))).toEqual([]);
      // The requester is told something went wrong (that row is not refused), nothing more.
      expect(stored).toEqual([expect.stringContaining('Something went wrong on our side')]);

      db.exec('DROP TRIGGER refuse');
      await pg.desk.router.handle(request('M1')); // the platform redelivers the same message
      await pg.desk.router.idle();
      expect((await pg.store.getTicket(1001))?.subject).toBe('the build fails on Node 20');
      const after = await texts();
      expect(after.filter((t) => t.includes('Ticket #1001 is open'))).toHaveLength(1);
      expect(after.filter((t) => t.includes('New ticket #1001'))).toHaveLength(1);
    },
  );
});
