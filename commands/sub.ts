import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

export const subCommand = defineCommand({
  name: 'sub',
  aliases: { 'zh-CN': ['订阅'] },
  audience: ['manager'],
  places: STAFF_PLACES.filter((p) => p !== 'customer'),
  params: [
    {
      name: 'action',
      kind: 'choice',
      required: true,
      choices: ['add', 'extend', 'plan'],
      keywords: 'action',
    },
    { name: 'customer', kind: 'word', required: true },
    { name: 'value', kind: 'word', required: true },
    { name: 'months', kind: 'number', required: false },
  ],
  schema: z.object({
    action: z.enum(['add', 'extend', 'plan']),
    customer: z.string().min(1),
    value: z.string().min(1),
    months: z.number().int().positive().optional(),
  }),
  async run(ctx, args) {
    const { directory } = ctx.desk;
    const sub = await withPlanNames(ctx, async () =>
      args.action === 'add'
        ? await directory.addSubscription(args.customer, args.value, args.months ?? 12)
        : args.action === 'extend'
          ? await directory.extendSubscription(args.customer, monthsOf(args.value))
          : await directory.changePlan(args.customer, args.value),
    );
    const plan = ctx.desk.plans.get(sub.plan)!;
    ctx.reply(
      ctx.t('sub.done', {
        customer: sub.customerId,
        plan: plan.name[ctx.locale],
        end: ctx.format.date(sub.endsAt),
      }),
    );
  },
});

/** "No such plan" lists the plans by their names in the reader's language, not by id. */
async function withPlanNames<T>(ctx: CommandContext, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UserError) || error.key !== 'plan.unknown') throw error;
    const plans = ctx.desk.plans.catalog.plans
      .filter((p) => p.firstResponseHours !== null)
      .map((p) => p.name[ctx.locale])
      .join(ctx.t('list.separator'));
    throw new UserError('plan.unknown', { ...error.params, plans });
  }
}

function monthsOf(value: string): number {
  const months = Number(value);
  if (!Number.isInteger(months)) throw new UserError('sub.bad_months', { months: value });
  return months;
}
