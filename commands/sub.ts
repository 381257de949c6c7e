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
    const { directory, plans } = ctx.desk;
    const before = await directory.effectivePlan(args.customer).catch(() => undefined);
    const current = before?.subscription && !before.inGrace ? before : undefined;
    if (args.action === 'add' && current && plans.named(args.value)) {
      // A second subscription beside a running one changed nothing anyone could see.
      throw new UserError('sub.already', {
        customer: args.customer,
        plan: current.plan.name[ctx.locale],
        end: ctx.format.date(current.subscription!.endsAt),
        command: ctx.command,
      });
    }
    const sub = await withPlanNames(ctx, async () =>
      args.action === 'add'
        ? await directory.addSubscription(args.customer, args.value, args.months ?? 12)
        : args.action === 'extend'
          ? await directory.extendSubscription(args.customer, monthsOf(args.value))
          : await directory.changePlan(args.customer, args.value),
    );
    const plan = plans.get(sub.plan)!;
    const from = before?.subscription ? plans.get(before.subscription.plan) : undefined;
    const facts = (locale: typeof ctx.locale) => ({
      customer: sub.customerId,
      plan: plan.name[locale],
      from: from ? from.name[locale] : '',
      end: ctx.format.date(sub.endsAt),
    });
    const key =
      args.action === 'plan' && from && from.id !== plan.id
        ? 'sub.plan_changed'
        : args.action === 'extend'
          ? 'sub.extended'
          : 'sub.done';
    ctx.reply(ctx.t(key, facts(ctx.locale)));
    // The customer hears of a new period or plan in their own group, in its language.
    await ctx.desk.notifier.toCustomer(sub.customerId, (locale) => ({
      text: ctx.tIn(locale, `${key}.customer`, facts(locale)),
    }));
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
