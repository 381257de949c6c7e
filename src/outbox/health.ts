/** The outbox's depth and the age of its oldest waiting message: for the admin CLI now, /healthz and /metrics later. */
import type { Outbox } from '../core/ports';

export interface OutboxHealth {
  /** Rows queued or being sent. */
  readonly waiting: number;
  /** How long the oldest of them has waited (ms); 0 when none waits. */
  readonly oldestAgeMs: number;
}

export async function outboxHealth(store: Pick<Outbox, 'outboxDepth'>, now: number): Promise<OutboxHealth> {
  const { waiting, oldestAt } = await store.outboxDepth();
  return { waiting, oldestAgeMs: oldestAt === undefined ? 0 : Math.max(0, now - oldestAt) };
}
