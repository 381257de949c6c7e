import { z } from 'zod';
import { CATEGORIES } from '../src/core/model';
import { defineCommand } from './types';

export const ticketCommand = defineCommand({
  name: 'ticket',
  aliases: { en: ['ask'], 'zh-CN': ['提问', '工单'] },
  audience: ['subscriber'],
  places: ['customer'],
  params: [
    { name: 'category', kind: 'choice', required: false, choices: CATEGORIES, keywords: 'category' },
    { name: 'text', kind: 'text', required: true },
  ],
  schema: z.object({ category: z.enum(CATEGORIES).optional(), text: z.string().min(1) }),
  async run(ctx, args) {
    await ctx.openTicket(args.text, args.category);
  },
});
