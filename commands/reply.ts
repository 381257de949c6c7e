import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand, STAFF_PLACES } from './types';

export const replyCommand = defineCommand({
  name: 'reply',
  aliases: { 'zh-CN': ['回复'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'text', kind: 'text', required: true },
  ],
  schema: z.object({ ticket: z.number().int().positive(), text: z.string().min(1) }),
  async run(ctx, args) {
    const me = ctx.me();
    const ticket = await ctx.visibleTicket(args.ticket);
    if (ticket.status === 'closed') throw new UserError('ticket.is_closed', { ticket: ticket.number });
    await ctx.desk.tickets.staffReply(ticket, me, args.text);
    const delivered = await ctx.desk.notifier.toTicketGroup(ticket, (locale) =>
      ctx.tIn(locale, 'customer.reply', { ticket: ticket.number, name: me.name, text: args.text }),
    );
    ctx.reply(ctx.t(delivered ? 'reply.sent' : 'reply.recorded_not_delivered', { ticket: ticket.number }), {
      private: ctx.place.kind === 'customer',
    });
  },
});
