/**
 * What a reminder is about, written into its ledger key: `ticket:1024` (its first response),
 * `ticket:1024:next_response:<window start>` (each next-response window is its own subject,
 * so its stages are sent afresh; written without the start before there were windows) and
 * `ticket:1024:resolution` (one window, paused and resumed),
 * `subscription:<customer>:<subscription id>:<endsAt>` (a renewal that moves the end date
 * is a new subject, so its reminders start afresh) and `digest:2026-11-24`.
 */
import type { Subscription, Ticket } from '../model';
import { SLA_METRICS, type SlaMetric } from './metrics';

export type Subject =
  | {
      readonly kind: 'ticket';
      readonly number: number;
      readonly metric: SlaMetric;
      /** The next-response window's start; absent for the other metrics and for older rows. */
      readonly window?: number;
    }
  | {
      readonly kind: 'subscription';
      readonly customerId: string;
      readonly subscriptionId: string;
      readonly endsAt: number;
    }
  | { readonly kind: 'digest'; readonly date: string };

export const subjects = {
  /** First response keeps the key it had before there were other metrics. */
  ticket: (number: number, metric: SlaMetric = 'first_response', window?: number): string =>
    metric === 'first_response'
      ? `ticket:${number}`
      : metric === 'next_response' && window !== undefined
        ? `ticket:${number}:${metric}:${window}`
        : `ticket:${number}:${metric}`,
  /** A ticket's subject for `metric`, in its current window. */
  ofTicket: (ticket: Pick<Ticket, 'number' | 'nextResponseSince'>, metric: SlaMetric): string =>
    subjects.ticket(ticket.number, metric, metric === 'next_response' ? ticket.nextResponseSince : undefined),
  subscription: (sub: Subscription): string => `subscription:${sub.customerId}:${sub.id}:${sub.endsAt}`,
  digest: (date: string): string => `digest:${date}`,
};

/** Reads a subject back; undefined for anything this version does not know. */
export function parseSubject(subject: string): Subject | undefined {
  const [kind, ...rest] = subject.split(':');
  if (kind === 'ticket' && rest.length === 1 && /^\d+$/.test(rest[0]!)) {
    return { kind, number: Number(rest[0]), metric: 'first_response' };
  }
  const metric = SLA_METRICS.find((m) => m !== 'first_response' && m === rest[1]);
  if (kind === 'ticket' && rest.length === 2 && /^\d+$/.test(rest[0]!) && metric) {
    return { kind, number: Number(rest[0]), metric };
  }
  if (kind === 'ticket' && rest.length === 3 && /^\d+$/.test(rest[0]!) && metric === 'next_response') {
    if (/^\d+$/.test(rest[2]!)) return { kind, number: Number(rest[0]), metric, window: Number(rest[2]) };
  }
  if (kind === 'subscription' && rest.length >= 3) {
    // Customer ids have no colon; a subscription id might, so it is everything in between.
    const endsAt = Number(rest[rest.length - 1]);
    const subscriptionId = rest.slice(1, -1).join(':');
    if (Number.isSafeInteger(endsAt) && rest[0] && subscriptionId) {
      return { kind, customerId: rest[0], subscriptionId, endsAt };
    }
  }
  if (kind === 'digest' && rest.length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(rest[0]!)) {
    return { kind, date: rest[0]! };
  }
  return undefined;
}
