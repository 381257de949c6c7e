/**
 * Renewal reminders of a subscription: some days before its end, once when its grace
 * period starts (its end, when it has one) and when the plan is really gone (the end of
 * the grace period). Pure functions, like the ticket stages; the worker re-decides each
 * due row against the customer's subscriptions as they are then, so a renewal cancels
 * what is left, and after downtime only the most severe stage reached is sent.
 */
import type { Subscription } from '../model';
import type { PlannedReminder } from '../ports';
import type { SubscriptionReminderRules } from './rules';
import { subjects } from './subjects';
import type { Hold } from './ticket-stages';
import { DAY_MS } from './zone';

export type SubscriptionStageKind = 'before' | 'grace' | 'expired';

export interface SubscriptionStage {
  readonly id: string;
  readonly kind: SubscriptionStageKind;
  readonly at: number;
}

/** How late an expiry notice may still go out after downtime; later it is news to no one. */
export const LATE_NOTICE_MS = 7 * DAY_MS;

/** The stages in time order (which is also their order of severity). */
export function subscriptionStages(rules: SubscriptionReminderRules, sub: Subscription): SubscriptionStage[] {
  const stages: SubscriptionStage[] = [...new Set(rules.daysBefore)]
    .sort((a, b) => b - a)
    .map((days) => ({ id: `before-${days}d`, kind: 'before', at: sub.endsAt - days * DAY_MS }));
  if (rules.onGraceStart && sub.graceDays > 0) stages.push({ id: 'grace', kind: 'grace', at: sub.endsAt });
  if (rules.onExpiry) stages.push({ id: 'expired', kind: 'expired', at: graceEnd(sub) });
  return stages;
}

export function graceEnd(sub: Subscription): number {
  return sub.endsAt + sub.graceDays * DAY_MS;
}

/** The stages to put in the ledger now: only for a subscription whose reminders are near or under way. */
export function planSubscriptionStages(
  rules: SubscriptionReminderRules,
  sub: Subscription,
  now: number,
  lookaheadMs: number,
): PlannedReminder[] {
  const stages = subscriptionStages(rules, sub);
  const first = stages[0];
  const last = stages[stages.length - 1];
  if (!first || !last || first.at > now + lookaheadMs || last.at + LATE_NOTICE_MS < now) return [];
  const subject = subjects.subscription(sub);
  return stages.map((s) => ({ subject, stage: s.id, dueAt: s.at }));
}

/** Another subscription of the customer continues this one: its reminders no longer apply. */
export function isRenewed(sub: Subscription, all: readonly Subscription[]): boolean {
  return all.some((o) => o.id !== sub.id && o.endsAt > sub.endsAt && o.startsAt <= graceEnd(sub));
}

export function decideSubscriptionReminder(
  row: { readonly stage: string; readonly subscriptionId: string; readonly endsAt: number },
  all: readonly Subscription[],
  rules: SubscriptionReminderRules,
  now: number,
):
  | Hold
  | { readonly action: 'send'; readonly stage: SubscriptionStage; readonly subscription: Subscription } {
  const sub = all.find((s) => s.id === row.subscriptionId);
  if (!sub || sub.endsAt !== row.endsAt || isRenewed(sub, all)) return { action: 'cancel' };
  const stages = subscriptionStages(rules, sub);
  const stage = stages.find((s) => s.id === row.stage);
  if (!stage) return { action: 'cancel' };
  if (stage.at > now) return { action: 'defer', until: stage.at };
  const reached = stages.filter((s) => s.at <= now).pop()!;
  if (reached.id !== stage.id) return { action: 'skip' };
  if (stage.at + LATE_NOTICE_MS < now) return { action: 'skip' };
  return { action: 'send', stage, subscription: sub };
}
