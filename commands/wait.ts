import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

/**
 * `/wait #N [question]`: the ticket waits on the customer and its clock pauses; the
 * question, if any, goes to the customer's group as the engineer's reply (the customer's
 * answer resumes the clock).
 */
export const waitCommand = defineCommand({
  name: 'wait',
  aliases: { 'zh-CN': ['等待'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'question', kind: 'text', required: false },
  ],
  schema: z.object({ ticket: z.number().int().positive(), question: z.string().optional() }),
  async run(ctx, args) {
    const me = ctx.me();
    const ticket = await ctx.desk.tickets.waitOnCustomer(
      await ctx.visibleTicket(args.ticket),
      me,
      args.question,
    );
    ctx.reply(ctx.t('ticket.waiting', { ticket: ticket.number }));
    if (!args.question) return;
    const delivered = await ctx.desk.notifier.toTicketGroup(ticket, (locale) =>
      ctx.tIn(locale, 'customer.question', { ticket: ticket.number, name: me.name, text: args.question! }),
    );
    // For the engineer alone, as /reply's: the customer's group need not read about our delivery.
    if (!delivered)
      ctx.reply(ctx.t('reply.recorded_not_delivered', { ticket: ticket.number }), {
        private: ctx.place.kind === 'customer',
      });
  },
});
