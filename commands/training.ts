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
  },
});
