/**
 * One pass over the reminder ledger: take what is due, claim it in batches, decide each
 * row again against the current state (ticket, subscriptions, date), deliver, and record
 * the outcome. A row counts as sent only after every recipient's `messenger.send`
 * resolved; a failure is retried with backoff (recipients already reached are not
 * repeated) and given up after the configured attempts, logged and listed in the digest.
 */
import type { OutboundButton } from '../core/chat';
import type { Locale } from '../core/i18n';
import type { Logger } from '../core/logger';
import type { Ticket } from '../core/model';
import type { Reminder, ReminderOutcome, SlaStore, Store } from '../core/ports';
import type { SlaMetric } from '../core/sla/metrics';
import type { ReminderPlanner } from '../core/sla/planner';
import type { SlaPolicy } from '../core/sla/policy';
import { retryDelayMs, type SlaRules } from '../core/sla/rules';
import { parseSubject, type Subject, subjects } from '../core/sla/subjects';
import { decideSubscriptionReminder } from '../core/sla/subscription-stages';
import { decideTicketReminder, type Hold, metricView } from '../core/sla/ticket-stages';
import { toZonedIso } from '../core/sla/zone';
import type { Notifier, Recipient } from '../desk/notifier';
import type { DigestComposer } from './digest';
import type { SlaMessages } from './messages';

/** Outcomes are written at least this often while sends are slow, so a crash repeats little. */
const FLUSH_EVERY_MS = 250;

export interface WorkerDeps {
  readonly ledger: SlaStore;
  readonly store: Store;
  readonly policy: SlaPolicy;
  readonly rules: SlaRules;
  readonly planner: ReminderPlanner;
  readonly recipients: Notifier;
  readonly messages: SlaMessages;
  readonly digest: DigestComposer;
  readonly logger: Logger;
  /** This process's name on its claims. */
  readonly owner: string;
  /** The vendor's time zone: the digest's day. */
  readonly timezone: string;
  /** Test seam: runs after a batch is claimed, before anything of it is sent. */
  readonly afterClaim?: (claimed: readonly Reminder[]) => void | Promise<void>;
}

export interface TickResult {
  /** Reminders this process claimed (were due and not held by another process). */
  claimed: number;
  sent: number;
  deferred: number;
  skipped: number;
  cancelled: number;
  failed: number;
  /** Outcomes refused because another process took the row after our lease ended. */
  lost: number;
}

interface Parcel {
  readonly to: Recipient;
  readonly text: string;
  readonly buttons?: readonly OutboundButton[] | undefined;
}

type Success = Partial<Pick<Extract<ReminderOutcome, { result: 'sent' }>, 'rearmAt' | 'event'>>;

export class ReminderWorker {
  constructor(private readonly d: WorkerDeps) {}

  async run(now: number): Promise<TickResult> {
    const { ledger, owner } = this.d;
    const { batchSize, maxPerTick, leaseSeconds, sendTimeoutSeconds } = this.d.rules.scheduler;
    const result: TickResult = {
      claimed: 0,
      sent: 0,
      deferred: 0,
      skipped: 0,
      cancelled: 0,
      failed: 0,
      lost: 0,
    };
    this.d.recipients.fresh();
    while (result.claimed < maxPerTick) {
      const limit = Math.min(batchSize, maxPerTick - result.claimed);
      const claimed = await ledger.claimReminders(owner, now + leaseSeconds * 1000, now, limit);
      if (claimed.length === 0) break;
      result.claimed += claimed.length;
      await this.d.afterClaim?.(claimed);
      // Wall time, like the other processes' clocks: a send started later could outlive the claim.
      const claimEnds = performance.now() + (leaseSeconds - sendTimeoutSeconds) * 1000;
      const tickets = await this.ticketsOf(claimed);
      const pending: ReminderOutcome[] = [];
      const resync: Ticket[] = [];
      let released = 0;
      let flushed = performance.now();
      for (const row of claimed) {
        if (performance.now() > claimEnds) {
          // Slow platforms ate the lease: give the rest back (due at once) and claim again.
          pending.push({ key: row.key, result: 'deferred', at: now, nextAt: now });
          released++;
          continue;
        }
        const { outcome, ticket } = await this.handle(row, now, tickets);
        pending.push(outcome);
        result[outcome.result]++;
        if (outcome.result === 'skipped' && ticket) resync.push(ticket);
        if (performance.now() - flushed > FLUSH_EVERY_MS) {
          result.lost += await this.settle(pending.splice(0));
          flushed = performance.now();
        }
      }
      result.lost += await this.settle(pending);
      // A skipped stage was superseded: make sure the stage that supersedes it is planned.
      if (resync.length) await this.d.planner.sync(resync, now);
      if (claimed.length < limit && released === 0) break;
    }
    return result;
  }

