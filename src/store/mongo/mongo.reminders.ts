/**
 * The SLA reminder ledger on MongoDB: the SlaStore half of MongoStore (mongo.sla.ts). The
 * three rules it keeps are on SlaStore in src/core/ports.ts. MongoDB has no atomic "take
 * N documents", and FerretDB 1.x not even an atomic filtered update, so the one write
 * that decides who sends is the insert of a unique claim (mongo.claims.ts):
 *
 * 1. `_id` is `<subject>/<stage>`, so a row exists once; every write that takes a row out
 *    of `pending` names `status: 'pending'` in its filter.
 * 2. A claim reads the earliest due pending rows and, for each, inserts the claim
 *    `<row>@<nextAt>` (the row as it is due now); the one owner whose insert succeeds
 *    leases the row (`nextAt = leaseUntil`), so it is no longer due for another. An owner
 *    that died between its claim and its lease leaves a claim whose lease runs out; then
 *    the next claim of the series (`#1`, …) may be taken, again by one owner. Two owners
 *    claiming at once each get different rows, split row by row, not by batch.
 * 3. Each outcome is an updateOne filtered on `{ _id, owner, status: 'pending' }`; a ticket
 *    event is appended only for the outcomes whose update matched, all in one transaction
 *    where the deployment has them (replica set, mongos).
 *
 * Every value is checked (../values.ts, ../reminder-inputs.ts) before any query, and every
 * operator in a filter is built here and marked trusted (the connection sanitises filters).
 */
import mongoose from 'mongoose';
import type { Ticket } from '../../core/model';
import { type PlannedReminder, type Reminder, type ReminderOutcome, reminderKey } from '../../core/ports';
import { invalidValue } from '../errors';
import { batch, clampLimit, errorText, RESULTS, recipients } from '../reminder-inputs';
import { integer, oneOf, optionalInteger, text } from '../values';
import { claimSeries } from './mongo.claims';
import * as map from './mongo.mappers';
import type { EventDoc, Models } from './mongo.schemas';
import {
  type Atomically,
  chunks,
  inSession,
  missing,
  retryOnDuplicate,
  UPDATES_PER_COMMAND,
} from './mongo.support';

const { trusted } = mongoose;

/** The rows a worker may take at `now`; names `status: 'pending'` so that reminders_due serves it. */
const dueFilter = (now: number) => ({ status: 'pending', nextAt: trusted({ $lte: now }) });
const EARLIEST = { nextAt: 1, _id: 1 } as const;
/** A row's lease is cleared by removing it: optional fields are absent, never null. */
const UNLEASE = { owner: '', leaseUntil: '' } as const;

/** An outcome as the update that records it, and the ticket event that goes with it. */
interface Settlement {
  readonly key: string;
  readonly update: Record<string, object>;
  readonly event?: EventDoc;
}

export class MongoReminderLedger {
  constructor(
    private readonly m: Models,
    private readonly atomically: Atomically,
  ) {}

  async schedule(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    const at = integer(now, 'now');
    const rows = batch(reminders, 'reminders').map((r) => {
      const subject = text(r.subject, 'reminder.subject');
      const stage = text(r.stage, 'reminder.stage');
      return { _id: reminderKey(subject, stage), subject, stage, dueAt: integer(r.dueAt, 'reminder.dueAt') };
    });
    if (rows.length === 0) return;
    // Two writes per row: an upsert that only inserts a missing row, then a re-plan whose
    // filter is the port's condition (cancelled, or pending, planned for another time, not
    // yet due and not leased). At most one of them changes a row, so planning the same time
    // again changes nothing, not even updatedAt. Ordered: mongoose would silently drop an
    // unordered operation that failed its casting, and none may be dropped here.
    const ops = rows.flatMap(({ _id, subject, stage, dueAt }) => [
      {
        updateOne: {
          filter: { _id },
          update: {
            $setOnInsert: {
              subject,
              stage,
              dueAt,
              nextAt: dueAt,
              status: 'pending',
              round: 0,
              attempts: 0,
              delivered: [],
              updatedAt: at,
            },
          },
          upsert: true,
        },
      },
      {
        updateOne: {
          filter: {
            _id,
            $or: [
              { status: 'cancelled' },
              {
                status: 'pending',
                dueAt: trusted({ $ne: dueAt }),
                nextAt: trusted({ $gt: at }),
                leaseUntil: trusted({ $exists: false }),
              },
            ],
          },
          update: { $set: { dueAt, nextAt: dueAt, status: 'pending', updatedAt: at }, $unset: UNLEASE },
        },
      },
    ]);
    // Two processes inserting the same new row at once: the unique `_id` refuses one, and
    // its retry finds the row and applies the same rule (every write here is idempotent).
    // Cut into commands FerretDB can take (UPDATES_PER_COMMAND); a row's two writes stay together.
    for (const part of chunks(ops, UPDATES_PER_COMMAND)) {
      await retryOnDuplicate(() => this.m.reminders.bulkWrite(part, { ordered: true }), part.length + 1);
    }
  }

