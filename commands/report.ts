import { z } from 'zod';
import type { Ticket, TicketEvent } from '../src/core/model';
import { SLA_METRICS, type SlaMetric } from '../src/core/sla/metrics';
import {
  type Compliance,
  compliancePercent,
  holderAt,
  type MetricReport,
  metricReport,
  type Spread,
  samplesOf,
} from '../src/core/sla/report';
import { type Rated, ratingsOf, summarise, summariseBy } from '../src/core/survey';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

const DAY_MS = 86_400_000;
const LIMIT = 500;
/** Breaches named one by one per promise; the rest are counted. */
const BREACHES_LISTED = 20;

/**
 * SLA figures per promise (first response, next reply, resolution; one when `metric` is
 * given): compliance overall, per plan and per customer, median and p90 of the time taken,
 * breaches per engineer and the breaches themselves; then open load per engineer, training
 * sessions used and satisfaction. In a customer group: that customer only.
 */
export const reportCommand = defineCommand({
  name: 'report',
  aliases: { 'zh-CN': ['报表', '报告'] },
  audience: ['manager'],
  places: STAFF_PLACES,
  params: [
    { name: 'days', kind: 'number', required: false },
    { name: 'metric', kind: 'choice', required: false, choices: SLA_METRICS, keywords: 'metric' },
  ],
  schema: z.object({
    days: z.number().int().min(1).max(366).default(7),
    metric: z.enum(SLA_METRICS).optional(),
  }),
  async run(ctx, args) {
    const { store, clock } = ctx.desk;
    const now = clock.now();
    const scope = ctx.place.customerId ? { customerId: ctx.place.customerId } : {};
    const tickets = await store.queryTickets({
      createdSince: now - args.days * DAY_MS,
      limit: LIMIT,
      ...scope,
    });
    const open = await store.queryTickets({
      statuses: ['open', 'claimed', 'waiting_on_customer'],
      limit: LIMIT,
      ...scope,
    });
    const events = await eventsOf(ctx, tickets, now);
    const lines = [
      ctx.t('report.header', { days: args.days }),
      ctx.t('report.volume', {
        opened: tickets.length,
        resolved: tickets.filter((t) => t.resolvedAt !== undefined).length,
      }),
    ];
    for (const metric of args.metric ? [args.metric] : SLA_METRICS) {
      lines.push(...(await metricSection(ctx, metric, measure(ctx, metric, tickets, events, now))));
    }
    lines.push(
      ctx.t('report.load_header'),
      ...(await perEngineer(ctx, countByAssignee(open))),
      ctx.t('report.training_header'),
      ...(await training(ctx)),
      ...(await satisfaction(ctx, await ratingsOf(store, tickets))),
    );
    if (tickets.length === LIMIT) lines.push(ctx.t('report.truncated', { limit: LIMIT }));
    // Compliance and per-engineer figures are internal: in a customer's group only the asker sees them.
    ctx.reply(lines.join('\n'), { private: ctx.place.kind === 'customer' });
  },
});

/**
 * The history of each ticket a figure needs it for: its next-reply windows (a ticket that
 * ever had one keeps nextResponseSince) and who held it when a deadline passed (a breach).
 * Other tickets are not read: most of a period's tickets need neither.
 */
async function eventsOf(ctx: CommandContext, tickets: readonly Ticket[], now: number) {
  const events = new Map<number, readonly TicketEvent[]>();
  for (const t of tickets) {
    const breached = [...samplesOf('first_response', t, now), ...samplesOf('resolution', t, now)].some(
      (s) => s.outcome === 'breached',
    );
    if (t.nextResponseSince !== undefined || breached)
      events.set(t.number, await ctx.desk.store.listEvents(t.number));
  }
  return events;
}

function measure(
  ctx: CommandContext,
  metric: SlaMetric,
  tickets: readonly Ticket[],
  events: ReadonlyMap<number, readonly TicketEvent[]>,
  now: number,
): MetricReport {
  const policy = ctx.desk.sla.view.policy;
  return metricReport(
    tickets,
    (t) => {
      const plan = policy.planOf(t);
      const dueOf = (start: number) => plan && policy.dueAt(start, plan, metric, t.priority);
      return samplesOf(metric, t, now, events.get(t.number), dueOf);
    },
    // Each breach is charged to whoever held the ticket when its deadline passed.
    (t, dueAt) => holderAt(events.get(t.number) ?? [], dueAt),
  );
}

async function metricSection(ctx: CommandContext, metric: SlaMetric, r: MetricReport): Promise<string[]> {
  const name = ctx.t(`report.metric.${metric}`);
  const percent = compliancePercent(r.overall);
  const lines = [
    percent === undefined
      ? ctx.t('report.compliance_none', { metric: name })
      : ctx.t('report.compliance', {
          metric: name,
          percent,
          met: r.overall.met,
          total: r.overall.met + r.overall.breached,
          breached: r.overall.breached,
        }),
    ctx.t('report.time', { metric: name, ...spread(ctx, r.time) }),
  ];
  if (percent === undefined) return lines;
  return [
    ...lines,
    ...(await breakdowns(ctx, r)),
    ctx.t('report.breaches_header'),
    ...(await perEngineer(ctx, r.breachesByEngineer)),
    ...(await breachList(ctx, r)),
  ];
}

