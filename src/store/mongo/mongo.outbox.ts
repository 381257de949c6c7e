/**
 * The durable outbox on MongoDB (the rules on Outbox in src/core/ports.ts), written for the
 * weakest server GroupDesk meets: FerretDB 1.x, whose updates are not atomic and which has
 * no transactions (docs: /work/shared/PLATFORM-NOTES.md). So:
 * - a chat's order rests on the unique (chat, seq) index: a new row takes the chat's highest
 *   seq + 1, and an insert that meets another writer's row with that seq is refused (E11000)
 *   and tried again with the next one;
 * - a claim rests on the unique insert of `<id>@<nextAt>` (mongo.claims.ts), whose outcome is
 *   then verified by reading the row back: still waiting, still at that nextAt, still its chat's
 *   head. Only then is the lease written, by the one process holding the claim. A claim whose
 *   check fails is taken back at once, so it never holds the row up.
 * - a settle is an update guarded by `state: 'sending'` and `owner`; on FerretDB that guard is
 *   a read followed by a write, safe because only the claim holder writes the row meanwhile.
 *   An admin's `drop` racing a sender's settle may lose there (documented; MongoDB is atomic).
 */
import mongoose from 'mongoose';
import {
  type NewOutbound,
  type Outbound,
  type OutboundOutcome,
  type OutboxQuery,
  WAITING_STATES,
} from '../../core/ports';
import { invalidValue } from '../errors';
import { checkNewOutbound, checkOutboxQuery, checkOutcome, readOutbound } from '../outbox-inputs';
import { clampLimit } from '../reminder-inputs';
import { integer, text } from '../values';
import { claimSeries, pruneClaims } from './mongo.claims';
import { isDuplicateKey } from './mongo.errors';
import type { Models, OutboxDoc } from './mongo.schemas';

const { trusted } = mongoose;
const WAITING = () => trusted({ $in: [...WAITING_STATES] });
/** How many writers may take a chat's next seq before us in a row before we give up. */
const SEQ_ATTEMPTS = 50;

export class MongoOutbox {
  constructor(private readonly m: Models) {}

  async enqueue(entries: readonly NewOutbound[], now: number): Promise<Outbound[]> {
    const rows = checkNewOutbound(entries, now);
    const out: Outbound[] = [];
    for (const r of rows) {
      for (let attempt = 1; ; attempt++) {
        const last = await this.m.outbox
          .findOne({ chat: r.chat })
          .sort({ seq: -1 })
          .select({ seq: 1 })
          .lean()
          .exec();
        const doc: OutboxDoc = {
          _id: r.id,
          chat: r.chat,
          seq: (last?.seq ?? 0) + 1,
          message: r.message,
          ...(r.after !== null && { after: r.after }),
          state: 'queued',
          attempts: 0,
          nextAt: r.createdAt,
          idempotencyId: r.idempotencyId,
          expiresAt: r.expiresAt,
          createdAt: r.createdAt,
          updatedAt: r.createdAt,
        };
        try {
          await this.m.outbox.create([doc]);
          out.push(toOutbound(doc));
          break;
        } catch (error) {
          if (!isDuplicateKey(error) || attempt >= SEQ_ATTEMPTS) throw error;
        }
      }
    }
    return out;
  }

  async due(now: number, limit: number): Promise<Outbound[]> {
    const at = integer(now, 'now');
    const max = clampLimit(limit);
    const due = await this.m.outbox
      .find({ state: WAITING(), nextAt: trusted({ $lte: at }) })
      .sort({ nextAt: 1, _id: 1 })
      .limit(Math.min(10_000, max * 4))
      .lean()
      .exec();
    // The lowest due row per chat, then only those that are their chat's head.
    const lowest = new Map<string, OutboxDoc>();
    for (const d of due) {
      const seen = lowest.get(d.chat);
      if (seen === undefined || d.seq < seen.seq) lowest.set(d.chat, d);
    }
    const heads: Outbound[] = [];
    for (const d of lowest.values()) {
      if (heads.length >= max) break;
      if (await this.isHead(d)) heads.push(toOutbound(d));
    }
    return heads.sort((a, b) => a.nextAt - b.nextAt || a.chat.localeCompare(b.chat));
  }

