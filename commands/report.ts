import { z } from 'zod';
import type { Ticket } from '../src/core/model';
import {
  type Compliance,
  compliancePercent,
  holderAt,
  type SlaReport,
  type Spread,
  slaReport,
  targetOutcome,
} from '../src/core/sla/report';
import { type Rated, ratingsOf, summarise, summariseBy } from '../src/core/survey';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

const DAY_MS = 86_400_000;
const LIMIT = 500;

/**
 * SLA compliance per plan and per customer, first-response and resolution times, breaches
 * and open load per engineer, training sessions used. In a customer group: that customer only.
 */
export const reportCommand = defineCommand({
  name: 'report',
  aliases: { 'zh-CN': ['报表', '报告'] },
  audience: ['manager'],
  places: STAFF_PLACES,
  params: [{ name: 'days', kind: 'number', required: false }],
  schema: z.object({ days: z.number().int().min(1).max(366).default(7) }),
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
    // Each breach is charged to whoever held the ticket when its deadline passed.
    const holders = new Map<number, string | undefined>();
    for (const t of tickets) {
      if (targetOutcome(t, now) === 'breached' && t.dueAt !== undefined)
        holders.set(t.number, holderAt(await store.listEvents(t.number), t.dueAt));
    }
    const report = slaReport(tickets, now, (t) => holders.get(t.number));
    const lines = [
      ctx.t('report.header', { days: args.days }),
      ctx.t('report.volume', { opened: report.opened, resolved: report.resolved }),
      ctx.t('report.compliance', {
        percent: compliancePercent(report.overall) ?? 100,
        met: report.overall.met,
        total: report.overall.met + report.overall.breached,
        breached: report.overall.breached,
      }),
      ctx.t('report.first_response', spread(ctx, report.firstResponse)),
      ctx.t('report.resolution', spread(ctx, report.resolution)),
      ...(await breakdowns(ctx, report)),
      ctx.t('report.breaches_header'),
      ...(await perEngineer(ctx, report.breachesByEngineer)),
      ctx.t('report.load_header'),
      ...(await perEngineer(ctx, countByAssignee(open))),
      ctx.t('report.training_header'),
      ...(await training(ctx)),
      ...(await satisfaction(ctx, await ratingsOf(store, tickets))),
    ];
    if (tickets.length === LIMIT) lines.push(ctx.t('report.truncated', { limit: LIMIT }));
    // Compliance and per-engineer figures are internal: in a customer's group only the asker sees them.
    ctx.reply(lines.join('\n'), { private: ctx.place.kind === 'customer' });
  },
});

function spread(ctx: CommandContext, s: Spread | undefined): { median: string; p90: string } {
  if (!s) return { median: '-', p90: '-' };
  return { median: ctx.format.duration(ctx.locale, s.median), p90: ctx.format.duration(ctx.locale, s.p90) };
}

async function breakdowns(ctx: CommandContext, report: SlaReport): Promise<string[]> {
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
