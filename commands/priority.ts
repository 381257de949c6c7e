import { z } from 'zod';
import { PRIORITIES } from '../src/core/model';
import { defineCommand, STAFF_PLACES } from './types';

export const priorityCommand = defineCommand({
  name: 'priority',
  aliases: { 'zh-CN': ['优先级'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'level', kind: 'choice', required: true, choices: PRIORITIES, keywords: 'level' },
  ],
  schema: z.object({ ticket: z.number().int().positive(), level: z.enum(PRIORITIES) }),
  async run(ctx, args) {
    const current = await ctx.visibleTicket(args.ticket);
    // The plan the ticket was opened under: its windows per priority move the deadlines.
    const ticket = await ctx.desk.tickets.setPriority(
      current,
      ctx.me(),
      args.level,
      ctx.desk.plans.get(current.plan),
    );
    ctx.reply(ctx.t('ticket.priority_set', { ticket: ticket.number, level: args.level.toUpperCase() }));
  },
});
