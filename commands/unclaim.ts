import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand, STAFF_PLACES } from './types';

export const unclaimCommand = defineCommand({
  name: 'unclaim',
  aliases: { 'zh-CN': ['放弃', '取消认领'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [{ name: 'ticket', kind: 'ticket', required: true }],
  schema: z.object({ ticket: z.number().int().positive() }),
  async run(ctx, args) {
    const me = ctx.me();
    const ticket = await ctx.visibleTicket(args.ticket);
    // Engineers give up their own tickets; managers may release anyone's.
    if (ticket.assigneeId && ticket.assigneeId !== me.id && ctx.speaker.role === 'engineer') {
      throw new UserError('ticket.not_yours', { ticket: ticket.number });
    }
    await ctx.desk.tickets.unclaim(ticket, me);
    ctx.reply(ctx.t('ticket.unclaimed', { ticket: ticket.number }));
  },
});