  /** The tickets of a batch, in one read. */
  private async ticketsOf(rows: readonly Reminder[]): Promise<Map<number, Ticket>> {
    const numbers = rows.flatMap((r) => {
      const subject = parseSubject(r.subject);
      return subject?.kind === 'ticket' ? [subject.number] : [];
    });
    const tickets = numbers.length ? await this.d.ledger.getTickets([...new Set(numbers)]) : [];
    return new Map(tickets.map((t) => [t.number, t]));
  }

  /** Records outcomes; returns how many were refused (lease lost to another process). */
  private async settle(outcomes: ReminderOutcome[]): Promise<number> {
    if (outcomes.length === 0) return 0;
    const settled = await this.d.ledger.settleReminders(this.d.owner, outcomes);
    const lost = outcomes.length - settled;
    if (lost > 0) this.d.logger.warn('reminder lease lost before its outcome was recorded', { lost });
    return lost;
  }

  private async handle(
    row: Reminder,
    now: number,
    tickets: ReadonlyMap<number, Ticket>,
  ): Promise<{ outcome: ReminderOutcome; ticket?: Ticket }> {
    const subject = parseSubject(row.subject);
    try {
      if (subject?.kind === 'ticket')
        return await this.ticketRow(row, tickets.get(subject.number), subject.metric, now);
      if (subject?.kind === 'subscription') return { outcome: await this.subscriptionRow(row, subject, now) };
      if (subject?.kind === 'digest') return { outcome: await this.digestRow(row, subject.date, now) };
      this.d.logger.warn('unknown reminder subject dropped', { key: row.key });
      return { outcome: { key: row.key, result: 'cancelled', at: now } };
    } catch (error) {
      // A failed read or composition counts as a failed attempt, so a poisoned row ends up failed.
      return { outcome: this.failure(row, String(error), [...row.delivered], now) };
    }
  }

  private async ticketRow(row: Reminder, stored: Ticket | undefined, metric: SlaMetric, now: number) {
    // Decided and worded on the metric's view: its deadline, its clock (see metricView).
    // A row of an earlier next-response window (its cancel was lost) is not this window's.
    const current = stored !== undefined && subjects.ofTicket(stored, metric) === row.subject;
    const ticket = current ? metricView(stored, metric) : undefined;
    const clock = ticket ? this.d.policy.clockOf(ticket, metric) : undefined;
    const decision = decideTicketReminder(row, ticket, clock, this.d.rules.tickets, now);
    if (decision.action !== 'send' || !ticket || !stored) {
      return { outcome: hold(row, decision as Hold, now), ...(stored ? { ticket: stored } : {}) };
    }
    const { recipients, messages } = this.d;
    const { stage, round } = decision;
    const to =
      stage.notify === 'managers'
        ? await recipients.managers(true)
        : stage.notify === 'staff'
          ? await recipients.staff()
          : await recipients.assignee(ticket);
    const facts = {
      ticket,
      customer: (await this.d.store.getCustomer(ticket.customerId))?.name ?? ticket.customerId,
      assignee: await recipients.nameOf(ticket.assigneeId),
    };
    // Each recipient reads its own language; worded once per language, not per recipient.
    const worded = new Map<Locale, Pick<Parcel, 'text' | 'buttons'>>();
    const wordedIn = (locale: Locale) => {
      const found = worded.get(locale);
      if (found) return found;
      const m = messages.in(locale);
      const made = {
        text: m.ticketReminder(stage, round, facts, now, metric),
        buttons: stage.notify === 'managers' ? undefined : m.claimButtons(ticket),
      };
      worded.set(locale, made);
      return made;
    };
    const event = {
      ticketNumber: ticket.number,
      event: {
        at: now,
        kind: 'reminder_sent' as const,
        actorId: 'system',
        text: round ? `${stage.id} #${round + 1}` : stage.id,
      },
    };
    const parcels = to.map((r) => ({ to: r, ...wordedIn(r.locale) }));
    return {
      outcome: await this.deliver(row, parcels, now, {
        event,
        ...(decision.rearmAt ? { rearmAt: decision.rearmAt } : {}),
      }),
      ticket,
    };
  }

