import { z } from 'zod';
import { defineCommand } from './types';

export const noteCommand = defineCommand({
  name: 'note',
  aliases: { 'zh-CN': ['备注'] },
  audience: ['engineer'],
  // Never in a customer group: the customer would read the command itself.
  places: ['staff', 'manager', 'direct'],
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'text', kind: 'text', required: true },
  ],
  schema: z.object({ ticket: z.number().int().positive(), text: z.string().min(1) }),
  async run(ctx, args) {
    const ticket = await ctx.visibleTicket(args.ticket);
    await ctx.desk.tickets.note(ticket, ctx.me(), args.text);
    ctx.reply(ctx.t('note.added', { ticket: ticket.number }));
  },
});
