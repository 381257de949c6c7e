/**
 * The reminder rules GroupDesk follows (config/sla.json, validated by config/sla.schema.ts).
 * Plain data: the core decides with them, src/sla delivers.
 */

/** Who hears about a stage: the assignee by DM (the staff channels while unclaimed), the staff channels, or the managers. */
export type Notify = 'assignee' | 'staff' | 'managers';

export interface StageRule {
  /** Stable id, part of the ledger key: renaming a stage re-sends it. */
  readonly id: string;
  /** Share of the first-response window used up, 1–100; 100 is the breach. */
  readonly percent: number;
  readonly notify: Notify;
}

export interface TicketReminderRules {
  /** Ascending by percent, ids unique. */
  readonly stages: readonly StageRule[];
  /** Repeat the 100 % stage every this many working hours while breached; null = never. */
  readonly repeatEveryWorkingHours: number | null;
  /** On business-calendar plans, hold pre-breach stages until the next working instant. */
  readonly quietHours: boolean;
  /** `working_hours`: breach alerts on business-calendar plans wait for working time too. */
  readonly breachAlerts: 'always' | 'working_hours';
}

export interface SubscriptionReminderRules {
  /** Days before the end of a subscription to remind the customer group and managers. */
  readonly daysBefore: readonly number[];
  /** Tell them once when the grace period starts (the subscription's end, when it has one). */
  readonly onGraceStart: boolean;
  /** Tell them when the plan is really gone (the end of the grace period). */
  readonly onExpiry: boolean;
}

export interface DigestRules {
  readonly enabled: boolean;
  /** Local time "HH:mm" in the vendor's time zone (GROUPDESK_TIMEZONE). */
  readonly at: string;
  /** A ticket is "at risk" once this share of its window is used up. */
  readonly atRiskPercent: number;
  /** Send nothing on a day with nothing breached, at risk or undelivered. */
  readonly skipWhenEmpty: boolean;
  /**
   * Warn in the digest this many days before a plan's business calendar runs out of
   * known holidays (see coverage.ts); 0 = never.
   */
  readonly calendarWarningDays: number;
}

export interface SchedulerRules {
  /** node-cron expression of the tick. */
  readonly cron: string;
  /** Reminders claimed (and settled) per batch. */
  readonly batchSize: number;
  /** Most reminders one tick handles; the rest wait for the next tick. */
  readonly maxPerTick: number;
  /** How long a claim holds a reminder; a crashed owner's reminders go out after it. */
  readonly leaseSeconds: number;
  /** A send that has not answered by then counts as failed (and is retried): shorter than the lease. */
  readonly sendTimeoutSeconds: number;
  readonly retry: {
    readonly maxAttempts: number;
    readonly firstDelaySeconds: number;
    readonly maxDelaySeconds: number;
  };
}

export interface SlaRules {
  readonly tickets: TicketReminderRules;
  readonly subscriptions: SubscriptionReminderRules;
  readonly digest: DigestRules;
  readonly scheduler: SchedulerRules;
}

/** Retry delay after `attempts` failed attempts: doubling from the first delay, capped. */
export function retryDelayMs(rules: SchedulerRules['retry'], attempts: number): number {
  const seconds = rules.firstDelaySeconds * 2 ** Math.max(0, Math.min(30, attempts));
  return Math.min(seconds, rules.maxDelaySeconds) * 1000;
}
