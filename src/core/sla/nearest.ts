/**
 * The queue's order key: the nearest deadline of any promise whose clock runs now (first
 * response not yet given, a next response awaited, resolution not reached), so the ticket
 * whose promise breaks first is on top whichever promise it is. Kept on the ticket by
 * TicketService and indexed by both stores (`nearest_due_at`, `nearestDueAt`).
 */
import type { Ticket } from '../model';
import type { TicketPatch } from '../ports';

/** The key of a ticket in the queue whose clocks all stand still (waiting on the customer, none promised): last. */
export const NO_DEADLINE = Number.MAX_SAFE_INTEGER;

type Clocks = Pick<
  Ticket,
  'status' | 'dueAt' | 'firstResponseAt' | 'nextResponseDueAt' | 'resolutionDueAt' | 'resolvedAt'
>;

/**
 * The nearest running deadline of a ticket in the queue (open, claimed or waiting on the
 * customer), NO_DEADLINE when none runs; undefined once it has left the queue.
 */
export function nearestDueAt(t: Clocks): number | undefined {
  if (t.status === 'waiting_on_customer') return NO_DEADLINE;
  if (t.status !== 'open' && t.status !== 'claimed') return undefined;
  const running = [
    t.firstResponseAt === undefined ? t.dueAt : undefined,
    t.nextResponseDueAt,
    t.resolvedAt === undefined ? t.resolutionDueAt : undefined,
  ].filter((due): due is number => due !== undefined);
  return running.length ? Math.min(...running) : NO_DEADLINE;
}

/** The ticket as the patch leaves it (null clears a field), as far as its clocks go. */
export function patched(t: Ticket, patch: Omit<TicketPatch, 'updatedAt'>): Clocks {
  const out: Record<string, unknown> = { ...t };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out as unknown as Clocks;
}

/** The patch with the queue key it brings, when it moves it. */
export function withNearest(
  t: Ticket,
  patch: Omit<TicketPatch, 'updatedAt'>,
): Omit<TicketPatch, 'updatedAt'> {
  const next = nearestDueAt(patched(t, patch));
  return next === t.nearestDueAt ? patch : { ...patch, nearestDueAt: next ?? null };
}
