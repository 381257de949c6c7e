/**
 * The ticket half of the MongoDB store: creation with an atomic counter, compare-and-set
 * updates, events, lookups and the queue query. Values arrive checked (the store checks
 * them before calling); every filter operator here is built by the store and trusted.
 */
import mongoose from 'mongoose';
import type { Ticket, TicketEvent } from '../../core/model';
import type { CheckedTicketQuery, PatchField, PatchValue } from '../ticket-inputs';
import { isDuplicateKey } from './mongo.errors';
import * as map from './mongo.mappers';
import {
  type EventDoc,
  type MessageLinkDoc,
  type Models,
  TICKET_NUMBER_BASE,
  type TicketDoc,
} from './mongo.schemas';
import { type Atomically, inSession, mapOne, missing, retryOnDuplicate } from './mongo.support';
import { ticketPipeline, ticketUpdate } from './mongo.tickets';

const { trusted } = mongoose;

export class TicketOps {
  constructor(
    private readonly m: Models,
    private readonly atomically: Atomically,
  ) {}

  async create(doc: Omit<TicketDoc, '_id'>, event: EventDoc): Promise<{ ticket: Ticket; created: boolean }> {
    const existing = await this.bySourceKey(doc.sourceKey);
    if (existing !== undefined) return { ticket: existing, created: false };
    // The number is allocated outside the transaction: a counter that every creation
    // touches would make concurrent transactions conflict and retry. A creation that
    // fails after this burns its number; numbers stay unique.
    const counter = await retryOnDuplicate(() =>
      this.m.counters
        .findOneAndUpdate(
          { _id: 'ticket' },
          { $inc: { issued: 1 } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
    const number = TICKET_NUMBER_BASE + (counter?.issued ?? 0);
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

  /** Compare-and-set on `{ _id, version }`, with the events, in one transaction where available. */
  update(
    number: number,
    version: number,
    fields: ReadonlyArray<readonly [PatchField, PatchValue]>,
    events: EventDoc[],
  ): Promise<Ticket | undefined> {
    const update = ticketUpdate(fields);
    return this.atomically(async (session) => {
      const updated = await this.m.tickets
        .findOneAndUpdate({ _id: number, version }, update, {
          returnDocument: 'after',
          runValidators: true,
          ...inSession(session),
        })
        .lean()
        .exec();
      if (updated === null) return undefined; // someone else changed it first (or no such ticket)
      if (events.length > 0) await this.m.events.create(events, { ...inSession(session), ordered: true });
      return map.toTicket(updated);
    });
  }

  async addEvent(event: EventDoc): Promise<void> {
    if ((await this.m.tickets.exists({ _id: event.ticketNumber })) === null) throw missing('ticket');
    await this.m.events.create([event]);
  }

  async events(number: number): Promise<TicketEvent[]> {
    const found = await this.m.events.find({ ticketNumber: number }).sort({ at: 1, _id: 1 }).lean().exec();
    return found.map(map.toEvent);
  }

  async query(query: CheckedTicketQuery): Promise<Ticket[]> {
    return (await this.m.tickets.aggregate<TicketDoc>(ticketPipeline(query)).exec()).map(map.toTicket);
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
