/**
 * The store contract on MongoDB, reminder ledger (SlaStore) included, whenever one is
 * reachable through MONGODB_URI (mongo.suite.ts).
 */
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/store/mongo';
import { describeWithMongo } from './mongo.suite';
import { describeStoreContract } from './store.contract';
import { outbound } from './store.contract.outbox';
import { HOUR, T0 } from './store.fixtures';

describeWithMongo('MongoDB store contract', ['runs the whole store contract against MongoDB'], (db) => {
  describeStoreContract('MongoDB', async () => {
    const store = await openMongoStore(db);
    return { store, cleanup: () => store.close() };
  });
});

describeWithMongo(
  'MongoDB outbox collections',
  ['keeps only the waiting rows and each chat’s newest in the outbox collection'],
  (db) => {
    it('keeps only the waiting rows and each chat’s newest in the outbox collection', async () => {
      const store = await openMongoStore(db);
      const raw = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
      try {
        for (let i = 1; i <= 5; i++) {
          for (const chat of ['G1', 'G2']) {
            const [row] = await store.enqueueOutbound([outbound(chat, `${chat}-${i}`)], T0 + i);
            const claimed = await store.claimOutbound(row!, 'w1', T0 + i + HOUR, T0 + i);
            await store.settleOutbound(claimed!.id, 'w1', { result: 'sent', at: T0 + i });
          }
        }
        await store.enqueueOutbound([outbound('G1', 'waiting')], T0 + 9);
        const live = await raw.db!.collection('outbox').find({}).sort({ chat: 1, seq: 1 }).toArray();
        // What a sender scans: G1's newest sent row (its seq goes on), the waiting one, G2's newest.
        expect(live.map((d) => [d.chat, d.seq, d.state])).toEqual([
          ['qq:G1', 5, 'sent'],
          ['qq:G1', 6, 'queued'],
          ['qq:G2', 5, 'sent'],
        ]);
        expect(await raw.db!.collection('outbox_done').countDocuments({})).toBe(8);
        expect(await store.listOutbound({ states: ['sent'] })).toHaveLength(10);
      } finally {
        await raw.close();
        await store.close();
      }
    });
  },
);