  async claim(row: Outbound, owner: string, leaseUntil: number, now: number): Promise<Outbound | undefined> {
    const id = text(row?.id, 'outbound.id');
    const seen = integer(row.nextAt, 'outbound.nextAt');
    const holder = text(owner, 'owner');
    const lease = integer(leaseUntil, 'leaseUntil');
    const at = integer(now, 'now');
    if (lease <= at) throw invalidValue('leaseUntil', 'a time after now', leaseUntil);
    if (seen > at) return undefined;
    const claimed = await claimSeries(
      this.m.outboxClaims,
      `${id}@${seen}`,
      { at, owner: holder, leaseUntil: lease },
      (newest) => (newest.leaseUntil ?? 0) <= at,
    );
    if (claimed === undefined) return undefined;
    const current = await this.m.outbox.findById(id).lean().exec();
    const valid =
      current !== null &&
      (WAITING_STATES as readonly string[]).includes(current.state) &&
      current.nextAt === seen &&
      (await this.isHead(current));
    if (!valid) {
      await this.m.outboxClaims.deleteOne({ _id: claimed });
      return undefined;
    }
    const set = { state: 'sending', owner: holder, leaseUntil: lease, nextAt: lease, updatedAt: at };
    await this.m.outbox.updateOne({ _id: id }, { $set: set });
    return toOutbound({ ...current, ...set });
  }

  async settle(id: string, owner: string, outcome: OutboundOutcome): Promise<boolean> {
    const key = text(id, 'outbound.id');
    const holder = text(owner, 'owner');
    const o = checkOutcome(outcome);
    const set: Partial<OutboxDoc> = {
      state: o.state,
      updatedAt: o.at,
      ...(o.nextAt !== null && { nextAt: o.nextAt }),
      ...(o.error !== null && { lastError: o.error }),
      ...(o.state === 'sent' && { sentAt: o.at }),
      ...(o.messageId !== null && { sentMessageId: o.messageId }),
    };
    const result = await this.m.outbox.updateOne(
      { _id: key, state: 'sending', owner: holder },
      {
        $set: set,
        $unset: { owner: 1, leaseUntil: 1 },
        ...(o.state === 'queued' && { $inc: { attempts: 1 } }),
      },
    );
    return result.modifiedCount === 1;
  }

  async get(id: string): Promise<Outbound | undefined> {
    const doc = await this.m.outbox.findById(text(id, 'outbound.id')).lean().exec();
    return doc === null ? undefined : toOutbound(doc);
  }

  async head(chat: string): Promise<Outbound | undefined> {
    const doc = await this.m.outbox
      .findOne({ chat: text(chat, 'chat'), state: WAITING() })
      .sort({ seq: 1 })
      .lean()
      .exec();
    return doc === null ? undefined : toOutbound(doc);
  }

  async list(query: OutboxQuery): Promise<Outbound[]> {
    const q = checkOutboxQuery(query);
    const filter = { state: trusted({ $in: q.states }), ...(q.chat !== null && { chat: q.chat }) };
    const docs = await this.m.outbox
      .find(filter)
      .sort(q.newestFirst ? { chat: -1, seq: -1 } : { chat: 1, seq: 1 })
      .limit(q.limit)
      .lean()
      .exec();
    return docs.map(toOutbound);
  }

  async retry(id: string, now: number): Promise<boolean> {
    const at = integer(now, 'now');
    const result = await this.m.outbox.updateOne(
      { _id: text(id, 'outbound.id'), state: trusted({ $in: ['queued', 'sending', 'failed'] }) },
      {
        $set: { state: 'queued', attempts: 0, nextAt: at, updatedAt: at },
        $unset: { owner: 1, leaseUntil: 1 },
      },
    );
    return result.matchedCount === 1;
  }

  async drop(id: string, now: number): Promise<boolean> {
    const at = integer(now, 'now');
    const result = await this.m.outbox.updateOne(
      { _id: text(id, 'outbound.id'), state: trusted({ $in: ['queued', 'sending', 'failed'] }) },
      { $set: { state: 'dropped', updatedAt: at }, $unset: { owner: 1, leaseUntil: 1 } },
    );
    return result.matchedCount === 1;
  }

  async purge(before: number): Promise<number> {
    const cut = integer(before, 'before');
    await pruneClaims(this.m.outboxClaims, cut);
    const result = await this.m.outbox.deleteMany({
      state: trusted({ $in: ['sent', 'failed', 'dropped'] }),
      updatedAt: trusted({ $lt: cut }),
    });
    return result.deletedCount;
  }

  async depth(): Promise<{ waiting: number; oldestAt?: number }> {
    const waiting = await this.m.outbox.countDocuments({ state: WAITING() });
    if (waiting === 0) return { waiting };
    const oldest = await this.m.outbox.findOne({ state: WAITING() }).sort({ createdAt: 1 }).lean().exec();
    return oldest === null ? { waiting } : { waiting, oldestAt: oldest.createdAt };
  }

  /** No waiting row of its chat comes before it. */
  private async isHead(doc: Pick<OutboxDoc, 'chat' | 'seq'>): Promise<boolean> {
    const before = await this.m.outbox
      .findOne({ chat: doc.chat, state: WAITING(), seq: trusted({ $lt: doc.seq }) })
      .select({ _id: 1 })
      .lean()
      .exec();
    return before === null;
  }
}

function toOutbound(doc: OutboxDoc): Outbound {
  return readOutbound({ ...doc, id: doc._id });
}
