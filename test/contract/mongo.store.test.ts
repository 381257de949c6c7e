/**
 * The store contract on MongoDB, reminder ledger (SlaStore) included, whenever one is
 * reachable through MONGODB_URI (mongo.suite.ts).
 */
import { openMongoStore } from '../../src/store/mongo';
import { describeWithMongo } from './mongo.suite';
import { describeStoreContract } from './store.contract';

describeWithMongo('MongoDB store contract', ['runs the whole store contract against MongoDB'], (db) => {
  describeStoreContract('MongoDB', async () => {
    const store = await openMongoStore(db);
    return { store, cleanup: () => store.close() };
  });
});
