/**
 * The per-promise samples /report measures: next-reply windows replayed from a ticket's
 * events, the resolution window, and metricReport's breaches charged to the holder when
 * each deadline passed.
 */
import type { Ticket, TicketEvent } from '../../../src/core/model';
import { metricReport, nextResponseSamples, resolutionSamples } from '../../../src/core/sla/report';
import { HOUR_MS as H } from '../../../src/core/sla/zone';

const T0 = Date.parse('2026-11-23T10:00:00+08:00');
const base = {
  number: 7,
  customerId: 'acme',
  requesterId: 'alice',
  platform: 'console',
  chatId: 'acme',
  sourceKey: 'k',
  category: 'consultation',
  priority: 'p2',
  status: 'claimed',
  subject: 's',
  plan: 'basic',
  createdAt: T0,
  updatedAt: T0,
  lastCustomerAt: T0,
  version: 1,
} as const;
const ticket = (over: Partial<Ticket> = {}): Ticket => ({ ...base, ...over }) as Ticket;
const ev = (at: number, kind: TicketEvent['kind'], extra: Partial<TicketEvent> = {}): TicketEvent => ({
  ticketNumber: 7,
  at: T0 + at * H,
  kind,
  actorId: kind === 'customer_message' ? 'alice' : 'bob',
  ...extra,
});
/** Next reply within 10 h of the follow-up, in calendar hours. */
const dueOf = (start: number) => start + 10 * H;

describe('next-reply windows from the history', () => {
  it('one window per follow-up: kept, broken by a late reply, ended by a wait, still running', () => {
    const events = [
      ev(0, 'customer_message'), // the opening message: no window before a first answer
      ev(1, 'staff_reply'),
      ev(2, 'customer_message'),
      ev(3, 'customer_message'), // the same window
      ev(5, 'staff_reply'), // kept after 3 h
      ev(6, 'customer_message'),
      ev(20, 'staff_reply'), // 14 h: broken
      ev(21, 'customer_message'),
      ev(22, 'status_change', { from: 'claimed', to: 'waiting_on_customer' }), // ended in time: undecided
      ev(40, 'customer_message'),
      ev(41, 'status_change', { from: 'waiting_on_customer', to: 'claimed' }),
    ];
    // The open window keeps the ticket's own (moved) deadline, not the plan's.
    const t = ticket({
      firstResponseAt: T0 + H,
      nextResponseSince: T0 + 40 * H,
      nextResponseDueAt: T0 + 45 * H,
    });
    expect(nextResponseSamples(t, events, T0 + 44 * H, dueOf)).toEqual([
      { outcome: 'met', dueAt: T0 + 12 * H, tookMs: 3 * H },
      { outcome: 'breached', dueAt: T0 + 16 * H, tookMs: 14 * H },
      { outcome: 'pending', dueAt: T0 + 31 * H },
      { outcome: 'pending', dueAt: T0 + 45 * H },
    ]);
    expect(nextResponseSamples(t, events, T0 + 46 * H, dueOf).at(-1)).toEqual({
      outcome: 'breached',
      dueAt: T0 + 45 * H,
    });
  });

  it('a window the plan does not promise is measured but never judged', () => {
    const events = [ev(1, 'staff_reply'), ev(2, 'customer_message'), ev(30, 'staff_reply')];
    expect(nextResponseSamples(ticket(), events, T0 + 40 * H, () => undefined)).toEqual([
      { outcome: 'none', tookMs: 28 * H },
    ]);
  });
});

describe('resolution window', () => {
  it('met or broken by the resolve; broken when paused past the deadline, pending while in time', () => {
    const due = T0 + 20 * H;
    expect(resolutionSamples(ticket({ resolutionDueAt: due, resolvedAt: T0 + 5 * H }), T0 + 50 * H)).toEqual([
      { outcome: 'met', dueAt: due, tookMs: 5 * H },
    ]);
    const paused = ticket({ resolutionDueAt: due, status: 'waiting_on_customer', pausedAt: T0 + 21 * H });
    expect(resolutionSamples(paused, T0 + 50 * H)[0]?.outcome).toBe('breached');
    const inTime = ticket({ resolutionDueAt: due, status: 'waiting_on_customer', pausedAt: T0 + 2 * H });
    expect(resolutionSamples(inTime, T0 + 50 * H)[0]?.outcome).toBe('pending');
    expect(resolutionSamples(ticket({ resolutionDueAt: due }), T0 + 19 * H)[0]?.outcome).toBe('pending');
    expect(resolutionSamples(ticket({ resolutionDueAt: due }), T0 + 21 * H)[0]?.outcome).toBe('breached');
  });

  it('charges each breach to whoever held the ticket at that deadline, and lists it', () => {
    const t = ticket({ resolutionDueAt: T0 + 20 * H, assigneeId: 'dave' });
    const report = metricReport(
      [t],
      (x) => resolutionSamples(x, T0 + 30 * H),
      () => 'bob',
    );
    expect([...report.breachesByEngineer]).toEqual([['bob', 1]]);
    expect(report.breaches).toEqual([{ ticket: t, dueAt: T0 + 20 * H, holder: 'bob' }]);
    expect(report.overall).toEqual({ met: 0, breached: 1 });
  });
});
