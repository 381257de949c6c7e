import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { isStaff } from '../src/desk/roles';
import { plansGuide } from './plans-guide';
import { defineCommand } from './types';

export const planCommand = defineCommand({
  name: 'plan',
  aliases: { 'zh-CN': ['套餐', '服务'] },
  // Everyone: someone without a plan learns what the plans are instead of meeting a refusal.
  audience: ['everyone'],
  places: ['customer', 'direct', 'community'],
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const customerId = ctx.place.customerId;
    if (!customerId) {
      if (isStaff(ctx.speaker.role))
        throw new UserError('refuse.place', { command: ctx.command, places: ctx.t('place.customer') });
      ctx.reply(plansGuide(ctx).join('\n'));
      return;
    }
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
