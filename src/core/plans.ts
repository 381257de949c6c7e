/**
 * Plans and entitlements. The plan table is data (config/plans.json, validated at start);
 * this module answers what a customer's plan covers at a given time.
 */
import type { Locale } from './i18n';
import type { Category, Priority, Subscription } from './model';

const DAY_MS = 86_400_000;

export interface Plan {
  readonly id: string;
  readonly name: Readonly<Record<Locale, string>>;
  /** Monthly price, or null when "to be announced" / free. */
  readonly price: number | null;
  readonly listPrice: number | null;
  /** First-response target in hours; null = no SLA (community). */
  readonly firstResponseHours: number | null;
  /**
   * Next-response target in hours (the next public staff reply after the customer writes
   * again); undefined = the first-response hours, null = not promised.
   */
  readonly nextResponseHours?: number | null | undefined;
  /** Resolution target in working hours, excluding time waiting on the customer; undefined/null = off. */
  readonly resolutionHours?: number | null | undefined;
  /** Share of each window a priority gets (p1 = 0.25: a quarter); absent priority = 1. */
  readonly priorityFactors?: { readonly [P in Priority]?: number | undefined } | undefined;
  /** Security and performance reports jump the queue. */
  readonly priorityResponse: boolean;
  /** Training sessions per subscription period. */
  readonly trainingSessions: number;
  readonly categories: readonly Category[];
  /** Optional business calendar id (config/calendars/<id>.json); calendar hours when absent. */
  readonly calendar?: string | undefined;
}

export interface PlanCatalog {
  readonly currency: string;
  /** Ordered from the cheapest (community) to the most complete. */
  readonly plans: readonly Plan[];
  /** Where community users are pointed: issue tracker, docs, community group. */
  readonly freeChannels: Readonly<Record<string, string>>;
  /** Default grace period after a subscription ends, in days. */
  readonly graceDays: number;
}

export interface EffectivePlan {
  readonly plan: Plan;
  /** The subscription that grants it; absent for community. */
  readonly subscription?: Subscription;
  /** True when the subscription has ended but the grace period still applies. */
  readonly inGrace: boolean;
}

export class PlanBook {
  private readonly byId: ReadonlyMap<string, Plan>;

  constructor(readonly catalog: PlanCatalog) {
    this.byId = new Map(catalog.plans.map((p) => [p.id, p]));
  }

  get community(): Plan {
    return this.catalog.plans[0]!;
  }

  get(id: string): Plan | undefined {
    return this.byId.get(id);
  }

  /** The plan a speaker names: its id or its name in any locale (`advanced`, `Advanced`, `高级版`). */
  named(word: string): Plan | undefined {
    const lower = word.trim().toLowerCase();
    return (
      this.byId.get(lower) ??
      this.catalog.plans.find((p) => Object.values(p.name).some((n) => n.toLowerCase() === lower))
    );
  }

  ids(): string[] {
    return this.catalog.plans.map((p) => p.id);
  }

  /** The cheapest plan (first in catalogue order) that covers `category`. */
  cheapestWith(category: Category): Plan | undefined {
    return this.catalog.plans.find((p) => p.categories.includes(category) && p.firstResponseHours !== null);
  }

  /**
   * The plan in force at `now`: the active subscription with the best plan, a subscription
   * in its grace period, or community.
   */
  effective(subscriptions: readonly Subscription[], now: number): EffectivePlan {
    let best: EffectivePlan | undefined;
    for (const sub of subscriptions) {
      const plan = this.byId.get(sub.plan);
      if (!plan || sub.startsAt > now) continue;
      const active = now < sub.endsAt;
      const inGrace = !active && now < sub.endsAt + sub.graceDays * DAY_MS;
      if (!active && !inGrace) continue;
      const candidate: EffectivePlan = { plan, subscription: sub, inGrace };
      if (!best || this.rank(plan) > this.rank(best.plan) || (best.inGrace && !inGrace)) best = candidate;
    }
    return best ?? { plan: this.community, inGrace: false };
  }

  covers(plan: Plan, category: Category): boolean {
    return plan.firstResponseHours !== null && plan.categories.includes(category);
  }

  private rank(plan: Plan): number {
    return this.catalog.plans.indexOf(plan);
  }
}
