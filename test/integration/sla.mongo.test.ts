/**
 * The SLA scheduler on MongoDB, whenever one is reachable through MONGODB_URI: the whole
 * desk (router, planner, worker, messages) over a MongoStore, ticked on a ManualClock, as
 * test/unit/sla/scheduler.delivery.test.ts does on SQLite. It shows that the desk picks the
 * ledger up from MongoStore and that each stage goes out once. Without a server the suite
 * is reported as skipped with that reason, never silently passed.
 */
import { type MongoStore, openMongoStore } from '../../src/store/mongo';
import { describeWithMongo } from '../contract/mongo.suite';
import { HOUR, MIN, type SlaDesk, slaDesk } from '../unit/sla/sla-desk';

const WOULD_RUN = ['sends 50 %, 80 % and the breach once each from a desk on MongoDB'];

describeWithMongo('SLA reminders on MongoDB', WOULD_RUN, (db) => {
  let store: MongoStore;
  let s: SlaDesk;

  beforeEach(async () => {
    store = await openMongoStore(db);
    s = await slaDesk({ parts: { store } });
  });
  afterEach(async () => {
    await s.close(); // the helper's own (unused) SQLite store
    await store.close();
  });

  describe('SLA reminders from a desk on MongoDB', () => {
    it('sends 50 %, 80 % and the breach once each, and records each on the ticket', async () => {
      expect(s.desk.sla.scheduler).toBeDefined();
      await s.say('alice', 'acme', '@bot export to PDF crops the last page'); // basic plan: 24 h
      expect(await s.advance(12 * HOUR - MIN)).toEqual([]);
      expect(await s.advance(MIN)).toEqual([expect.stringMatching(/^\[staff\] Reminder: #1001 .* 50%/)]);
      expect(await s.advance(MIN)).toEqual([]); // an overlapping tick finds nothing more
      expect(await s.advance(7 * HOUR + 11 * MIN)).toEqual([
        expect.stringMatching(/^\[staff\] Reminder: #1001 .* 80%/),
      ]);
      expect(await s.advance(4 * HOUR + 49 * MIN)).toEqual([
        expect.stringMatching(/^\[managers\] SLA breach: #1001/),
        expect.stringMatching(/^\[dm:carol\] SLA breach: #1001/),
      ]);
      const events = (await store.listEvents(1001)).filter((e) => e.kind === 'reminder_sent');
      expect(events.map((e) => e.text)).toEqual(['half', 'late', 'breach']);
      expect((await store.listReminders('ticket:1001')).map((r) => [r.stage, r.status])).toEqual([
        ['half', 'sent'],
        ['late', 'sent'],
        ['breach', 'pending'], // the breach alert repeats: it stays pending, counting rounds
      ]);
    });
  });
});
