import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand } from './types';

export const bindCommand = defineCommand({
  name: 'bind',
  aliases: { 'zh-CN': ['绑定'] },
  audience: ['manager'],
  places: ['unbound', 'customer', 'staff', 'manager', 'community'],
  params: [{ name: 'target', kind: 'word', required: true }],
  schema: z.object({ target: z.string().min(1).max(40) }),
  async run(ctx, args) {
    const { message } = ctx;
    if (message.chatKind !== 'group') throw new UserError('bind.group_only');
    const group = await ctx.desk.directory.bindGroup(
      message.platform,
      message.chatId,
      args.target,
      message.chatTitle,
    );
    const what =
      group.kind === 'customer'
        ? ((await ctx.desk.store.getCustomer(group.customerId!))?.name ?? group.customerId!)
        : ctx.t(`place.${group.kind}`);
    ctx.reply(ctx.t('bind.done', { what }));
  },
});
