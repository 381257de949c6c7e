/**
 * The pure decisions behind every reminder: when a ticket's stage is reached, which due
 * row is sent, skipped, deferred or cancelled; subscription stages; subjects; report figures.
 */
import type { Subscription, Ticket } from '../../../src/core/model';
import { compliancePercent, percentile, slaReport, targetOutcome } from '../../../src/core/sla/report';
import type { TicketReminderRules } from '../../../src/core/sla/rules';
import { parseSubject, subjects } from '../../../src/core/sla/subjects';
import { decideSubscriptionReminder, subscriptionStages } from '../../../src/core/sla/subscription-stages';
import { decideTicketReminder, percentUsed, planTicketStages } from '../../../src/core/sla/ticket-stages';
import { DAY_MS, HOUR_MS as H } from '../../../src/core/sla/zone';
import { cn } from './calendars';

const T0 = Date.parse('2026-11-23T10:00:00+08:00'); // a Monday
const rules: TicketReminderRules = {
  stages: [
    { id: 'half', percent: 50, notify: 'assignee' },
    { id: 'late', percent: 80, notify: 'assignee' },
    { id: 'breach', percent: 100, notify: 'managers' },
  ],
  repeatEveryWorkingHours: 4,
  quietHours: true,
  breachAlerts: 'always',
};
const clock = { targetMs: 10 * H, calendar: undefined };
const ticket = (over: { [K in keyof Ticket]?: Ticket[K] | undefined } = {}): Ticket => {
  const base: Record<string, unknown> = {
    number: 1,
    customerId: 'acme',
    requesterId: 'alice',
    platform: 'console',
    chatId: 'acme',
    sourceKey: 'k',
    category: 'consultation',
    priority: 'p2',
    status: 'open',
    subject: 's',
    plan: 'basic',
    createdAt: T0,
    updatedAt: T0,
    lastCustomerAt: T0,
    dueAt: T0 + 10 * H,
    version: 1,
    ...over,
  };
  // An override of `undefined` leaves the field out.
  for (const [key, value] of Object.entries(base)) if (value === undefined) delete base[key];
  return base as unknown as Ticket;
};
const row = (stage: string, over: { round?: number; lastSentAt?: number } = {}) => ({
  stage,
  round: 0,
  dueAt: T0,
  ...over,
});

