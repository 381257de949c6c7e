/**
 * Suites that need a MongoDB server. They run whenever MONGODB_URI is set (read through
 * the store's own schema, as config/ does), each in a database of its own that is emptied
 * before every test and dropped at the end. Without a server they are reported as
 * skipped, with the reason and the tests they would run, never silently passed.
 */
import mongoose, { type Connection } from 'mongoose';
import { mongoEnvSchema } from '../../src/store/mongo';

const REASON = 'MONGODB_URI is not set and no MongoDB server can be installed on this machine';

export const mongoUri = mongoEnvSchema.parse(process.env).MONGODB_URI;

/** Where a suite's stores connect. */
export interface MongoDatabase {
  readonly uri: string;
  readonly dbName: string;
}

export function describeWithMongo(
  title: string,
  wouldRun: readonly string[],
  body: (db: MongoDatabase) => void,
): void {
  if (mongoUri === undefined) {
    const skipped = `${title} (skipped: ${REASON})`;
    console.warn(skipped);
    describe.skip(skipped, () => {
      for (const name of wouldRun) it(name, () => undefined);
    });
    return;
  }
  // FerretDB 1.x on SQLite reads a whole collection for most queries, so the contract's bulk
  // tests (hundreds of tickets, concurrent claims) take seconds there, more on a busy machine.
  jest.setTimeout(90_000);
  const db: MongoDatabase = { uri: mongoUri, dbName: `groupdesk_test_${process.pid}_${Date.now()}` };
  let admin: Connection | undefined;
  beforeAll(async () => {
    admin = await mongoose
      .createConnection(db.uri, { dbName: db.dbName, serverSelectionTimeoutMS: 5000 })
      .asPromise();
  });
  beforeEach(async () => {
    for (const collection of await admin!.db!.collections()) await collection.deleteMany({});
  });
  afterAll(async () => {
    await admin?.dropDatabase();
    await admin?.close();
  });
  describe(title, () => body(db));
}
