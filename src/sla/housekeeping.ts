/**
 * What the scheduler plans besides tickets (whose stages the planner writes as they
 * change): today's digest, once a day, and renewal reminders, from a sweep over the
 * customers' subscriptions once an hour. Both are idempotent upserts into the ledger, so
 * several processes doing the same is harmless. The sweep is the one job whose cost
 * follows the number of customers; it runs hourly, not every tick.
 */
import type { SlaStore, Store } from '../core/ports';
import type { SlaRules } from '../core/sla/rules';
import { subjects } from '../core/sla/subjects';
import { planSubscriptionStages } from '../core/sla/subscription-stages';
import { DAY_MS, HOUR_MS, MINUTE_MS, naiveDay, toZonedIso, wallToInstant } from '../core/sla/zone';

const SWEEP_EVERY_MS = HOUR_MS;

export class Housekeeping {
  private digestPlannedFor: string | undefined;
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: Store,
    private readonly ledger: SlaStore,
    private readonly rules: SlaRules,
    private readonly timezone: string,
  ) {}

  async run(now: number): Promise<void> {
    await this.planDigest(now);
    // A clock moved backwards (a test, a corrected host clock) sweeps again too.
    if (now - this.lastSweep >= SWEEP_EVERY_MS || now < this.lastSweep) {
      await this.sweepSubscriptions(now);
      this.lastSweep = now;
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
