/**
 * The store contract on MongoDB, whenever one is reachable through MONGODB_URI: one fresh
 * database per run (emptied between tests, dropped at the end). Without a server the suite
 * is reported as skipped, with the reason, never silently passed.
 */
import mongoose, { type Connection } from 'mongoose';
import { mongoEnvSchema, openMongoStore } from '../../src/store/mongo';
import { describeStoreContract } from './store.contract';

const SKIPPED =
  'MongoDB store contract (skipped: MONGODB_URI is not set and no MongoDB server can be installed on this machine)';

// Tests read the environment through the store's own schema, as config/ does.
const { MONGODB_URI: uri } = mongoEnvSchema.parse(process.env);

if (uri === undefined) {
  console.warn(SKIPPED);
  describe.skip(SKIPPED, () => {
    it('runs the whole store contract against MongoDB', () => undefined);
  });
} else {
  const dbName = `groupdesk_test_${process.pid}_${Date.now()}`;
  let admin: Connection | undefined;

  beforeAll(async () => {
    admin = await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: 5000 }).asPromise();
  });
  afterAll(async () => {
    await admin?.dropDatabase();
    await admin?.close();
  });

  // The reminder ledger (SlaStore) included: MongoStore keeps it (mongo.reminders.ts).
  describeStoreContract('MongoDB', async () => {
    for (const collection of await admin!.db!.collections()) await collection.deleteMany({});
    const store = await openMongoStore({ uri, dbName });
    return { store, cleanup: () => store.close() };
  });
}
