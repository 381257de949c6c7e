import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

export const claimCommand = defineCommand({
  name: 'claim',
  aliases: { 'zh-CN': ['认领'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [{ name: 'ticket', kind: 'ticket', required: true }],
  schema: z.object({ ticket: z.number().int().positive() }),
  async run(ctx, args) {
    const me = ctx.me();
    const ticket = await ctx.desk.tickets.claim(await ctx.visibleTicket(args.ticket), me);
    ctx.reply(ctx.t('ticket.claimed', { ticket: ticket.number, name: me.name }));
    if (ctx.place.kind !== 'customer') {
      await ctx.desk.notifier.toTicketGroup(ticket, (locale) =>
        ctx.tIn(locale, 'customer.claimed', { ticket: ticket.number, name: me.name }),
      );
    }
  },
});
