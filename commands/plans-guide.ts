import type { CommandContext } from './types';

/** For someone without a plan: where free help is, and what each paid plan gives. */
export function plansGuide(ctx: CommandContext): string[] {
  const { plans } = ctx.desk;
  const sep = ctx.t('list.separator');
  return [
    ctx.t('help.free_channels', plans.catalog.freeChannels),
    ctx.t('help.plans_header'),
    ...plans.catalog.plans
      .filter((plan) => plan.firstResponseHours !== null)
      .map((plan) =>
        ctx.t('help.plan_line', {
          plan: plan.name[ctx.locale],
          hours: plan.firstResponseHours ?? 0,
          covers: plan.categories.map((c) => ctx.t(`category.${c}`)).join(sep),
        }),
      ),
  ];
}
