import { z } from 'zod';
import { UserError } from '../src/core/errors';
import type { Ticket } from '../src/core/model';
import { type CommandContext, defineCommand, STAFF_PLACES } from './types';

/**
 * Records `text` as the speaker's public reply to `ticket` and relays it to the customer's
 * group: the one path of /reply and /macro, so delivery, history and the SLA clock are the same.
 */
export async function sendReply(ctx: CommandContext, ticket: Ticket, text: string): Promise<void> {
  const me = ctx.me();
  if (ticket.status === 'closed') throw new UserError('ticket.is_closed', { ticket: ticket.number });
  const replied = await ctx.desk.tickets.staffReply(ticket, me, text);
  // "Delivered" only once the platform accepted it; otherwise the outbox keeps it and retries.
  const delivery = await ctx.desk.notifier.relayReply(
    ticket,
    (locale) => ctx.tIn(locale, 'customer.reply', { ticket: ticket.number, name: me.name, text }),
    me.id,
    replied.updatedAt,
  );
  const key = { sent: 'reply.sent', queued: 'reply.queued', failed: 'reply.recorded_not_delivered' }[
    delivery
  ];
  ctx.reply(ctx.t(key, { ticket: ticket.number, platform: ctx.t(`platform.${ticket.platform}`) }), {
    private: ctx.place.kind === 'customer',
  });
}

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
    const ticket = await ctx.visibleTicket(args.ticket);
    await sendReply(ctx, ticket, args.text);
  },
});
