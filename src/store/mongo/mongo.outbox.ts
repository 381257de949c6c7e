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
 * - settled rows move to `outbox_done` (the next settle in their chat moves the ones before it),
 *   so that what enqueue, due and the head checks read is the waiting rows plus one row per chat:
 *   FerretDB 1.x scans a collection for most queries, and a week of sent rows made every send
 *   slower. Each chat's newest row stays, because its seq is where the chat's next row starts
 *   (after a purge took it too, the next row reads `outbox_done` for the chat's highest seq).
 *   A move copies first and deletes the original only as it was read, so a row is never lost;
 *   where both copies exist (a crash between the two, or a retry meanwhile) `outbox` wins.
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
const SETTLED_STATES = ['sent', 'failed', 'dropped'] as const;
const SETTLED = () => trusted({ $in: [...SETTLED_STATES] });
/** How many writers may take a chat's next seq before us in a row before we give up. */
const SEQ_ATTEMPTS = 50;

export class MongoOutbox {
  constructor(private readonly m: Models) {}

  async enqueue(entries: readonly NewOutbound[], now: number): Promise<Outbound[]> {
    const rows = checkNewOutbound(entries, now);
    const out: Outbound[] = [];
    for (const r of rows) {
      for (let attempt = 1; ; attempt++) {
        const last =
          (await this.lastSeq(this.m.outbox, r.chat)) ?? (await this.lastSeq(this.m.outboxDone, r.chat));
        const doc: OutboxDoc = {
          _id: r.id,
          chat: r.chat,
          seq: (last ?? 0) + 1,
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
    if (result.modifiedCount !== 1) return false;
    if (o.state !== 'queued') await this.archiveBefore(key);
    return true;
  }

  async get(id: string): Promise<Outbound | undefined> {
    const key = text(id, 'outbound.id');
    const doc =
      (await this.m.outbox.findById(key).lean().exec()) ??
      (await this.m.outboxDone.findById(key).lean().exec());
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
    const order = q.newestFirst ? -1 : 1;
    const read = (model: Models['outbox']) =>
      model.find(filter).sort({ chat: order, seq: order }).limit(q.limit).lean().exec();
    const live = await read(this.m.outbox);
    const settled = q.states.some((st) => (SETTLED_STATES as readonly string[]).includes(st));
    if (!settled) return live.map(toOutbound);
    const seen = new Set(live.map((d) => d._id));
    const done = (await read(this.m.outboxDone)).filter((d) => !seen.has(d._id));
    return [...live, ...done]
      .sort((a, b) => order * (a.chat < b.chat ? -1 : a.chat > b.chat ? 1 : a.seq - b.seq))
      .slice(0, q.limit)
      .map(toOutbound);
  }

  async retry(id: string, now: number): Promise<boolean> {
    const at = integer(now, 'now');
    await this.restore(text(id, 'outbound.id'), ['failed']);
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
    await this.restore(text(id, 'outbound.id'), ['failed']);
    const result = await this.m.outbox.updateOne(
      { _id: text(id, 'outbound.id'), state: trusted({ $in: ['queued', 'sending', 'failed'] }) },
      { $set: { state: 'dropped', updatedAt: at }, $unset: { owner: 1, leaseUntil: 1 } },
    );
    return result.matchedCount === 1;
  }

  async purge(before: number): Promise<number> {
    const cut = integer(before, 'before');
    await pruneClaims(this.m.outboxClaims, cut);
    const old = { state: SETTLED(), updatedAt: trusted({ $lt: cut }) };
    const done = await this.m.outboxDone.deleteMany(old);
    const live = await this.m.outbox.deleteMany(old);
    return done.deletedCount + live.deletedCount;
  }

  async depth(): Promise<{ waiting: number; oldestAt?: number }> {
    const waiting = await this.m.outbox.countDocuments({ state: WAITING() });
    if (waiting === 0) return { waiting };
    const oldest = await this.m.outbox.findOne({ state: WAITING() }).sort({ createdAt: 1 }).lean().exec();
    return oldest === null ? { waiting } : { waiting, oldestAt: oldest.createdAt };
  }

  /**
   * The chat's highest seq: its newest row stays in `outbox` after a settle, so the moved rows
   * are read only when a purge took it too (a chat silent for the purge's week) or never had one.
   */
  private async lastSeq(model: Models['outbox'], chat: string): Promise<number | undefined> {
    const last = await model.findOne({ chat }).sort({ seq: -1 }).select({ seq: 1 }).lean().exec();
    return last?.seq;
  }

  /** Moves the settled rows of this row's chat that come before it to `outbox_done`. */
  private async archiveBefore(id: string): Promise<void> {
    const row = await this.m.outbox.findById(id).select({ chat: 1, seq: 1 }).lean().exec();
    if (row === null) return;
    const earlier = await this.m.outbox
      .find({ chat: row.chat, state: SETTLED(), seq: trusted({ $lt: row.seq }) })
      .lean()
      .exec();
    for (const doc of earlier) {
      await this.m.outboxDone.replaceOne({ _id: doc._id }, doc, { upsert: true });
      // Only as it was read: a row retried meanwhile stays (and `outbox` wins over the copy).
      await this.m.outbox.deleteOne({ _id: doc._id, state: doc.state, updatedAt: doc.updatedAt });
    }
  }

  /** Brings a moved row in one of `states` back to `outbox`, for an admin's retry or drop. */
  private async restore(id: string, states: readonly string[]): Promise<void> {
    if ((await this.m.outbox.exists({ _id: id })) !== null) return;
    const doc = await this.m.outboxDone.findById(id).lean().exec();
    if (doc === null || !states.includes(doc.state)) return;
    try {
      await this.m.outbox.create([doc]);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // another admin brought it back first
    }
    await this.m.outboxDone.deleteOne({ _id: id });
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
