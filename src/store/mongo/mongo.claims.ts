/**
 * Claims: "exactly one of several writers wins" resting on the insert of a unique `_id`,
 * the one guarantee that MongoDB and the MongoDB-compatible engines share. FerretDB 1.x
 * runs `update`/`findAndModify` as read, change in Go, write back, with nothing between
 * the read and the write, so a filter such as `{ _id, version }` lets two writers through;
 * its unique indexes are SQL unique constraints and refuse the second insert at once.
 *
 * A claim is taken before the write it guards, so a process that dies between the two
 * leaves a claim with no write. Each kind of claim says how it gets past one:
 * - a lease (`leaseUntil`): once it has ended, the next claim of the series (`#1`, `#2`, …)
 *   may be taken, by one writer only, since it is a unique insert too;
 * - no lease: a claim older than STALE_CLAIM_MS with its write still missing is stale,
 *   and the next of the series is taken the same way.
 * In a transaction (a replica set) the claim commits or rolls back with its write, so no
 * claim is ever left behind there.
 */
import mongoose, { type ClientSession, type Model } from 'mongoose';
import { isDuplicateKey } from './mongo.errors';
import type { ClaimDoc } from './mongo.schemas';
import { inSession } from './mongo.support';

const { trusted } = mongoose;

/** A claim without a lease whose write has not happened within this long is taken to be orphaned. */
export const STALE_CLAIM_MS = 10_000;

/** Inserts the claim; true when this call made it, false when it was there already. */
export async function insertClaim(
  model: Model<ClaimDoc>,
  doc: ClaimDoc,
  session?: ClientSession,
): Promise<boolean> {
  try {
    await model.create([doc], inSession(session));
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The newest claim of a series (`base`, then `base#1`, `base#2`, …) and its number. */
async function newestOf(model: Model<ClaimDoc>, base: string): Promise<[ClaimDoc, number] | undefined> {
  const found = await model
    .find({ _id: trusted({ $regex: `^${escapeRegExp(base)}(#\\d+)?$` }) })
    .lean()
    .exec();
  const epoch = (id: string) => (id === base ? 0 : Number(id.slice(base.length + 1)));
  let newest: [ClaimDoc, number] | undefined;
  for (const claim of found)
    if (newest === undefined || epoch(claim._id) > newest[1]) newest = [claim, epoch(claim._id)];
  return newest;
}

/**
 * Claims `base` for `doc`'s writer. When it is taken, and the newest claim of its series
 * has ended (`ended` says so: a lease run out, a write that never came), the next one of
 * the series is tried. Returns the `_id` this call claimed, or undefined when it holds none.
 */
export async function claimSeries(
  model: Model<ClaimDoc>,
  base: string,
  doc: Omit<ClaimDoc, '_id'>,
  ended: (newest: ClaimDoc) => boolean | Promise<boolean>,
): Promise<string | undefined> {
  if (await insertClaim(model, { ...doc, _id: base })) return base;
  // The common case, a claim still held, costs one lookup by `_id` (the one filter FerretDB 1.x
  // on SQLite pushes down); the series is read only once its first claim has ended, since no
  // later claim of it can exist before that.
  const first = await model.findById(base).lean().exec();
  if (first !== null && !(await ended(first))) return undefined;
  const newest = await newestOf(model, base);
  if (newest === undefined || !(await ended(newest[0]))) return undefined;
  const next = `${base}#${newest[1] + 1}`;
  return (await insertClaim(model, { ...doc, _id: next })) ? next : undefined;
}

/** Drops claims older than `before` (ms), which nothing reads any more; returns how many. */
export async function pruneClaims(model: Model<ClaimDoc>, before: number): Promise<number> {
  return (await model.deleteMany({ at: trusted({ $lt: before }) })).deletedCount;
}
