import { z } from 'zod';
import { defineCommand } from './types';

export const trainingCommand = defineCommand({
  name: 'training',
  aliases: { 'zh-CN': ['培训'] },
  audience: ['subscriber'],
  places: ['customer'],
  entitlement: 'training',
  params: [{ name: 'text', kind: 'text', required: false }],
  schema: z.object({ text: z.string().optional() }),
  async run(ctx, args) {
    await ctx.openTicket(args.text || ctx.t('training.default_subject'), 'training');
    // What is left of the quota, and until when: the booking used one.
    const customerId = ctx.place.customerId;
    if (customerId === undefined) return;
    const { plan, subscription } = await ctx.desk.directory.effectivePlan(customerId);
    if (!subscription) return;
    ctx.reply(
      ctx.t('training.balance', {
        left: Math.max(plan.trainingSessions - subscription.trainingUsed, 0),
        quota: plan.trainingSessions,
        end: ctx.format.date(subscription.endsAt),
      }),
    );
  },
});
