import { z } from 'zod';
import { UserError } from '../src/core/errors';
import type { Ticket } from '../src/core/model';
import { type CommandContext, defineCommand } from './types';

/** `/training cancel #1002` (`kw.training.cancel`): the rest of the text after the keyword. */
const CANCEL = /^(\S+)\s+#?(\d{1,9})\s*$/u;

export const trainingCommand = defineCommand({
  name: 'training',
  aliases: { 'zh-CN': ['培训'] },
  audience: ['subscriber'],
  places: ['customer'],
  entitlement: 'training',
  params: [{ name: 'text', kind: 'text', required: false }],
  schema: z.object({ text: z.string().optional() }),
  async run(ctx, args) {
    const cancel = CANCEL.exec(args.text?.trim() ?? '');
    if (cancel && ctx.isKeyword('training', 'cancel', cancel[1]!))
      return cancelBooking(ctx, Number(cancel[2]));
    await ctx.openTicket(args.text || ctx.t('training.default_subject'), 'training');
    // What is left of the quota, and until when: the booking used one.
    const balance = await balanceOf(ctx);
    if (balance) ctx.reply(ctx.t('training.balance', balance.facts));
  },
});

async function balanceOf(ctx: CommandContext) {
  const customerId = ctx.place.customerId;
  if (customerId === undefined) return undefined;
  const { plan, subscription } = await ctx.desk.directory.effectivePlan(customerId);
  if (!subscription) return undefined;
  const facts = {
    left: Math.max(plan.trainingSessions - subscription.trainingUsed, 0),
    quota: plan.trainingSessions,
    end: ctx.format.date(subscription.endsAt),
  };
  return { subscription, facts };
}

/**
 * Closes a training booking that has not taken place and gives its session back, when it was
 * booked in the current subscription period. Closing first means two cancellations of one
 * booking cannot both give a session back: the second finds it closed.
 */
async function cancelBooking(ctx: CommandContext, number: number): Promise<void> {
  const ticket: Ticket = await ctx.visibleTicket(number);
  if (ticket.category !== 'training') throw new UserError('training.not_booking', { ticket: ticket.number });
  if (!ctx.desk.tickets.isActive(ticket)) {
    throw new UserError('training.cancel_ended', {
      ticket: ticket.number,
      status: ctx.t(`state.${ticket.status}`),
    });
  }
  await ctx.desk.tickets.close(ticket, ctx.me());
  const sub = (await balanceOf(ctx))?.subscription;
  const after =
    sub && ticket.createdAt >= sub.startsAt && (await ctx.desk.store.releaseTraining(sub.id))
      ? await balanceOf(ctx)
      : undefined;
  if (after) ctx.reply(ctx.t('training.cancelled', { ticket: ticket.number, ...after.facts }));
  else ctx.reply(ctx.t('training.cancelled_earlier', { ticket: ticket.number }));
  const customer = await ctx.desk.store.getCustomer(ticket.customerId);
  const facts = { ticket: ticket.number, customer: customer?.name ?? ticket.customerId, name: ctx.me().name };
  await ctx.desk.notifier.toStaffAndAssignee(ticket, (l) => ctx.tIn(l, 'staff.training.cancelled', facts));
}
