/**
 * MongoDB specifics of UpstreamLinks (mongo.links.ts): a link document left behind by a write
 * that died before its event is never believed, and links stored before the `upstream_links`
 * collection existed are copied once, at the next open.
 */
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/store/mongo';
import { describeWithMongo } from './mongo.suite';
import { create, event, seed, T0 } from './store.fixtures';

const REF = { repo: 'acme-oss/framework', number: 12 };

describeWithMongo(
  'MongoDB upstream links',
  ['never believes a link document without its event', 'copies the links of older events once, at open'],
  (db) => {
    const raw = async () => mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();

    it('never believes a link document without its event', async () => {
      const store = await openMongoStore(db);
      await seed(store);
      const t = await create(store);
      const connection = await raw();
      try {
        await connection.db!.collection('upstream_links').insertOne({
          _id: `acme-oss/framework#12|${t.number}` as never,
          ref: 'acme-oss/framework#12',
          ticketNumber: t.number,
        });
        expect(await store.ticketsLinkedTo(REF)).toEqual([]);
        await store.addEvent(
          t.number,
          event({ kind: 'upstream_link', actorId: 'bob', to: 'acme-oss/framework#12' }),
        );
        expect(await store.ticketsLinkedTo(REF)).toEqual([t.number]);
      } finally {
        await connection.close();
        await store.close();
      }
    });

    it('copies the links of older events once, at open', async () => {
      const first = await openMongoStore(db);
      await seed(first);
      const t = await create(first);
      await first.close();
      const connection = await raw();
      try {
        // As a GroupDesk before the collection left it: the event only, no marker.
        await connection.db!.collection('events').insertOne({
          ticketNumber: t.number,
          at: T0 + 1,
          kind: 'upstream_link',
          actorId: 'bob',
          to: 'Acme-OSS/Framework#12',
        });
        await connection.db!.collection('counters').deleteOne({ _id: 'upstream_links_backfilled' as never });
        const store = await openMongoStore(db);
        expect(await store.ticketsLinkedTo(REF)).toEqual([t.number]);
        await store.close();
        expect(await connection.db!.collection('upstream_links').countDocuments({})).toBe(1);
      } finally {
        await connection.close();
      }
    });
  },
);
