import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { defineCommand, STAFF_PLACES } from './types';

export const replyCommand = defineCommand({
  name: 'reply',
  aliases: { 'zh-CN': ['回复'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'text', kind: 'text', required: true },
  ],
  schema: z.object({ ticket: z.number().int().positive(), text: z.string().min(1) }),
  async run(ctx, args) {
    const me = ctx.me();
    const ticket = await ctx.visibleTicket(args.ticket);
    if (ticket.status === 'closed') throw new UserError('ticket.is_closed', { ticket: ticket.number });
    const replied = await ctx.desk.tickets.staffReply(ticket, me, args.text);
    // "Delivered" only once the platform accepted it; otherwise the outbox keeps it and retries.
    const delivery = await ctx.desk.notifier.relayReply(
      ticket,
      (locale) =>
        ctx.tIn(locale, 'customer.reply', { ticket: ticket.number, name: me.name, text: args.text }),
      me.id,
      replied.updatedAt,
    );
    const key = { sent: 'reply.sent', queued: 'reply.queued', failed: 'reply.recorded_not_delivered' }[
      delivery
    ];
    ctx.reply(ctx.t(key, { ticket: ticket.number, platform: ctx.t(`platform.${ticket.platform}`) }), {
      private: ctx.place.kind === 'customer',
    });
  },
});
