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
import type { ClaimDoc } from './mongo.schemas';

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
