import { z } from 'zod';
import { defineCommand } from './types';

export const mineCommand = defineCommand({
  name: 'mine',
  aliases: { 'zh-CN': ['我的'] },
  audience: ['subscriber', 'engineer'],
  places: ['customer', 'staff', 'manager', 'direct'],
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const me = ctx.me();
    const statuses = ['open', 'claimed', 'waiting_on_customer'] as const;
    const tickets =
      ctx.speaker.role === 'subscriber'
        ? await ctx.desk.store.queryTickets({
            customerId: ctx.place.customerId!,
            requesterId: me.id,
            statuses,
          })
        : await ctx.desk.store.queryTickets({
            assigneeId: me.id,
            statuses,
            ...(ctx.place.customerId ? { customerId: ctx.place.customerId } : {}),
          });
    const now = ctx.desk.clock.now();
    const staff = ctx.speaker.role !== 'subscriber';
    ctx.reply(
      tickets.length
        ? [
            ctx.t('mine.header', { count: tickets.length }),
            ...tickets.map((t) =>
              ctx.format.line(ctx.locale, t, now, { customer: staff && !ctx.place.customerId, staff }),
            ),
          ].join('\n')
        : ctx.t('mine.none'),
    );
  },
});
