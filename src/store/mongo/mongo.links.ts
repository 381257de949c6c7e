/**
 * The tickets linking an upstream issue, on MongoDB (the UpstreamLinks port,
 * src/core/upstream-links.ts). FerretDB 1.x has neither partial nor sparse indexes, so the
 * links have their own small collection, `upstream_links`, indexed by `ref`. Its only
 * atomic guarantee there is the unique `_id`, so: a link document is written before its
 * event (in the same transaction where there are transactions), and a read keeps only the
 * tickets whose events confirm the link. A write that died between the two leaves a
 * document that no read believes; the event without its document cannot happen.
 * An unlink (/unlink) is its `upstream_unlink` event, then the document's removal; a read
 * believes only a link that no later unlink on that ticket ended.
 */
import mongoose, { type ClientSession } from 'mongoose';
import type { IssueRef } from '../../core/tracker';
import { currentLink, linkKey, refsOfKeys } from '../../core/upstream-links';
import { integer, text } from '../values';
import { isDuplicateKey } from './mongo.errors';
import type { EventDoc, Models } from './mongo.schemas';
import { inSession } from './mongo.support';

const { trusted } = mongoose;
/** `counters` document that says the links of events stored before step 8 were copied. */
const BACKFILLED = 'upstream_links_backfilled';

/**
 * Removes the link documents that the `upstream_unlink` events among `events` end; written
 * after the events, so that a write dying between the two leaves a document the read
 * (which checks the events) no longer believes.
 */
export async function dropUnlinked(
  m: Models,
  events: readonly EventDoc[],
  session?: ClientSession,
): Promise<void> {
  for (const e of events) {
    if (e.kind !== 'upstream_unlink' || e.to === undefined) continue;
    await m.upstreamLinks.deleteOne({ _id: `${e.to.toLowerCase()}|${e.ticketNumber}` }, inSession(session));
  }
}

/** Writes the link documents of the `upstream_link` events among `events`; idempotent. */
export async function recordLinks(
  m: Models,
  events: readonly EventDoc[],
  session?: ClientSession,
): Promise<void> {
  for (const e of events) {
    if (e.kind !== 'upstream_link' || e.to === undefined) continue;
    const ref = e.to.toLowerCase();
    const _id = `${ref}|${e.ticketNumber}`;
    try {
      await m.upstreamLinks.updateOne(
        { _id },
        { $setOnInsert: { ref, ticketNumber: e.ticketNumber } },
        { upsert: true, ...inSession(session) },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // two writers upserting the same link at once
    }
  }
}

export class MongoUpstreamLinks {
  constructor(private readonly m: Models) {}

  async ticketsLinkedTo(ref: IssueRef): Promise<number[]> {
    const key = linkKey({ repo: text(ref.repo, 'ref.repo'), number: integer(ref.number, 'ref.number') });
    const candidates = await this.m.upstreamLinks.find({ ref: key }, { ticketNumber: 1 }).lean().exec();
    if (candidates.length === 0) return [];
    const numbers = [...new Set(candidates.map((c) => c.ticketNumber))];
    const events = await this.m.events
      .find(
        {
          ticketNumber: trusted({ $in: numbers }),
          kind: trusted({ $in: ['upstream_link', 'upstream_unlink'] }),
        },
        { ticketNumber: 1, kind: 1, to: 1 },
      )
      .sort({ ticketNumber: 1, at: 1, _id: 1 })
      .lean()
      .exec();
    const confirmed = numbers.filter(
      (n) =>
        currentLink(
          events.filter((e) => e.ticketNumber === n),
          key,
        ) !== undefined,
    );
    return confirmed.sort((a, b) => a - b);
  }

  /** Every linked issue; a left-behind document adds one needless poll at most (its tickets are confirmed). */
  async linkedIssues(): Promise<IssueRef[]> {
    const keys = (await this.m.upstreamLinks.distinct('ref').exec()) as string[];
    return refsOfKeys([...keys].sort());
  }

  /**
   * Copies the links of events written before the collection existed, once per database
   * (a `counters` marker; one scan of the events, at the first start of this version).
   */
  async backfill(): Promise<number> {
    if ((await this.m.counters.exists({ _id: BACKFILLED })) !== null) return 0;
    const events = await this.m.events.find({ kind: 'upstream_link' }).lean().exec();
    await recordLinks(this.m, events);
    await this.m.counters.updateOne({ _id: BACKFILLED }, { $set: { issued: 1 } }, { upsert: true });
    return events.length;
  }
}