describe('ticket stages', () => {
  it('plans each stage at its share of the window, the breach just after the deadline', () => {
    expect(planTicketStages(rules, ticket(), clock, T0).map((p) => [p.stage, (p.dueAt - T0) / H])).toEqual([
      ['half', 5],
      ['late', 8],
      ['breach', 10 + 1 / H],
    ]);
    expect(percentUsed(ticket(), clock, T0 + 2.5 * H)).toBeCloseTo(25);
  });

  it('sends the most severe stage reached, skips the others, defers the ones not reached', () => {
    const t = ticket();
    expect(decideTicketReminder(row('half'), t, clock, rules, T0 + 9 * H)).toEqual({ action: 'skip' });
    expect(decideTicketReminder(row('late'), t, clock, rules, T0 + 9 * H)).toMatchObject({
      action: 'send',
      round: 0,
    });
    expect(decideTicketReminder(row('breach'), t, clock, rules, T0 + 9 * H)).toEqual({
      action: 'defer',
      until: T0 + 10 * H + 1,
    });
  });

  it('cancels when the clock no longer runs, the ticket is gone or the stage was removed', () => {
    const now = T0 + 9 * H;
    for (const t of [
      ticket({ firstResponseAt: T0 + H }),
      ticket({ status: 'waiting_on_customer', pausedAt: T0 + H }),
      ticket({ status: 'resolved' }),
      undefined,
    ]) {
      expect(decideTicketReminder(row('late'), t, clock, rules, now)).toEqual({ action: 'cancel' });
    }
    expect(decideTicketReminder(row('gone'), ticket(), clock, rules, now)).toEqual({ action: 'cancel' });
  });

  it('repeats the breach every 4 working hours after the last one, and not when repeats are off', () => {
    const t = ticket();
    const sent = T0 + 11 * H;
    const repeat = row('breach', { round: 1, lastSentAt: sent });
    expect(decideTicketReminder(repeat, t, clock, rules, sent + 3 * H)).toEqual({
      action: 'defer',
      until: sent + 4 * H,
    });
    expect(decideTicketReminder(repeat, t, clock, rules, sent + 4 * H)).toEqual({
      action: 'send',
      stage: rules.stages[2],
      round: 1,
      rearmAt: sent + 8 * H,
    });
    const off = { ...rules, repeatEveryWorkingHours: null };
    expect(decideTicketReminder(repeat, t, clock, off, sent + 4 * H)).toEqual({ action: 'cancel' });
  });

  it('on a business calendar, holds pre-breach stages outside working hours; the breach follows its rule', () => {
    const onCn = { targetMs: 8 * H, calendar: cn };
    // Due Tuesday 10:30; at Monday 23:00 6.5 of 8 working hours are used (81 %).
    const t = ticket({ dueAt: Date.parse('2026-11-24T10:30:00+08:00') });
    const night = Date.parse('2026-11-23T23:00:00+08:00');
    const morning = Date.parse('2026-11-24T09:00:00+08:00');
    expect(decideTicketReminder(row('late'), t, onCn, rules, night)).toEqual({
      action: 'defer',
      until: morning,
    });
    expect(decideTicketReminder(row('late'), t, onCn, { ...rules, quietHours: false }, night)).toMatchObject({
      action: 'send',
    });
    const late = Date.parse('2026-11-24T19:00:00+08:00');
    const strict = { ...rules, breachAlerts: 'working_hours' as const };
    expect(decideTicketReminder(row('breach'), t, onCn, rules, late)).toMatchObject({ action: 'send' });
    expect(decideTicketReminder(row('breach'), t, onCn, strict, late)).toEqual({
      action: 'defer',
      until: Date.parse('2026-11-25T09:00:00+08:00'),
    });
  });
});

describe('subscription stages', () => {
  const sub: Subscription = {
    id: 'sub-1',
    customerId: 'acme',
    plan: 'basic',
    startsAt: T0 - 300 * DAY_MS,
    endsAt: T0,
    graceDays: 7,
    trainingUsed: 0,
    createdAt: 0,
  };
  const subRules = { daysBefore: [1, 7], onGraceStart: true, onExpiry: true };
  const r = (stage: string) => ({ stage, subscriptionId: sub.id, endsAt: sub.endsAt });

  it('orders 7 days, 1 day, grace start and expiry; without grace there is no grace notice', () => {
    expect(subscriptionStages(subRules, sub).map((s) => [s.id, (s.at - T0) / DAY_MS])).toEqual([
      ['before-7d', -7],
      ['before-1d', -1],
      ['grace', 0],
      ['expired', 7],
    ]);
    expect(subscriptionStages(subRules, { ...sub, graceDays: 0 }).map((s) => s.id)).toEqual([
      'before-7d',
      'before-1d',
      'expired',
    ]);
  });

  it('sends only the most severe stage reached; a renewal or a moved end cancels', () => {
    const now = T0 + DAY_MS;
    expect(decideSubscriptionReminder(r('before-1d'), [sub], subRules, now)).toEqual({ action: 'skip' });
    expect(decideSubscriptionReminder(r('grace'), [sub], subRules, now)).toMatchObject({ action: 'send' });
    expect(decideSubscriptionReminder(r('expired'), [sub], subRules, now)).toEqual({
      action: 'defer',
      until: T0 + 7 * DAY_MS,
    });
    const renewal = { ...sub, id: 'sub-2', startsAt: T0, endsAt: T0 + 365 * DAY_MS };
    expect(decideSubscriptionReminder(r('grace'), [sub, renewal], subRules, now)).toEqual({
      action: 'cancel',
    });
    expect(decideSubscriptionReminder(r('grace'), [{ ...sub, endsAt: T0 + DAY_MS }], subRules, now)).toEqual({
      action: 'cancel',
    });
  });
});

