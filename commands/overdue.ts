import { z } from 'zod';
import type { Ticket } from '../src/core/model';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

/** Breached and at-risk tickets (of this customer only, in a customer group), and who holds them. */
export const overdueCommand = defineCommand({
  name: 'overdue',
  aliases: { 'zh-CN': ['超时'] },
  audience: ['manager'],
  places: STAFF_PLACES,
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const { store, clock, sla } = ctx.desk;
    const now = clock.now();
    const overview = await sla.view.overview(store, now, ctx.place.customerId);
    const { breached, atRisk } = overview;
    const lines = breached.length
      ? [ctx.t('overdue.header', { count: breached.length }), ...(await listed(ctx, breached, now))]
      : [ctx.t('overdue.none')];
    if (atRisk.length) {
      lines.push(
        ctx.t('overdue.at_risk', { count: atRisk.length, percent: ctx.desk.sla.view.atRiskPercent }),
        ...(await listed(ctx, atRisk, now)),
      );
    }
    if (breached.length || atRisk.length) {
      lines.push(ctx.t('overdue.engineers', { list: await sla.digest.perEngineer(overview, ctx.locale) }));
    }
    // Breaches and per-engineer load are internal: in a customer's group only the asker sees them.
    ctx.reply(lines.join('\n'), { private: ctx.place.kind === 'customer' });
  },
});

async function listed(ctx: CommandContext, tickets: readonly Ticket[], now: number): Promise<string[]> {
  const lines: string[] = [];
  for (const t of tickets) {
    const assignee = t.assigneeId ? (await ctx.desk.store.getPerson(t.assigneeId))?.name : undefined;
    lines.push(
      ctx.format.line(ctx.locale, t, now, { customer: true, staff: true, ...(assignee ? { assignee } : {}) }),
    );
  }
  return lines;
}
