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
    const ticket = await ctx.desk.tickets.setPriority(
      await ctx.visibleTicket(args.ticket),
      ctx.me(),
      args.level,
    );
    ctx.reply(ctx.t('ticket.priority_set', { ticket: ticket.number, level: args.level.toUpperCase() }));
  },
});
