/**
 * The ticket half of the MongoDB store: creation, compare-and-set updates, events, lookups
 * and the queue query. Values arrive checked (the store checks them before calling); every
 * filter operator here is built by the store and trusted.
 *
 * Both races rest on unique inserts (mongo.claims.ts), not on a filtered update:
 * - a number is issued by inserting it into `ticket_numbers` (never emptied, so no number
 *   comes back), starting from the highest issued (or the imported counter);
 * - an update from version v first claims `<number>:<v>`; only its claimant writes, with
 *   `{ _id, version: v }` in the filter as well. A claim whose write never came (its
 *   process died in between) is taken over after STALE_CLAIM_MS.
 */
import mongoose from 'mongoose';
import type { Ticket, TicketEvent } from '../../core/model';
import type { CheckedTicketQuery, PatchField, PatchValue } from '../ticket-inputs';
import { claimSeries, insertClaim, STALE_CLAIM_MS } from './mongo.claims';
import { isDuplicateKey } from './mongo.errors';
import type { MongoFeatures } from './mongo.features';
import { dropUnlinked, recordLinks } from './mongo.links';
import * as map from './mongo.mappers';
import {
  type EventDoc,
  type MessageLinkDoc,
  type Models,
  TICKET_NUMBER_BASE,
  type TicketDoc,
} from './mongo.schemas';
import { type Atomically, inSession, mapOne, missing, retryOnDuplicate } from './mongo.support';
import { mergeQueue, queuePipelines, ticketPipeline, ticketUpdate } from './mongo.tickets';

/** How many taken numbers in a row a creation skips before it gives up (another writer is racing it). */
const NUMBER_TRIES = 100;

const { trusted } = mongoose;

export class TicketOps {
  /** The number this process tries next; another process may have issued it meanwhile. */
  private nextNumber: number | undefined;
  /** The first read of the highest number, shared by the creations that start together. */
  private firstNumber: Promise<number> | undefined;

  constructor(
    private readonly m: Models,
    private readonly atomically: Atomically,
    private readonly features: MongoFeatures,
  ) {}

  async create(doc: Omit<TicketDoc, '_id'>, event: EventDoc): Promise<{ ticket: Ticket; created: boolean }> {
    const existing = await this.bySourceKey(doc.sourceKey);
    if (existing !== undefined) return { ticket: existing, created: false };
    // The number is issued outside the transaction: one that every creation touches would
    // make concurrent transactions conflict and retry. A creation that fails after this
    // burns its number; numbers stay unique.
    const number = await this.issueNumber(doc.createdAt);
    const stored: TicketDoc = { ...doc, _id: number };
    try {
      await this.atomically(async (session) => {
        await this.m.tickets.create([stored], inSession(session));
        await this.m.events.create([{ ...event, ticketNumber: number }], inSession(session));
      });
    } catch (error) {
      // The same message delivered twice at once: the other delivery created it.
      if (isDuplicateKey(error)) {
        const winner = await this.bySourceKey(doc.sourceKey);
        if (winner !== undefined) return { ticket: winner, created: false };
      }
      throw error;
    }
    return { ticket: map.toTicket(stored), created: true };
  }

  /**
   * Inserts the next free number into ticket_numbers; a taken one moves on to the highest
   * issued. Concurrent creations of this process each reserve a different candidate first
   * (synchronously), so only another process can take one of them: without that, a burst of
   * N creations here would collide N² times on the same candidates.
   */
  private async issueNumber(at: number): Promise<number> {
    if (this.nextNumber === undefined) {
      // Shared while in flight, then forgotten: a failed read (the server away) is retried.
      this.firstNumber ??= this.firstFree().finally(() => {
        this.firstNumber = undefined;
      });
      const first = await this.firstNumber;
      this.nextNumber ??= first;
    }
    let candidate = this.nextNumber++;
    for (let tries = 1; ; tries++) {
      try {
        await this.m.ticketNumbers.create([{ _id: candidate, at }]);
        return candidate;
      } catch (error) {
        if (!isDuplicateKey(error) || tries >= NUMBER_TRIES) throw error;
        this.nextNumber = Math.max(this.nextNumber, await this.firstFree());
        candidate = this.nextNumber++;
      }
    }
  }

  /** One past the highest number issued here or recorded by an import (`counters`). */
  private async firstFree(): Promise<number> {
    const [top, counter] = await Promise.all([
      this.m.ticketNumbers.findOne().sort({ _id: -1 }).select({ _id: 1 }).lean().exec(),
      this.m.counters.findById('ticket').lean().exec(),
    ]);
    return Math.max(top?._id ?? TICKET_NUMBER_BASE, TICKET_NUMBER_BASE + (counter?.issued ?? 0)) + 1;
  }

  async get(number: number): Promise<Ticket | undefined> {
    return mapOne(await this.m.tickets.findById(number).lean().exec(), map.toTicket);
  }

