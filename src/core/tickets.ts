/**
 * The ticket lifecycle: open → claimed → waiting_on_customer ⇄ claimed → resolved → closed,
 * with every change recorded as an event (actor, time). Updates are compare-and-set on the
 * ticket version and retried, so concurrent bot processes never lose a change.
 */
import { ConflictError, UserError } from './errors';
import {
  type Category,
  type Person,
  PRIORITY_CATEGORIES,
  type Priority,
  type Ticket,
  type TicketEvent,
  type TicketStatus,
} from './model';
import type { Plan } from './plans';
import type { Clock, NewEvent, Store, TicketPatch } from './ports';
import { type SlaMetric, targetMs } from './sla/metrics';
import { NO_DEADLINE, withNearest } from './sla/nearest';
import { subjectOf } from './text';

/**
 * Told after every ticket write, with the ticket before (undefined when opened) and after.
 * The SLA planner keeps the reminder ledger in step this way; an observer handles its own
 * errors, because the change it hears about is already durable.
 */
export interface TicketObserver {
  ticketChanged(before: Ticket | undefined, after: Ticket): Promise<void>;
}

/** How deadlines are computed; calendar hours by default, business calendars in src/core/sla. */
export interface DeadlinePolicy {
  /** The first-response deadline of a ticket opened at `start` (priority p2 unless given). */
  dueAt(start: number, plan: Plan, metric?: SlaMetric, priority?: Priority): number | undefined;
  /** The deadline after a pause from `pausedAt` to `resumedAt`. */
  afterPause(dueAt: number, pausedAt: number, resumedAt: number, plan: Plan): number;
  /**
   * The deadline when the window changes from `fromMs` to `toMs` of working time at `now`
   * (a priority change): the working time already used counts against the new window.
   */
  retarget(dueAt: number, now: number, fromMs: number, toMs: number, plan: Plan): number;
}

export const calendarHours: DeadlinePolicy = {
  dueAt: (start, plan, metric = 'first_response', priority = 'p2') => {
    const ms = targetMs(plan, metric, priority);
    return ms === undefined ? undefined : start + ms;
  },
  afterPause: (dueAt, pausedAt, resumedAt) => dueAt + Math.max(0, resumedAt - pausedAt),
  retarget: (dueAt, now, fromMs, toMs) => Math.max(Math.min(dueAt, now), dueAt + toMs - fromMs),
};

export interface OpenRequest {
  readonly customerId: string;
  readonly requester: Person;
  readonly plan: Plan;
  readonly platform: Ticket['platform'];
  readonly chatId: string;
  readonly threadId?: string;
  readonly sourceKey: string;
  readonly text: string;
  readonly category: Category;
}

const ACTIVE: readonly TicketStatus[] = ['open', 'claimed', 'waiting_on_customer'];
const MAX_RETRIES = 8;

type Change = { patch: Omit<TicketPatch, 'updatedAt'>; events: NewEvent[] };

