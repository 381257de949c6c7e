import { z } from 'zod';
import { defineCommand } from './types';

export const autoCommand = defineCommand({
  name: 'auto',
  aliases: { 'zh-CN': ['自动'] },
  audience: ['manager'],
  places: ['customer'],
  params: [{ name: 'mode', kind: 'choice', required: true, choices: ['on', 'off'], keywords: 'mode' }],
  schema: z.object({ mode: z.enum(['on', 'off']) }),
  async run(ctx, args) {
    await ctx.desk.directory.setAutoMode(ctx.place.group!, args.mode === 'on');
    ctx.reply(ctx.t(args.mode === 'on' ? 'auto.on' : 'auto.off'));
  },
});
