/**
 * Several bot instances on one MongoDB, whenever one is reachable through MONGODB_URI: two
 * stores on two connections (two connection pools, as two processes would have) race for
 * the same messages, numbers, tickets and reminders. Without a server the suite is reported
 * as skipped with that reason. (For SQLite, two real processes: sqlite.processes.test.ts.)
 */
import type { MongoStore } from '../../src/store/mongo';
import { openMongoStore } from '../../src/store/mongo';
import { describeWithMongo } from './mongo.suite';
import { event, HOUR, newTicket, seed, T0 } from './store.fixtures';

const WOULD_RUN = [
  'two instances never create two tickets from one message, reuse a number, or both win one update',
  'two instances claiming the same due reminders each win every row exactly once',
];

describeWithMongo('MongoDB multi-instance races', WOULD_RUN, (db) => {
  let a: MongoStore;
  let b: MongoStore;

  beforeEach(async () => {
    [a, b] = await Promise.all([openMongoStore(db), openMongoStore(db)]);
    await seed(a);
  });
  afterEach(() => Promise.all([a.close(), b.close()]));

  describe('two GroupDesk instances on one MongoDB', () => {
    it('let exactly one of them claim each redelivered message', async () => {
      const keys = Array.from({ length: 200 }, (_, i) => `slack::C-ACME:M${i}`);
      const [mine, theirs] = await Promise.all([
        Promise.all(keys.map((key) => a.claimInbound(key, T0))),
        Promise.all(keys.map((key) => b.claimInbound(key, T0))),
      ]);
      const winners = keys.map((_, i) => Number(mine[i]) + Number(theirs[i]));
      expect(winners).toEqual(keys.map(() => 1));
    });

    it('create one ticket from one message delivered to both', async () => {
      for (let i = 0; i < 20; i += 1) {
        const sourceKey = `slack::C-ACME:dup-${i}`;
        const [x, y] = await Promise.all([
          a.createTicket(newTicket({ sourceKey }), event()),
          b.createTicket(newTicket({ sourceKey }), event()),
        ]);
        expect([x.created, y.created].sort()).toEqual([false, true]);
        expect(x.ticket.number).toBe(y.ticket.number);
        expect(await a.listEvents(x.ticket.number)).toHaveLength(1);
      }
    });

    it('never hand out one ticket number twice', async () => {
      const make = (store: MongoStore, who: string) =>
        Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.createTicket(newTicket({ sourceKey: `${who}-${i}` }), event()).then((r) => r.ticket.number),
          ),
        );
      const numbers = (await Promise.all([make(a, 'a'), make(b, 'b')])).flat();
      expect(new Set(numbers).size).toBe(200);
      expect(Math.min(...numbers)).toBeGreaterThan(1000);
    });

    it('let one of them win a compare-and-set, so a reminder recorded that way is sent once', async () => {
      const { ticket } = await a.createTicket(newTicket(), event());
      const remind = (store: MongoStore) =>
        store.updateTicket(ticket.number, ticket.version, { updatedAt: T0 + HOUR }, [
          event({ kind: 'reminder_sent', actorId: 'system', text: 'stage:50', at: T0 + HOUR }),
        ]);
      const results = await Promise.all([remind(a), remind(b)]);
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      const reminders = (await b.listEvents(ticket.number)).filter((e) => e.kind === 'reminder_sent');
      expect(reminders).toHaveLength(1);
    });

    it('claim the same due reminders at once, and each row is won and recorded exactly once', async () => {
      const { ticket } = await a.createTicket(newTicket(), event());
      const subject = `ticket:${ticket.number}`;
      const stages = Array.from({ length: 300 }, (_, i) => ({
        subject,
        stage: `s${i}`,
        dueAt: T0 + (i % 7),
      }));
      await Promise.all([a.scheduleReminders(stages, T0), b.scheduleReminders(stages, T0)]);
      // Each instance works like its scheduler: claim a batch, settle it, until nothing is due.
      const work = async (store: MongoStore, owner: string) => {
        const won: string[] = [];
        let recorded = 0;
        for (;;) {
          const claimed = await store.claimReminders(owner, T0 + 60_000, T0 + 10, 25);
          if (claimed.length === 0) return { won, recorded };
          won.push(...claimed.map((r) => r.key));
          recorded += await store.settleReminders(
            owner,
            claimed.map((r) => ({
              key: r.key,
              result: 'sent' as const,
              at: T0 + 10,
              event: { ticketNumber: ticket.number, event: event({ kind: 'reminder_sent', text: r.stage }) },
            })),
          );
        }
      };
      const [x, y] = await Promise.all([work(a, 'instance-a'), work(b, 'instance-b')]);
      const won = [...x.won, ...y.won];
      expect(won).toHaveLength(300);
      expect(new Set(won).size).toBe(300);
      expect(x.recorded + y.recorded).toBe(300);
      const rows = await a.listReminders(subject);
      expect(rows.filter((r) => r.status === 'sent' && r.round === 1)).toHaveLength(300);
      const sent = (await b.listEvents(ticket.number)).filter((e) => e.kind === 'reminder_sent');
      expect(sent.map((e) => e.text).sort()).toEqual(stages.map((s) => s.stage).sort());
      // Nothing is left to take, and a late outcome from the other instance is refused.
      expect(await b.claimReminders('instance-b', T0 + 120_000, T0 + 60_000, 25)).toEqual([]);
      expect(await b.settleReminders('instance-b', [{ key: won[0]!, result: 'skipped', at: T0 }])).toBe(0);
    });
  });
});
