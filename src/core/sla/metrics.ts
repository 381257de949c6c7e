/**
 * The promises a plan can sell, each optional: the first public staff reply, the next
 * public staff reply after a customer writes again, and resolution. A plan states each in
 * hours of its calendar; a ticket's priority can shorten each window by the plan's factor.
 */
import type { Priority } from '../model';
import type { Plan } from '../plans';
import { HOUR_MS } from './zone';

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/**
 * The plan's target for `metric` in hours, before any priority factor; null = not promised.
 * Next response defaults to the first-response hours; resolution is off unless set.
 */
export function metricHours(plan: Plan, metric: SlaMetric): number | null {
  switch (metric) {
    case 'first_response':
      return plan.firstResponseHours;
    case 'next_response':
      return plan.nextResponseHours === undefined ? plan.firstResponseHours : plan.nextResponseHours;
    case 'resolution':
      return plan.resolutionHours ?? null;
  }
}

/** The share of each window a priority gets on this plan (1 when the plan sets none). */
export function priorityFactor(plan: Plan, priority: Priority): number {
  return plan.priorityFactors?.[priority] ?? 1;
}

/** The working time a ticket of `priority` has for `metric` on `plan`, in ms; undefined = not promised. */
export function targetMs(plan: Plan, metric: SlaMetric, priority: Priority): number | undefined {
  const hours = metricHours(plan, metric);
  if (hours === null) return undefined;
  return Math.round(hours * priorityFactor(plan, priority) * HOUR_MS);
}
