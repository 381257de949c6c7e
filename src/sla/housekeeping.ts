/**
 * What the scheduler plans besides tickets (whose stages the planner writes as they
 * change): today's digest, once a day, and renewal reminders, from a sweep over the
 * customers' subscriptions once an hour. Both are idempotent upserts into the ledger, so
 * several processes doing the same is harmless. The sweep is the one job whose cost
 * follows the number of customers; it runs hourly, not every tick.
 *
 * Once a day (and at the first tick after start) it also drops the inbound
 * de-duplication keys older than INBOUND_RETENTION_MS: one is written per message, and a
 * bot that runs for months must not keep them all; and, likewise, the outbox rows settled
 * longer than OUTBOX_RETENTION_MS ago.
 */
import type { Logger } from '../core/logger';
import type { SlaStore, Store } from '../core/ports';
import type { SlaRules } from '../core/sla/rules';
import { subjects } from '../core/sla/subjects';
import { planSubscriptionStages } from '../core/sla/subscription-stages';
import { DAY_MS, HOUR_MS, MINUTE_MS, naiveDay, toZonedIso, wallToInstant } from '../core/sla/zone';

const SWEEP_EVERY_MS = HOUR_MS;
/** De-duplication keys only matter while a platform may still redeliver (minutes to hours). */
export const INBOUND_RETENTION_MS = 7 * DAY_MS;
const PRUNE_EVERY_MS = DAY_MS;
/** Settled outbox rows (sent, failed, dropped) stay a week for support questions, then go. */
export const OUTBOX_RETENTION_MS = 7 * DAY_MS;

export class Housekeeping {
  private digestPlannedFor: string | undefined;
  private lastSweep = Number.NEGATIVE_INFINITY;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly ledger: SlaStore,
    private readonly rules: SlaRules,
    private readonly timezone: string,
    private readonly logger: Pick<Logger, 'info'>,
  ) {}

  async run(now: number): Promise<void> {
    await this.planDigest(now);
    // A clock moved backwards (a test, a corrected host clock) sweeps again too.
    if (now - this.lastSweep >= SWEEP_EVERY_MS || now < this.lastSweep) {
      await this.sweepSubscriptions(now);
      this.lastSweep = now;
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS || now < this.lastPrune) {
      const pruned = await this.store.pruneInbound(now - INBOUND_RETENTION_MS);
      const purged = await this.store.purgeOutbound(now - OUTBOX_RETENTION_MS);
      this.lastPrune = now;
      if (pruned) this.logger.info('pruned old inbound keys', { pruned });
      if (purged) this.logger.info('purged settled outbox rows', { purged });
    }
  }

  /** Today's digest row, due at the configured local time in the vendor's zone. */
  private async planDigest(now: number): Promise<void> {
    if (!this.rules.digest.enabled) return;
    const date = toZonedIso(now, this.timezone).slice(0, 10);
    if (this.digestPlannedFor === date) return;
    await this.ledger.scheduleReminders(
      [{ subject: subjects.digest(date), stage: 'daily', dueAt: this.digestTime(date) }],
      now,
    );
    this.digestPlannedFor = date;
  }

  digestTime(date: string): number {
    const [hh, mm] = this.rules.digest.at.split(':').map(Number) as [number, number];
    return wallToInstant(naiveDay(date) * DAY_MS + (hh * 60 + mm) * MINUTE_MS, this.timezone);
  }

  /** Plans the renewal reminders of every subscription whose first reminder is within a day. */
  async sweepSubscriptions(now: number): Promise<number> {
    let planned = 0;
    for (const customer of await this.store.listCustomers()) {
      for (const sub of await this.store.listSubscriptions(customer.id)) {
        const stages = planSubscriptionStages(this.rules.subscriptions, sub, now, DAY_MS + SWEEP_EVERY_MS);
        if (stages.length === 0) continue;
        await this.ledger.scheduleReminders(stages, now);
        planned += stages.length;
      }
    }
    return planned;
  }
}