  private async subscriptionRow(row: Reminder, s: Extract<Subject, { kind: 'subscription' }>, now: number) {
    const all = await this.d.store.listSubscriptions(s.customerId);
    const decision = decideSubscriptionReminder(
      { ...s, stage: row.stage },
      all,
      this.d.rules.subscriptions,
      now,
    );
    if (decision.action !== 'send') return hold(row, decision, now);
    const { recipients, messages } = this.d;
    const customer = (await this.d.store.getCustomer(s.customerId))?.name ?? s.customerId;
    // The customer's group reads its own language, each manager channel or manager theirs.
    const notice = (audience: 'customer' | 'managers', to: Recipient) => ({
      to,
      text: messages
        .in(to.locale)
        .subscriptionNotice(decision.stage, decision.subscription, customer, audience, now),
    });
    const parcels = [
      ...(await recipients.customer(s.customerId)).map((to) => notice('customer', to)),
      ...(await recipients.managers(false)).map((to) => notice('managers', to)),
    ];
    return this.deliver(row, parcels, now, {});
  }

  private async digestRow(row: Reminder, date: string, now: number): Promise<ReminderOutcome> {
    // Only today's digest is worth sending: after downtime, yesterday's is superseded.
    if (date !== toZonedIso(now, this.d.timezone).slice(0, 10))
      return { key: row.key, result: 'skipped', at: now };
    const to = await this.d.recipients.managers(false);
    const texts = await this.d.digest.compose(
      date,
      now,
      this.d.rules.digest.skipWhenEmpty,
      to.map((r) => r.locale),
    );
    if (texts === undefined) return { key: row.key, result: 'skipped', at: now };
    const parcels = to.map((r) => ({ to: r, text: texts.get(r.locale) ?? '' }));
    return this.deliver(row, parcels, now, {});
  }

  private async deliver(
    row: Reminder,
    parcels: readonly Parcel[],
    now: number,
    success: Success,
  ): Promise<ReminderOutcome> {
    if (parcels.length === 0)
      return this.failure(row, 'no recipient: bind a staff or manager group', [], now);
    const delivered = [...row.delivered];
    let error: string | undefined;
    for (const { to, text, buttons } of parcels) {
      if (delivered.includes(to.key)) continue; // reached in an earlier attempt
      try {
        await to.send(text, buttons);
        delivered.push(to.key);
      } catch (e) {
        error = `${to.key}: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    if (error === undefined) return { key: row.key, result: 'sent', at: now, ...success };
    return this.failure(row, error, delivered, now);
  }

  private failure(row: Reminder, error: string, delivered: string[], now: number): ReminderOutcome {
    const { retry } = this.d.rules.scheduler;
    if (row.attempts + 1 >= retry.maxAttempts) {
      this.d.logger.error('reminder not delivered; giving up', {
        key: row.key,
        attempts: row.attempts + 1,
        error,
      });
      return { key: row.key, result: 'failed', at: now, error, delivered };
    }
    const nextAt = now + retryDelayMs(retry, row.attempts);
    this.d.logger.warn('reminder not delivered; will retry', { key: row.key, nextAt, error });
    return { key: row.key, result: 'deferred', at: now, nextAt, failure: { error, delivered } };
  }
}

function hold(row: Reminder, decision: Hold, now: number): ReminderOutcome {
  if (decision.action === 'defer')
    return { key: row.key, result: 'deferred', at: now, nextAt: decision.until };
  return { key: row.key, result: decision.action === 'skip' ? 'skipped' : 'cancelled', at: now };
}
