/**
 * Several bot instances on one MongoDB, whenever one is reachable through MONGODB_URI: two
 * stores on two connections (two connection pools, as two processes would have) race for
 * the same messages, numbers and tickets. Without a server the suite is reported as skipped
 * with that reason. (For SQLite, two real processes: sqlite.processes.test.ts.)
 */
import mongoose, { type Connection } from 'mongoose';
import { type MongoStore, mongoEnvSchema, openMongoStore } from '../../src/store/mongo';
import { event, HOUR, newTicket, seed, T0 } from './store.fixtures';

const SKIPPED =
  'MongoDB multi-instance races (skipped: MONGODB_URI is not set and no MongoDB server can be installed on this machine)';

const { MONGODB_URI: uri } = mongoEnvSchema.parse(process.env);

if (uri === undefined) {
  console.warn(SKIPPED);
  describe.skip(SKIPPED, () => {
    it('two instances never create two tickets from one message, reuse a number, or both win one update', () =>
      undefined);
  });
} else {
  const dbName = `groupdesk_instances_${process.pid}_${Date.now()}`;
  let admin: Connection | undefined;
  let a: MongoStore;
  let b: MongoStore;

  beforeAll(async () => {
    admin = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  });
  beforeEach(async () => {
    for (const collection of await admin!.db!.collections()) await collection.deleteMany({});
    [a, b] = await Promise.all([openMongoStore({ uri, dbName }), openMongoStore({ uri, dbName })]);
    await seed(a);
  });
  afterEach(() => Promise.all([a.close(), b.close()]));
  afterAll(async () => {
    await admin?.dropDatabase();
    await admin?.close();
  });

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
  });
}
