import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand } from './types';

export const statusCommand = defineCommand({
  name: 'status',
  aliases: { 'zh-CN': ['状态', '进度'] },
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'staff', 'manager', 'direct'],
  params: [{ name: 'ticket', kind: 'ticket', required: false }],
  schema: z.object({ ticket: z.number().int().positive().optional() }),
  async run(ctx, args) {
    const { store, clock } = ctx.desk;
    const now = clock.now();
    if (args.ticket === undefined) {
      if (ctx.speaker.role !== 'subscriber')
        throw new UserError('cmd.bad_args', { usage: ctx.t('cmd.status.usage') });
      const tickets = await store.queryTickets({
        customerId: ctx.place.customerId!,
        requesterId: ctx.me().id,
        statuses: ['open', 'claimed', 'waiting_on_customer'],
      });
      ctx.reply(
        tickets.length
          ? [ctx.t('status.your_open'), ...tickets.map((t) => ctx.format.line(ctx.locale, t, now))].join('\n')
          : ctx.t('status.none_open'),
      );
      return;
    }
    const ticket = await ctx.visibleTicket(args.ticket);
    const assignee = ticket.assigneeId ? await store.getPerson(ticket.assigneeId) : undefined;
    const events = await store.listEvents(ticket.number);
    const lines = [
      ctx.format.line(ctx.locale, ticket, now, {
        ...(ctx.place.customerId ? {} : { customer: true }),
        // In a customer group the customer reads it too: their wording there.
        staff: ctx.speaker.role !== 'subscriber' && !ctx.place.customerId,
      }),
      ctx.t('status.detail', {
        opened: ctx.format.time(ticket.createdAt),
        assignee: assignee?.name ?? ctx.t('status.unassigned'),
        messages: events.filter((e) => e.kind === 'customer_message' || e.kind === 'staff_reply').length,
      }),
    ];
    ctx.reply(lines.join('\n'));
  },
});