describe('subjects', () => {
  it('round-trip and refuse what they do not know', () => {
    expect(parseSubject(subjects.ticket(1024))).toEqual({
      kind: 'ticket',
      number: 1024,
      metric: 'first_response',
    });
    expect(subjects.ticket(1024, 'first_response')).toBe('ticket:1024'); // the key it had before v6
    expect(parseSubject(subjects.ticket(1024, 'next_response'))).toEqual({
      kind: 'ticket',
      number: 1024,
      metric: 'next_response',
    });
    // Each next-response window is its own subject, named by its start.
    expect(subjects.ticket(1024, 'next_response', 1795399200000)).toBe(
      'ticket:1024:next_response:1795399200000',
    );
    expect(parseSubject('ticket:1024:next_response:1795399200000')).toEqual({
      kind: 'ticket',
      number: 1024,
      metric: 'next_response',
      window: 1795399200000,
    });
    expect(parseSubject('ticket:1024:resolution:1795399200000')).toBeUndefined();
    expect(parseSubject('ticket:1024:next_response:soon')).toBeUndefined();
    expect(parseSubject('ticket:1024:resolution')).toEqual({
      kind: 'ticket',
      number: 1024,
      metric: 'resolution',
    });
    expect(parseSubject('ticket:1024:first_response')).toBeUndefined();
    expect(parseSubject('ticket:1024:update')).toBeUndefined();
    expect(parseSubject('subscription:acme:a:b:123')).toEqual({
      kind: 'subscription',
      customerId: 'acme',
      subscriptionId: 'a:b',
      endsAt: 123,
    });
    expect(parseSubject(subjects.digest('2026-11-24'))).toEqual({ kind: 'digest', date: '2026-11-24' });
    for (const bad of ['ticket:x', 'ticket:', 'subscription:acme:1', 'digest:today', 'other:1']) {
      expect(parseSubject(bad)).toBeUndefined();
    }
  });
});

describe('report figures', () => {
  it('judges each ticket against its target and counts only decided ones', () => {
    const now = T0 + 20 * H;
    const list = [
      ticket({ number: 1, firstResponseAt: T0 + H, resolvedAt: T0 + 3 * H, status: 'resolved' }),
      ticket({ number: 2, firstResponseAt: T0 + 12 * H, assigneeId: 'bob', plan: 'enterprise' }),
      ticket({ number: 3, status: 'claimed', assigneeId: 'bob' }), // no answer, past due
      ticket({ number: 4, dueAt: now + H }), // pending
      ticket({ number: 5, status: 'waiting_on_customer', pausedAt: T0 + H }), // paused in time
      ticket({ number: 6, dueAt: undefined }),
    ];
    expect(list.map((t) => targetOutcome(t, now))).toEqual([
      'met',
      'breached',
      'breached',
      'pending',
      'pending',
      'none',
    ]);
    const report = slaReport(list, now);
    expect(report.overall).toEqual({ met: 1, breached: 2 });
    expect(compliancePercent(report.overall)).toBe(33);
    expect([...report.byPlan]).toEqual([
      ['basic', { met: 1, breached: 1 }],
      ['enterprise', { met: 0, breached: 1 }],
    ]);
    expect([...report.breachesByEngineer]).toEqual([['bob', 2]]);
    expect(report.firstResponse).toEqual({ median: H, p90: 12 * H });
    expect(report.resolution).toEqual({ median: 3 * H, p90: 3 * H });
    expect(compliancePercent({ met: 0, breached: 0 })).toBeUndefined();
  });

  it('percentiles by nearest rank', () => {
    const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect([percentile(values, 0.5), percentile(values, 0.9), percentile([42], 0.9)]).toEqual([5, 9, 42]);
  });
});
