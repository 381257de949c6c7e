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
  [
    'never believes a link document without its event',
    'copies the links of older events once, at open',
    'removes the link document on unlink, believes none left behind, and writes it again on a new link',
  ],
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

    it('removes the link document on unlink, believes none left behind, and writes it again on a new link', async () => {
      const store = await openMongoStore(db);
      await seed(store);
      const t = await create(store);
      const connection = await raw();
      const docs = () =>
        connection.db!.collection('upstream_links').countDocuments({ ticketNumber: t.number });
      try {
        const write = (kind: 'upstream_link' | 'upstream_unlink', at: number) =>
          store.addEvent(t.number, event({ at, kind, actorId: 'bob', to: 'acme-oss/framework#12' }));
        await write('upstream_link', T0 + 1);
        expect(await docs()).toBe(1);
        await write('upstream_unlink', T0 + 2);
        expect(await docs()).toBe(0);
        expect(await store.linkedIssues()).toEqual([]);
        // A removal that died after its event: the document left behind is not believed.
        await connection.db!.collection('upstream_links').insertOne({
          _id: `acme-oss/framework#12|${t.number}` as never,
          ref: 'acme-oss/framework#12',
          ticketNumber: t.number,
        });
        expect(await store.ticketsLinkedTo(REF)).toEqual([]);
        await write('upstream_link', T0 + 3);
        expect(await docs()).toBe(1);
        expect(await store.ticketsLinkedTo(REF)).toEqual([t.number]);
      } finally {
        await connection.close();
        await store.close();
      }
    });
  },
);