  async byThread(platform: string, chatId: string, threadId: string): Promise<Ticket | undefined> {
    const found = await this.m.tickets
      .findOne({ platform, chatId, threadId })
      .sort({ _id: -1 })
      .lean()
      .exec();
    return mapOne(found, map.toTicket);
  }

  /**
   * Compare-and-set: claims `<number>:<version>`, then writes `{ _id, version }` and the
   * events, in one transaction where the deployment has them.
   */
  update(
    number: number,
    version: number,
    fields: ReadonlyArray<readonly [PatchField, PatchValue]>,
    events: EventDoc[],
  ): Promise<Ticket | undefined> {
    const update = ticketUpdate(fields);
    const base = `${number}:${version}`;
    return this.atomically(async (session) => {
      const at = Date.now(); // wall time: a claim's age tells a dead process, whatever the desk's clock
      // Inside a transaction a refused insert aborts it, and claims never outlive their
      // write there, so a taken claim is simply a conflict.
      const claimed =
        session !== undefined
          ? (await insertClaim(this.m.ticketVersions, { _id: base, at }, session)) && base
          : await claimSeries(this.m.ticketVersions, base, { at }, (newest) =>
              this.orphaned(newest, number, version, at),
            );
      if (!claimed) return undefined; // someone else is changing it from this version
      const updated = await this.m.tickets
        .findOneAndUpdate({ _id: number, version }, update, {
          returnDocument: 'after',
          runValidators: true,
          ...inSession(session),
        })
        .lean()
        .exec();
      if (updated === null) {
        // Not at that version (changed earlier, or no such ticket): the claim guards nothing.
        await this.m.ticketVersions.deleteOne({ _id: claimed }, inSession(session));
        return undefined;
      }
      if (events.length > 0) {
        await recordLinks(this.m, events, session); // before the events: see mongo.links.ts
        await this.m.events.create(events, { ...inSession(session), ordered: true });
        await dropUnlinked(this.m, events, session);
      }
      return map.toTicket(updated);
    });
  }

  /** A claim is orphaned when it is old and the ticket is still at the version it claimed. */
  private async orphaned(
    claim: { at: number },
    number: number,
    version: number,
    now: number,
  ): Promise<boolean> {
    if (now - claim.at < STALE_CLAIM_MS) return false;
    const ticket = await this.m.tickets.findById(number).select({ version: 1 }).lean().exec();
    return ticket?.version === version;
  }

  async addEvent(event: EventDoc): Promise<void> {
    if ((await this.m.tickets.exists({ _id: event.ticketNumber })) === null) throw missing('ticket');
    await recordLinks(this.m, [event]);
    await this.m.events.create([event]);
    await dropUnlinked(this.m, [event]);
  }

  async events(number: number): Promise<TicketEvent[]> {
    const found = await this.m.events.find({ ticketNumber: number }).sort({ at: 1, _id: 1 }).lean().exec();
    return found.map(map.toEvent);
  }

  async query(query: CheckedTicketQuery): Promise<Ticket[]> {
    if (this.features.condInAddFields || query.order === 'deadline') {
      return (await this.m.tickets.aggregate<TicketDoc>(ticketPipeline(query)).exec()).map(map.toTicket);
    }
    const parts = await Promise.all(
      queuePipelines(query).map((pipeline) => this.m.tickets.aggregate<TicketDoc>(pipeline).exec()),
    );
    return mergeQueue(parts, query.limit).map(map.toTicket);
  }

  async latestOf(requesterId: string, platform: string, chatId: string): Promise<Ticket | undefined> {
    const found = await this.m.tickets
      .findOne({ requesterId, platform, chatId, status: trusted({ $ne: 'closed' }) })
      .sort({ lastCustomerAt: -1, _id: -1 })
      .lean()
      .exec();
    return mapOne(found, map.toTicket);
  }

  async link(link: MessageLinkDoc): Promise<void> {
    if ((await this.m.tickets.exists({ _id: link.ticketNumber })) === null) throw missing('ticket');
    await retryOnDuplicate(() =>
      this.m.messageLinks.updateOne(
        { platform: link.platform, chatId: link.chatId, messageId: link.messageId },
        { $set: { ticketNumber: link.ticketNumber } },
        { upsert: true, runValidators: true },
      ),
    );
  }

  async byMessage(platform: string, chatId: string, messageId: string): Promise<Ticket | undefined> {
    const link = await this.m.messageLinks.findOne({ platform, chatId, messageId }).lean().exec();
    return link === null ? undefined : this.get(link.ticketNumber);
  }

  private async bySourceKey(sourceKey: string): Promise<Ticket | undefined> {
    return mapOne(await this.m.tickets.findOne({ sourceKey }).lean().exec(), map.toTicket);
  }
}
