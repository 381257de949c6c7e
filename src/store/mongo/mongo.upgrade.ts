/**
 * Keys a MongoDB database written by an older GroupDesk lacks, filled in at open (SQLite
 * does the same in its schema step 9): the queue's key, the nearest running deadline
 * (src/core/sla/nearest.ts), on every ticket still in the queue. Idempotent: a second open
 * finds nothing to do; a ticket changed meanwhile (another version) got its key from that
 * change and is left alone.
 */
import mongoose, { type Model } from 'mongoose';
import { nearestDueAt } from '../../core/sla/nearest';
import { toTicket } from './mongo.mappers';
import type { TicketDoc } from './mongo.schemas';

const { trusted } = mongoose;
const BATCH = 1000;

/** Returns how many tickets got their key. */
export async function fillQueueKeys(tickets: Model<TicketDoc>): Promise<number> {
  const cursor = tickets
    .find({
      status: trusted({ $in: ['open', 'claimed', 'waiting_on_customer'] }),
      nearestDueAt: trusted({ $exists: false }),
    })
    .lean()
    .cursor({ batchSize: BATCH });
  let filled = 0;
  let batch: Array<{ updateOne: { filter: object; update: object } }> = [];
  const flush = async () => {
    if (batch.length) filled += (await tickets.bulkWrite(batch, { ordered: false })).modifiedCount;
    batch = [];
  };
  for await (const doc of cursor) {
    const key = nearestDueAt(toTicket(doc as TicketDoc));
    if (key === undefined) continue;
    batch.push({
      updateOne: { filter: { _id: doc._id, version: doc.version }, update: { $set: { nearestDueAt: key } } },
    });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return filled;
}
