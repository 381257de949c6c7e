import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

/**
 * `/customer add acme ACME Corp`: a manager creates a customer from chat (the CLI's
 * `customer add`), then `/sub add` and `/bind` in its group finish the set-up.
 */
export const customerCommand = defineCommand({
  name: 'customer',
  aliases: { 'zh-CN': ['客户'] },
  audience: ['manager'],
  places: STAFF_PLACES.filter((p) => p !== 'customer'),
  params: [
    { name: 'action', kind: 'choice', required: true, choices: ['add'], keywords: 'action' },
    { name: 'customer', kind: 'word', required: true },
    { name: 'text', kind: 'text', required: false },
  ],
  schema: z.object({
    action: z.literal('add'),
    customer: z.string().min(1).max(40),
    text: z.string().max(120).optional(),
  }),
  async run(ctx, args) {
    const customer = await ctx.desk.directory.addCustomer(args.customer, args.text);
    ctx.reply(ctx.t('customer.added', { id: customer.id, name: customer.name, command: ctx.command }));
  },
});
