import { z } from 'zod';
import type { Ticket } from '../src/core/model';
import { defineCommand, STAFF_PLACES } from './types';

const DAY_MS = 86_400_000;

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
      limit: 500,
      ...scope,
    });
    const withTarget = tickets.filter((t) => t.dueAt !== undefined);
    const met = withTarget.filter((t) => t.firstResponseAt !== undefined && t.firstResponseAt <= t.dueAt!);
    const breached = withTarget.filter((t) => (t.firstResponseAt ?? now) > t.dueAt!);
    const responseTimes = tickets.flatMap((t) =>
      t.firstResponseAt !== undefined ? [t.firstResponseAt - t.createdAt] : [],
    );
    const open = await store.queryTickets({
      statuses: ['open', 'claimed', 'waiting_on_customer'],
      limit: 500,
      ...scope,
    });
    const lines = [
      ctx.t('report.header', { days: args.days }),
      ctx.t('report.volume', {
        opened: tickets.length,
        resolved: tickets.filter((t) => t.resolvedAt !== undefined).length,
      }),
      ctx.t('report.compliance', {
        percent: withTarget.length ? Math.round((met.length / withTarget.length) * 100) : 100,
        met: met.length,
        total: withTarget.length,
        breached: breached.length,
      }),
      ctx.t('report.first_response', {
        median: responseTimes.length ? ctx.format.duration(ctx.locale, percentile(responseTimes, 0.5)) : '-',
        p90: responseTimes.length ? ctx.format.duration(ctx.locale, percentile(responseTimes, 0.9)) : '-',
      }),
      ctx.t('report.load_header'),
      ...(await loadLines(ctx, open)),
    ];
    if (tickets.length === 500) lines.push(ctx.t('report.truncated', { limit: 500 }));
    ctx.reply(lines.join('\n'));
  },
});

async function loadLines(
  ctx: Parameters<typeof reportCommand.run>[0],
  open: readonly Ticket[],
): Promise<string[]> {
  const byAssignee = new Map<string, number>();
  for (const t of open) byAssignee.set(t.assigneeId ?? '', (byAssignee.get(t.assigneeId ?? '') ?? 0) + 1);
  const lines: string[] = [];
  for (const [id, count] of [...byAssignee].sort((a, b) => b[1] - a[1])) {
    const name = id ? ((await ctx.desk.store.getPerson(id))?.name ?? '?') : ctx.t('status.unassigned');
    lines.push(`  ${name}: ${count}`);
  }
  return lines.length ? lines : [`  ${ctx.t('queue.empty')}`];
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
