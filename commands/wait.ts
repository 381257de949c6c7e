import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

export const waitCommand = defineCommand({
  name: 'wait',
  aliases: { 'zh-CN': ['等待'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [{ name: 'ticket', kind: 'ticket', required: true }],
  schema: z.object({ ticket: z.number().int().positive() }),
  async run(ctx, args) {
    const ticket = await ctx.desk.tickets.waitOnCustomer(await ctx.visibleTicket(args.ticket), ctx.me());
    ctx.reply(ctx.t('ticket.waiting', { ticket: ticket.number }));
  },
});