  /** Inserts each missing row as skipped; an existing row is left as it is. */
  async skip(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    const at = integer(now, 'now');
    const ops = batch(reminders, 'reminders').map((r) => {
      const subject = text(r.subject, 'reminder.subject');
      const stage = text(r.stage, 'reminder.stage');
      const dueAt = integer(r.dueAt, 'reminder.dueAt');
      const row = {
        subject,
        stage,
        dueAt,
        nextAt: dueAt,
        status: 'skipped',
        round: 0,
        attempts: 0,
        delivered: [],
      };
      return {
        updateOne: {
          filter: { _id: reminderKey(subject, stage) },
          update: { $setOnInsert: { ...row, updatedAt: at } },
          upsert: true,
        },
      };
    });
    for (const part of chunks(ops, UPDATES_PER_COMMAND)) {
      await retryOnDuplicate(() => this.m.reminders.bulkWrite(part, { ordered: true }), part.length + 1);
    }
  }

  async cancel(subject: string, now: number): Promise<number> {
    const at = integer(now, 'now');
    const filter = {
      subject: text(subject, 'subject'),
      status: 'pending',
      // Not leased, or the lease has ended (`$not` also matches the absent field).
      leaseUntil: trusted({ $not: { $gt: at } }),
    };
    const result = await this.m.reminders.updateMany(filter, {
      $set: { status: 'cancelled', updatedAt: at },
      $unset: UNLEASE,
    });
    return result.modifiedCount;
  }

  async due(now: number, limit: number): Promise<Reminder[]> {
    const filter = dueFilter(integer(now, 'now'));
    const max = clampLimit(limit);
    const rows = await this.m.reminders.find(filter).sort(EARLIEST).limit(max).lean().exec();
    return rows.map(map.toReminder);
  }

  /**
   * Per due row: a claim insert, then the lease, whose returned document is exactly the
   * row as this owner leased it (its attempts and delivered recipients included). Two
   * round trips per reminder are small next to the platform send each one costs.
   */
  async claim(owner: string, leaseUntil: number, now: number, limit: number): Promise<Reminder[]> {
    const holder = text(owner, 'owner');
    const lease = integer(leaseUntil, 'leaseUntil');
    const at = integer(now, 'now');
    if (lease <= at) throw invalidValue('leaseUntil', 'a time after now', leaseUntil);
    const max = clampLimit(limit);
    const won: Reminder[] = [];
    const tried = new Set<string>();
    while (won.length < max) {
      const rows = await this.m.reminders
        .find(dueFilter(at))
        .sort(EARLIEST)
        .limit(max - won.length + tried.size)
        .lean()
        .exec();
      const fresh = rows.filter((row) => !tried.has(`${row._id}@${row.nextAt}`));
      if (fresh.length === 0) break; // nothing more is due (or the others hold it)
      for (const row of fresh) {
        if (won.length >= max) break;
        const base = `${row._id}@${row.nextAt}`;
        tried.add(base);
        const claimed = await claimSeries(
          this.m.reminderClaims,
          base,
          { at, owner: holder, leaseUntil: lease },
          (newest) => (newest.leaseUntil ?? 0) <= at,
        );
        if (claimed === undefined) continue; // another owner holds it
        const leased = await this.m.reminders
          .findOneAndUpdate(
            { _id: row._id, status: 'pending', nextAt: row.nextAt },
            { $set: { owner: holder, leaseUntil: lease, nextAt: lease, updatedAt: at } },
            { returnDocument: 'after' },
          )
          .lean()
          .exec();
        if (leased !== null) won.push(map.toReminder(leased)); // else re-planned or settled meanwhile
      }
    }
    return won.sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
  }

