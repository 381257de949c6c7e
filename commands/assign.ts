import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { isStaff } from '../src/desk/roles';
import { defineCommand, STAFF_PLACES } from './types';

const user = z.object({ id: z.string().min(1), name: z.string().optional() });

export const assignCommand = defineCommand({
  name: 'assign',
  aliases: { 'zh-CN': ['指派', '转交'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'who', kind: 'user', required: true },
  ],
  schema: z.object({ ticket: z.number().int().positive(), who: user }),
  async run(ctx, args) {
    const assignee = await ctx.personFor({
      id: args.who.id,
      ...(args.who.name ? { name: args.who.name } : {}),
    });
    if (!isStaff(assignee.role)) throw new UserError('assign.not_staff', { name: assignee.name });
    const ticket = await ctx.desk.tickets.assignTo(await ctx.visibleTicket(args.ticket), ctx.me(), assignee);
    ctx.reply(ctx.t('ticket.assigned', { ticket: ticket.number, name: assignee.name }));
    if (assignee.id !== ctx.me().id) {
      await ctx.desk.notifier.toPerson(assignee, (locale) =>
        ctx.tIn(locale, 'dm.assigned', { ticket: ticket.number, subject: ticket.subject, by: ctx.me().name }),
      );
    }
  },
});
