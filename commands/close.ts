import { z } from 'zod';
import { isStaff } from '../src/desk/roles';
import { defineCommand } from './types';

export const closeCommand = defineCommand({
  name: 'close',
  aliases: { 'zh-CN': ['关闭'] },
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'staff', 'manager', 'direct'],
  params: [{ name: 'ticket', kind: 'ticket', required: true }],
  schema: z.object({ ticket: z.number().int().positive() }),
  async run(ctx, args) {
    const ticket = await ctx.visibleTicket(args.ticket);
    await ctx.desk.tickets.close(ticket, ctx.me());
    if (isStaff(ctx.speaker.role)) {
      ctx.reply(ctx.t('ticket.closed_by_staff', { ticket: ticket.number }));
      return;
    }
    ctx.reply(ctx.t('ticket.closed', { ticket: ticket.number }));
    // The customer closed it: the staff channels (each in its language) and the assignee hear of it.
    const customer = await ctx.desk.store.getCustomer(ticket.customerId);
    const facts = {
      ticket: ticket.number,
      customer: customer?.name ?? ticket.customerId,
      name: ctx.me().name,
    };
    await ctx.desk.notifier.toStaffAndAssignee(ticket, (l) =>
      ctx.tIn(l, 'staff.ticket.closed_by_customer', facts),
    );
  },
});