  async settle(owner: string, outcomes: readonly ReminderOutcome[]): Promise<number> {
    const holder = text(owner, 'owner');
    const settlements = batch(outcomes, 'outcomes').map(settlement);
    if (settlements.length === 0) return 0;
    await this.requireTickets(settlements);
    // In a transaction, rows and events commit together (a conflict retries the whole
    // callback, hence the counts inside it). On a standalone server the events follow the
    // updates: a crash in between loses a history line, never sends a reminder twice.
    return this.atomically(async (session) => {
      let recorded = 0;
      const events: EventDoc[] = [];
      for (const s of settlements) {
        const { matchedCount } = await this.m.reminders.updateOne(
          { _id: s.key, owner: holder, status: 'pending' },
          s.update,
          inSession(session),
        );
        if (matchedCount === 0) continue; // not held by this owner (any more): not recorded
        recorded++;
        if (s.event !== undefined) events.push(s.event);
      }
      if (events.length > 0) await this.m.events.insertMany(events, { ...inSession(session), ordered: true });
      return recorded;
    });
  }

  async failedSince(since: number, limit: number): Promise<Reminder[]> {
    const filter = { status: 'failed', updatedAt: trusted({ $gte: integer(since, 'since') }) };
    const max = clampLimit(limit);
    const rows = await this.m.reminders.find(filter).sort({ updatedAt: 1, _id: 1 }).limit(max).lean().exec();
    return rows.map(map.toReminder);
  }

  async list(subject: string): Promise<Reminder[]> {
    const filter = { subject: text(subject, 'subject') };
    return (await this.m.reminders.find(filter).sort({ dueAt: 1, _id: 1 }).lean().exec()).map(map.toReminder);
  }

  async tickets(numbers: readonly number[]): Promise<Ticket[]> {
    const checked = batch(numbers, 'numbers').map((n) => integer(n, 'ticket.number'));
    if (checked.length === 0) return [];
    const docs = await this.m.tickets
      .find({ _id: trusted({ $in: checked }) })
      .lean()
      .exec();
    return docs.map(map.toTicket);
  }

  /** An event must name a ticket that exists, as addEvent requires (tickets are never deleted). */
  private async requireTickets(settlements: readonly Settlement[]): Promise<void> {
    const numbers = [...new Set(settlements.flatMap((s) => (s.event ? [s.event.ticketNumber] : [])))];
    if (numbers.length === 0) return;
    const found = await this.m.tickets.countDocuments({ _id: trusted({ $in: numbers }) });
    if (found < numbers.length) throw missing('ticket');
  }
}

/** Checks an outcome (and its event) and turns it into its update, before any query. */
function settlement(o: ReminderOutcome): Settlement {
  const result = oneOf(o.result, RESULTS, 'outcome.result');
  const key = text(o.key, 'outcome.key');
  const at = integer(o.at, 'outcome.at');
  switch (result) {
    case 'sent': {
      const s = o as Extract<ReminderOutcome, { result: 'sent' }>;
      const rearm = optionalInteger(s.rearmAt, 'outcome.rearmAt');
      const update = {
        // A repeating stage stays pending for its next round; its row is released all the same.
        $set: {
          status: rearm === null ? 'sent' : 'pending',
          ...(rearm !== null && { nextAt: rearm }),
          attempts: 0,
          delivered: [],
          lastSentAt: at,
          updatedAt: at,
        },
        $inc: { round: 1 },
        $unset: { ...UNLEASE, lastError: '' },
      };
      if (s.event === undefined) return { key, update };
      return { key, update, event: map.eventDoc(s.event.ticketNumber, s.event.event) };
    }
    case 'failed': {
      const f = o as Extract<ReminderOutcome, { result: 'failed' }>;
      const $set = { status: 'failed', lastError: errorText(f.error), delivered: recipients(f.delivered) };
      return { key, update: { $set: { ...$set, updatedAt: at }, $inc: { attempts: 1 }, $unset: UNLEASE } };
    }
    case 'deferred': {
      const d = o as Extract<ReminderOutcome, { result: 'deferred' }>;
      const $set = { status: 'pending', nextAt: integer(d.nextAt, 'outcome.nextAt'), updatedAt: at };
      if (d.failure === undefined) return { key, update: { $set, $unset: UNLEASE } };
      // A failed attempt: counted, and who was reached is kept so the retry skips them.
      const failure = { lastError: errorText(d.failure.error), delivered: recipients(d.failure.delivered) };
      return { key, update: { $set: { ...$set, ...failure }, $inc: { attempts: 1 }, $unset: UNLEASE } };
    }
    default:
      return { key, update: { $set: { status: result, updatedAt: at }, $unset: UNLEASE } };
  }
}
