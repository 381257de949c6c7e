/**
 * Training sessions booked on MongoDB. A booking is the unique insert of the slot
 * `<subscription>#<n>` (mongo.claims.ts), so two bookings never take one place. The
 * subscription's `trainingUsed` is raised after it, but on FerretDB 1.x that raise is a
 * read-change-write, and two at once can leave the lower value. So the slots are the truth:
 * sessions used = the greater of the stored count and the highest booked slot + 1 (the
 * store's import empties the slots, and the imported count stands).
 */
import mongoose, { type Model } from 'mongoose';
import type { Subscription } from '../../core/model';
import { insertClaim } from './mongo.claims';
import type { ClaimDoc, SubscriptionDoc } from './mongo.schemas';

const { trusted } = mongoose;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Per subscription, the sessions its slots say are used; all of them when `ids` is omitted. */
export async function bookedTraining(
  slots: Model<ClaimDoc>,
  ids?: readonly string[],
): Promise<Map<string, number>> {
  const booked = new Map<string, number>();
  if (ids !== undefined && ids.length === 0) return booked;
  const filter =
    ids === undefined ? {} : { _id: trusted({ $regex: `^(${ids.map(escapeRegExp).join('|')})#\\d+$` }) };
  for (const slot of await slots.find(filter).select({ _id: 1 }).lean().exec()) {
    const hash = slot._id.lastIndexOf('#');
    const id = slot._id.slice(0, hash);
    const used = Number(slot._id.slice(hash + 1)) + 1;
    if (used > (booked.get(id) ?? 0)) booked.set(id, used);
  }
  return booked;
}

/** The subscription with the sessions its slots say are used, when that is more than stored. */
export function withBooked(subscription: Subscription, booked: ReadonlyMap<string, number>): Subscription {
  const used = booked.get(subscription.id) ?? 0;
  return used > subscription.trainingUsed ? { ...subscription, trainingUsed: used } : subscription;
}

/** The slots used for the sessions a subscription can still book: from the first free one on. */
export async function firstFreeSlot(slots: Model<ClaimDoc>, id: string, stored: number): Promise<number> {
  return Math.max(stored, (await bookedTraining(slots, [id])).get(id) ?? 0);
}

/** Frees the slots from `used` on, when a subscription is stored with fewer sessions used. */
export async function releaseSlots(slots: Model<ClaimDoc>, id: string, used: number): Promise<void> {
  const booked = (await bookedTraining(slots, [id])).get(id) ?? 0;
  if (booked <= used) return;
  const freed = Array.from({ length: booked - used }, (_, i) => `${id}#${used + i}`);
  await slots.deleteMany({ _id: { $in: freed } });
}

/** A release holding its lock longer than this is taken to have died with its process. */
const RELEASE_LOCK_STALE_MS = 30_000;

/**
 * Gives the last booked session back. Releases of one subscription take turns under a lock
 * (the unique insert of `<subscription>~release`, which both servers enforce), so two
 * cancellations never free one place twice. Inside it the highest slot is deleted and the
 * stored count set one lower. A booking at that very moment may count its session twice on
 * FerretDB 1.x (its raise of the count is a read-change-write): a session then stays used,
 * the quota is never exceeded.
 */
export async function releaseBooked(
  subscriptions: Model<SubscriptionDoc>,
  slots: Model<ClaimDoc>,
  id: string,
): Promise<boolean> {
  const lock = `${id}~release`;
  for (let attempt = 0; attempt < 200; attempt++) {
    const at = Date.now();
    if (await insertClaim(slots, { _id: lock, at })) {
      try {
        return await releaseLast(subscriptions, slots, id);
      } finally {
        await slots.deleteOne({ _id: lock, at }).exec();
      }
    }
    const held = await slots.findById(lock).select({ at: 1 }).lean().exec();
    if (held && at - held.at > RELEASE_LOCK_STALE_MS)
      await slots.deleteOne({ _id: lock, at: held.at }).exec();
    else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  throw new Error(`training release of ${id} kept waiting for its lock`);
}

async function releaseLast(
  subscriptions: Model<SubscriptionDoc>,
  slots: Model<ClaimDoc>,
  id: string,
): Promise<boolean> {
  const subscription = await subscriptions.findById(id).select({ trainingUsed: 1 }).lean().exec();
  if (subscription === null) return false;
  const booked = (await bookedTraining(slots, [id])).get(id) ?? 0;
  const used = Math.max(subscription.trainingUsed, booked);
  if (used === 0) return false;
  // Sessions an import counted have no slot; the others do, and the highest one goes.
  if (booked === used) await slots.deleteOne({ _id: `${id}#${used - 1}` }).exec();
  await subscriptions.updateOne({ _id: id }, { $set: { trainingUsed: used - 1 } }).exec();
  return true;
}
