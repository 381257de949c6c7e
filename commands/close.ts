import { z } from 'zod';
import { defineCommand } from './types';

export const closeCommand = defineCommand({
  name: 'close',
  aliases: { 'zh-CN': ['关闭'] },
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'staff', 'manager', 'direct'],
  params: [{ name: 'ticket', kind: 'ticket', required: true }],
  schema: z.object({ ticket: z.number().int().positive() }),
  async run(ctx, args) {
    const ticket = await ctx.visibleTicket(args.ticket);
    await ctx.desk.tickets.close(ticket, ctx.me());
    ctx.reply(ctx.t('ticket.closed', { ticket: ticket.number }));
  },
});
