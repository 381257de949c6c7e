import { z } from 'zod';
import { defineCommand, STAFF_PLACES } from './types';

export const queueCommand = defineCommand({
  name: 'queue',
  aliases: { 'zh-CN': ['队列'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [],
  schema: z.object({}),
  async run(ctx) {
    const { store, clock } = ctx.desk;
    const tickets = await store.queryTickets({
      // Open, claimed and waiting, the promise that breaks first on top, whichever it is.
      order: 'deadline',
      ...(ctx.place.customerId ? { customerId: ctx.place.customerId } : {}),
      limit: 30,
    });
    if (!tickets.length) return ctx.reply(ctx.t('queue.empty'));
    const now = clock.now();
    const names = new Map<string, string>();
    for (const id of new Set(tickets.flatMap((t) => (t.assigneeId ? [t.assigneeId] : [])))) {
      names.set(id, (await store.getPerson(id))?.name ?? '?');
    }
    const lines = tickets.map((t) =>
      ctx.format.line(ctx.locale, t, now, {
        customer: !ctx.place.customerId,
        staff: true,
        ...(t.assigneeId ? { assignee: names.get(t.assigneeId)! } : {}),
      }),
    );
    ctx.reply([ctx.t('queue.header', { count: tickets.length }), ...lines].join('\n'));
  },
});
