import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand } from './types';

export const planCommand = defineCommand({
  name: 'plan',
  aliases: { 'zh-CN': ['套餐', '服务'] },
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'direct'],
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const customerId = ctx.place.customerId;
    if (!customerId)
      throw new UserError('refuse.place', { command: ctx.command, places: ctx.t('place.customer') });
    const { plan, subscription, inGrace } = await ctx.desk.directory.effectivePlan(customerId);
    if (!subscription) {
      ctx.reply(ctx.t('plan.community_summary', ctx.desk.plans.catalog.freeChannels));
      return;
    }
    const covered = plan.categories.map((c) => ctx.t(`category.${c}`)).join(ctx.t('list.separator'));
    const lines = [
      ctx.t('plan.summary', {
        plan: plan.name[ctx.locale],
        end: ctx.format.date(subscription.endsAt),
        hours: plan.firstResponseHours ?? '-',
      }),
      ctx.t('plan.covers', { list: covered }),
      ...(plan.priorityResponse ? [ctx.t('plan.priority')] : []),
      ...(plan.trainingSessions > 0
        ? [
            ctx.t('plan.training_left', {
              left: Math.max(0, plan.trainingSessions - subscription.trainingUsed),
              quota: plan.trainingSessions,
            }),
          ]
        : []),
      ...(inGrace ? [ctx.t('plan.grace_notice', { end: ctx.format.date(subscription.endsAt) })] : []),
    ];
    ctx.reply(lines.join('\n'));
  },
});