export class TicketService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly deadlines: DeadlinePolicy = calendarHours,
    private readonly observer?: TicketObserver,
  ) {}

  async open(req: OpenRequest): Promise<{ ticket: Ticket; created: boolean }> {
    const now = this.clock.now();
    // Priority follows the category, never the words: the same request in any language gets the same.
    const priority: Priority =
      req.plan.priorityResponse && PRIORITY_CATEGORIES.includes(req.category) ? 'p1' : 'p2';
    const dueAt = this.deadlines.dueAt(now, req.plan, 'first_response', priority);
    const resolutionDueAt = this.deadlines.dueAt(now, req.plan, 'resolution', priority);
    const result = await this.store.createTicket(
      {
        customerId: req.customerId,
        requesterId: req.requester.id,
        platform: req.platform,
        chatId: req.chatId,
        ...(req.threadId ? { threadId: req.threadId } : {}),
        sourceKey: req.sourceKey,
        category: req.category,
        priority,
        status: 'open',
        subject: subjectOf(req.text),
        plan: req.plan.id,
        createdAt: now,
        updatedAt: now,
        lastCustomerAt: now,
        ...(dueAt !== undefined ? { dueAt } : {}),
        ...(resolutionDueAt !== undefined ? { resolutionDueAt } : {}),
        nearestDueAt: Math.min(dueAt ?? NO_DEADLINE, resolutionDueAt ?? NO_DEADLINE),
      },
      { at: now, kind: 'customer_message', actorId: req.requester.id, text: req.text },
    );
    // Also when it existed already (a redelivery): planning is idempotent and repairs a crash in between.
    await this.observer?.ticketChanged(undefined, result.ticket);
    return result;
  }

  /** A customer wrote on the ticket: resumes a paused clock, reopens a recently resolved ticket. */
  async customerMessage(ticket: Ticket, author: Person, text: string, plan: Plan, reopenWithinMs: number) {
    return this.mutate(ticket, (t, now) => {
      const events: NewEvent[] = [{ at: now, kind: 'customer_message', actorId: author.id, text }];
      const patch: Mutable<Omit<TicketPatch, 'updatedAt'>> = { lastCustomerAt: now };
      const back: TicketStatus = t.assigneeId ? 'claimed' : 'open';
      if (t.status === 'waiting_on_customer') {
        patch.status = back;
        patch.pausedAt = null;
        if (t.dueAt !== undefined && t.pausedAt !== undefined && t.firstResponseAt === undefined) {
          patch.dueAt = this.deadlines.afterPause(t.dueAt, t.pausedAt, now, plan);
        }
        if (t.resolutionDueAt !== undefined && t.pausedAt !== undefined) {
          patch.resolutionDueAt = this.deadlines.afterPause(t.resolutionDueAt, t.pausedAt, now, plan);
        }
        events.push(statusEvent(now, author.id, t.status, back));
      } else if (
        t.status === 'resolved' &&
        t.resolvedAt !== undefined &&
        now - t.resolvedAt <= reopenWithinMs
      ) {
        patch.status = back;
        patch.resolvedAt = null;
        // The resolution clock resumes: the time it stood resolved does not count.
        if (t.resolutionDueAt !== undefined) {
          patch.resolutionDueAt = this.deadlines.afterPause(t.resolutionDueAt, t.resolvedAt, now, plan);
        }
        events.push(statusEvent(now, author.id, t.status, back));
      } else if (t.status === 'resolved' || t.status === 'closed') {
        throw new UserError('ticket.closed_no_reopen', { ticket: t.number });
      }
      // The ticket now waits on staff after an earlier public answer: the next-response clock
      // starts, unless an earlier unanswered message started it already.
      if (t.firstResponseAt !== undefined && t.nextResponseDueAt === undefined) {
        const next = this.deadlines.dueAt(now, plan, 'next_response', t.priority);
        if (next !== undefined) {
          patch.nextResponseDueAt = next;
          patch.nextResponseSince = now;
        }
      }
      return { patch, events };
    });
  }

  /** A public staff reply: records the first response and claims an unclaimed ticket. */
  async staffReply(ticket: Ticket, staff: Person, text: string) {
    return this.mutate(ticket, (t, now) => {
      if (t.status === 'closed') throw new UserError('ticket.is_closed', { ticket: t.number });
      const events: NewEvent[] = [{ at: now, kind: 'staff_reply', actorId: staff.id, text }];
      const patch: Mutable<Omit<TicketPatch, 'updatedAt'>> = {};
      if (t.firstResponseAt === undefined) patch.firstResponseAt = now;
      if (t.nextResponseDueAt !== undefined) patch.nextResponseDueAt = null;
      if (t.status === 'open') {
        patch.status = 'claimed';
        patch.assigneeId = staff.id;
        events.push(
          statusEvent(now, staff.id, 'open', 'claimed'),
          assignEvent(now, staff.id, undefined, staff.id),
        );
      }
      return { patch, events };
    });
  }

  async note(ticket: Ticket, staff: Person, text: string): Promise<Ticket> {
    return this.mutate(ticket, (_t, now) => ({
      patch: {},
      events: [{ at: now, kind: 'internal_note', actorId: staff.id, text }],
    }));
  }

  /** Records on the ticket's history that it is linked to an upstream issue (`ref` = `owner/repo#123`). */
  async linkUpstream(ticket: Ticket, staff: Person, ref: string, text: string): Promise<Ticket> {
    return this.mutate(ticket, (_t, now) => ({
      patch: {},
      events: [{ at: now, kind: 'upstream_link', actorId: staff.id, to: ref, text }],
    }));
  }

  /** Records that the ticket no longer links the upstream issue `ref` (as it was linked). */
  async unlinkUpstream(ticket: Ticket, staff: Person, ref: string): Promise<Ticket> {
    return this.mutate(ticket, (_t, now) => ({
      patch: {},
      events: [{ at: now, kind: 'upstream_unlink', actorId: staff.id, to: ref }],
    }));
  }

  async claim(ticket: Ticket, staff: Person): Promise<Ticket> {
    return this.assignTo(ticket, staff, staff, false);
  }

  /** Assigns to `assignee`; `force` lets a transfer replace another engineer. */
  async assignTo(ticket: Ticket, actor: Person, assignee: Person, force = true): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      requireActive(t);
      if (t.assigneeId === assignee.id)
        throw new UserError('ticket.already_yours', { ticket: t.number, name: assignee.name });
      if (t.assigneeId && !force) throw new UserError('ticket.claimed_by_other', { ticket: t.number });
      const events: NewEvent[] = [assignEvent(now, actor.id, t.assigneeId, assignee.id)];
      const patch: Mutable<Omit<TicketPatch, 'updatedAt'>> = { assigneeId: assignee.id };
      if (t.status === 'open') {
        patch.status = 'claimed';
        events.push(statusEvent(now, actor.id, 'open', 'claimed'));
      }
      return { patch, events };
    });
  }

  async unclaim(ticket: Ticket, actor: Person): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      requireActive(t);
      if (!t.assigneeId) throw new UserError('ticket.not_claimed', { ticket: t.number });
      const status: TicketStatus = t.status === 'claimed' ? 'open' : t.status;
      const events: NewEvent[] = [assignEvent(now, actor.id, t.assigneeId, undefined)];
      if (status !== t.status) events.push(statusEvent(now, actor.id, t.status, status));
      return { patch: { assigneeId: null, status }, events };
    });
  }

  /**
   * Pauses the clock until the customer answers. A `question` for the customer is recorded
   * as a public reply in the same write (a first response, when it is the first).
   */
  async waitOnCustomer(ticket: Ticket, actor: Person, question?: string): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      requireActive(t);
      if (t.status === 'waiting_on_customer')
        throw new UserError('ticket.already_waiting', { ticket: t.number });
      const events: NewEvent[] = [statusEvent(now, actor.id, t.status, 'waiting_on_customer')];
      if (question) events.unshift({ at: now, kind: 'staff_reply', actorId: actor.id, text: question });
      const patch: Mutable<Omit<TicketPatch, 'updatedAt'>> = { status: 'waiting_on_customer', pausedAt: now };
      if (question && t.firstResponseAt === undefined) patch.firstResponseAt = now;
      // Waiting on the customer, the ticket no longer waits on staff; their next message starts it again.
      if (t.nextResponseDueAt !== undefined) patch.nextResponseDueAt = null;
      return { patch, events };
    });
  }

  async resolve(ticket: Ticket, actor: Person, summary: string | undefined, plan?: Plan): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      requireActive(t);
      const events: NewEvent[] = [statusEvent(now, actor.id, t.status, 'resolved')];
      if (summary) events.unshift({ at: now, kind: 'staff_reply', actorId: actor.id, text: summary });
      const patch: Mutable<Omit<TicketPatch, 'updatedAt'>> = {
        status: 'resolved',
        resolvedAt: now,
        pausedAt: null,
      };
      if (summary && t.firstResponseAt === undefined) patch.firstResponseAt = now;
      if (t.nextResponseDueAt !== undefined) patch.nextResponseDueAt = null;
      // Resolved while waiting on the customer: the pause does not count against resolution.
      if (plan && t.resolutionDueAt !== undefined && t.pausedAt !== undefined) {
        patch.resolutionDueAt = this.deadlines.afterPause(t.resolutionDueAt, t.pausedAt, now, plan);
      }
      return { patch, events };
    });
  }

  async close(ticket: Ticket, actor: Person): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      if (t.status === 'closed') throw new UserError('ticket.is_closed', { ticket: t.number });
      return {
        patch: { status: 'closed', closedAt: now, pausedAt: null },
        events: [statusEvent(now, actor.id, t.status, 'closed')],
      };
    });
  }

  /** Sets the priority; with the ticket's plan, every running deadline moves to the new window. */
  async setPriority(ticket: Ticket, actor: Person, priority: Priority, plan?: Plan): Promise<Ticket> {
    return this.mutate(ticket, (t, now) => {
      if (t.status === 'closed') throw new UserError('ticket.is_closed', { ticket: t.number });
      const moved: Mutable<Omit<TicketPatch, 'updatedAt'>> = {};
      if (plan && priority !== t.priority) {
        const move = (due: number | undefined, metric: SlaMetric, running: boolean) => {
          const from = targetMs(plan, metric, t.priority);
          const to = targetMs(plan, metric, priority);
          if (due === undefined || !running || from === undefined || to === undefined) return undefined;
          return this.deadlines.retarget(due, now, from, to, plan);
        };
        const first = move(t.dueAt, 'first_response', t.firstResponseAt === undefined);
        const next = move(t.nextResponseDueAt, 'next_response', true);
        const resolution = move(t.resolutionDueAt, 'resolution', t.resolvedAt === undefined);
        if (first !== undefined) moved.dueAt = first;
        if (next !== undefined) moved.nextResponseDueAt = next;
        if (resolution !== undefined) moved.resolutionDueAt = resolution;
      }
      return {
        patch: { priority, ...moved },
        events: [{ at: now, kind: 'priority_change', actorId: actor.id, from: t.priority, to: priority }],
      };
    });
  }

  /**
   * Appends the events `decide` draws from the ticket's current state and history (the
   * survey's rules), exactly once: a concurrent write makes it decide again on what is
   * current, so two ratings sent at once record one. `decide` throws a UserError to refuse.
   */
  async appendChecked(
    ticket: Ticket,
    decide: (t: Ticket, history: readonly TicketEvent[], now: number) => NewEvent[],
  ): Promise<Ticket> {
    let current: Ticket | undefined = ticket;
    for (let attempt = 0; attempt < MAX_RETRIES && current; attempt++) {
      const now = this.clock.now();
      const events = decide(current, await this.store.listEvents(current.number), now);
      const updated = await this.store.updateTicket(
        current.number,
        current.version,
        { updatedAt: now },
        events,
      );
      if (updated) return updated;
      current = await this.store.getTicket(ticket.number);
    }
    throw new ConflictError(`ticket #${ticket.number} kept changing under us`);
  }

  isActive(ticket: Ticket): boolean {
    return ACTIVE.includes(ticket.status);
  }

  /** Reads the latest version, applies `change`, writes if nobody else wrote first; retries otherwise. */
  private async mutate(ticket: Ticket, change: (t: Ticket, now: number) => Change): Promise<Ticket> {
    let current: Ticket | undefined = ticket;
    for (let attempt = 0; attempt < MAX_RETRIES && current; attempt++) {
      const now = this.clock.now();
      const { patch: asked, events } = change(current, now);
      const patch = withNearest(current, asked);
      const updated = await this.store.updateTicket(
        current.number,
        current.version,
        { ...patch, updatedAt: now },
        events,
      );
      if (updated) {
        await this.observer?.ticketChanged(current, updated);
        return updated;
      }
      current = await this.store.getTicket(ticket.number);
    }
    throw new ConflictError(`ticket #${ticket.number} kept changing under us`);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function requireActive(t: Ticket): void {
  if (t.status === 'resolved') throw new UserError('ticket.is_resolved', { ticket: t.number });
  if (t.status === 'closed') throw new UserError('ticket.is_closed', { ticket: t.number });
}

function statusEvent(at: number, actorId: string, from: TicketStatus, to: TicketStatus): NewEvent {
  return { at, kind: 'status_change', actorId, from, to };
}

function assignEvent(
  at: number,
  actorId: string,
  from: string | undefined,
  to: string | undefined,
): NewEvent {
  return { at, kind: 'assignment', actorId, ...(from ? { from } : {}), ...(to ? { to } : {}) };
}
