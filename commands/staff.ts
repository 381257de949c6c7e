import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand, STAFF_PLACES } from './types';

export const staffCommand = defineCommand({
  name: 'staff',
  aliases: { 'zh-CN': ['员工'] },
  audience: ['manager'],
  places: STAFF_PLACES.filter((p) => p !== 'customer'),
  params: [
    { name: 'action', kind: 'choice', required: true, choices: ['add', 'remove'], keywords: 'action' },
    { name: 'who', kind: 'user', required: true },
    { name: 'role', kind: 'choice', required: false, choices: ['engineer', 'manager'], keywords: 'role' },
  ],
  schema: z.discriminatedUnion('action', [
    z.object({
      action: z.literal('add'),
      who: z.object({ id: z.string().min(1), name: z.string().optional() }),
      role: z.enum(['engineer', 'manager']),
    }),
    z.object({
      action: z.literal('remove'),
      who: z.object({ id: z.string().min(1), name: z.string().optional() }),
      role: z.string().optional(),
    }),
  ]),
  async run(ctx, args) {
    const { directory } = ctx.desk;
    const platform = ctx.message.platform;
    if (args.action === 'add') {
      const person = await directory.setStaff(platform, args.who.id, args.role, args.who.name);
      ctx.reply(ctx.t('staff.added', { name: person.name, role: ctx.t(`audience.${args.role}`) }));
    } else {
      const target = await ctx.desk.store.findPersonByIdentity(platform, args.who.id);
      // Nobody removes themselves (the desk must keep a manager) or someone of a higher rank.
      if (
        target &&
        (target.id === ctx.me().id || (target.role === 'admin' && ctx.speaker.role !== 'admin'))
      ) {
        throw new UserError('staff.cannot_remove', { name: target.name });
      }
      const person = await directory.removeStaff(platform, args.who.id);
      ctx.reply(ctx.t('staff.removed', { name: person.name }));
    }
  },
});
