import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

export const overdueCommand = defineCommand({
  name: 'overdue',
  aliases: { 'zh-CN': ['超时'] },
  audience: ['manager'],
  places: STAFF_PLACES,
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const { store, clock } = ctx.desk;
    const now = clock.now();
    const tickets = await store.queryTickets({
      dueBefore: now,
      statuses: ['open', 'claimed'],
      ...(ctx.place.customerId ? { customerId: ctx.place.customerId } : {}),
      limit: 100,
    });
    if (!tickets.length) return ctx.reply(ctx.t('overdue.none'));
    ctx.reply(
      [
        ctx.t('overdue.header', { count: tickets.length }),
        ...tickets.map((t) => ctx.format.line(ctx.locale, t, now, { customer: true })),
      ].join('\n'),
    );
  },
});
