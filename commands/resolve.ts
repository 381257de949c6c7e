import { z } from 'zod';
import type { Locale } from '../src/core/i18n';
import { sendSurvey } from '../src/desk/survey';
import { defineCommand, STAFF_PLACES } from './types';

export const resolveCommand = defineCommand({
  name: 'resolve',
  aliases: { 'zh-CN': ['解决'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'summary', kind: 'text', required: false },
  ],
  schema: z.object({ ticket: z.number().int().positive(), summary: z.string().optional() }),
  async run(ctx, args) {
    const me = ctx.me();
    const current = await ctx.visibleTicket(args.ticket);
    const ticket = await ctx.desk.tickets.resolve(
      current,
      me,
      args.summary,
      ctx.desk.plans.get(current.plan),
    );
    ctx.reply(ctx.t('ticket.resolved', { ticket: ticket.number }));
    // Worded for the customer group (or the requester), not for the engineer who resolved it.
    const text = (locale: Locale) =>
      args.summary
        ? ctx.tIn(locale, 'customer.resolved_summary', {
            ticket: ticket.number,
            name: me.name,
            summary: args.summary,
          })
        : ctx.tIn(locale, 'customer.resolved', { ticket: ticket.number, name: me.name });
    if (ctx.place.kind !== 'customer' || args.summary) await ctx.desk.notifier.toTicketGroup(ticket, text);
    // The requester is asked how the help was, once, after the news that it is resolved.
    await sendSurvey(ctx.desk, ticket);
  },
});