/** "Breached: #1001 ACME Corp (bob), …": the oldest deadlines first, at most BREACHES_LISTED. */
async function breachList(ctx: CommandContext, r: MetricReport): Promise<string[]> {
  if (!r.breaches.length) return [];
  const { store } = ctx.desk;
  const items: string[] = [];
  for (const b of r.breaches.slice(0, BREACHES_LISTED)) {
    items.push(
      ctx.t('report.breach_item', {
        ticket: b.ticket.number,
        customer: (await store.getCustomer(b.ticket.customerId))?.name ?? b.ticket.customerId,
        assignee: b.holder ? ((await store.getPerson(b.holder))?.name ?? '?') : ctx.t('status.unassigned'),
      }),
    );
  }
  const more = r.breaches.length - BREACHES_LISTED;
  if (more > 0) items.push(ctx.t('report.breach_more', { count: more }));
  return [ctx.t('report.breach_list', { list: items.join(ctx.t('list.separator')) })];
}

function spread(ctx: CommandContext, s: Spread | undefined): { median: string; p90: string } {
  if (!s) return { median: '-', p90: '-' };
  return { median: ctx.format.duration(ctx.locale, s.median), p90: ctx.format.duration(ctx.locale, s.p90) };
}

async function breakdowns(ctx: CommandContext, report: MetricReport): Promise<string[]> {
  const line = (name: string, c: Compliance) => {
    const percent = compliancePercent(c);
    return ctx.t('report.compliance_line', {
      name,
      percent: percent === undefined ? '-' : `${percent}%`,
      met: c.met,
      total: c.met + c.breached,
      breached: c.breached,
    });
  };
  const plans = [...report.byPlan].map(([id, c]) => line(ctx.desk.plans.get(id)?.name[ctx.locale] ?? id, c));
  const customers: string[] = [];
  for (const [id, c] of report.byCustomer) {
    customers.push(line((await ctx.desk.store.getCustomer(id))?.name ?? id, c));
  }
  return [
    ctx.t('report.by_plan'),
    ...(plans.length ? plans : [`  ${ctx.t('report.none')}`]),
    ctx.t('report.by_customer'),
    ...(customers.length ? customers : [`  ${ctx.t('report.none')}`]),
  ];
}

function countByAssignee(tickets: readonly Ticket[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tickets) counts.set(t.assigneeId ?? '', (counts.get(t.assigneeId ?? '') ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}

async function perEngineer(ctx: CommandContext, counts: ReadonlyMap<string, number>): Promise<string[]> {
  const lines: string[] = [];
  for (const [id, count] of counts) {
    const name = id ? ((await ctx.desk.store.getPerson(id))?.name ?? '?') : ctx.t('status.unassigned');
    lines.push(`  ${ctx.t('report.engineer_line', { name, count })}`);
  }
  return lines.length ? lines : [`  ${ctx.t('report.none')}`];
}

/** Training sessions used in each customer's current subscription period (only plans that include some). */
async function training(ctx: CommandContext): Promise<string[]> {
  const { store, directory } = ctx.desk;
  const customers = ctx.place.customerId
    ? [await directory.requireCustomer(ctx.place.customerId)]
    : await store.listCustomers();
  const lines: string[] = [];
  for (const customer of customers) {
    const { plan, subscription } = await directory.effectivePlan(customer.id);
    if (!subscription || plan.trainingSessions === 0) continue;
    lines.push(
      ctx.t('report.training_line', {
        customer: customer.name,
        plan: plan.name[ctx.locale],
        used: subscription.trainingUsed,
        quota: plan.trainingSessions,
      }),
    );
  }
  return lines.length ? lines : [`  ${ctx.t('report.none')}`];
}

/** Survey scores of the period's tickets: overall, then per plan, customer and engineer. */
async function satisfaction(ctx: CommandContext, rated: readonly Rated[]): Promise<string[]> {
  const overall = summarise(rated.map((r) => r.score));
  if (!overall) return [ctx.t('report.satisfaction_none')];
  const { store, plans } = ctx.desk;
  const line = async (key: string, by: (r: Rated) => string, name: (id: string) => Promise<string>) => {
    const items: string[] = [];
    for (const [id, s] of summariseBy(rated, (r) => r.score, by)) {
      items.push(
        ctx.t('report.satisfaction_item', { name: await name(id), average: s.average, count: s.count }),
      );
    }
    return ctx.t(key, { list: items.join(ctx.t('list.separator')) });
  };
  return [
    ctx.t('report.satisfaction', { ...overall }),
    await line(
      'report.satisfaction_by_plan',
      (r) => r.plan,
      async (id) => plans.get(id)?.name[ctx.locale] ?? id,
    ),
    await line(
      'report.satisfaction_by_customer',
      (r) => r.customerId,
      async (id) => (await store.getCustomer(id))?.name ?? id,
    ),
    await line(
      'report.satisfaction_by_engineer',
      (r) => r.engineerId,
      async (id) => (id ? ((await store.getPerson(id))?.name ?? '?') : ctx.t('status.unassigned')),
    ),
  ];
}
