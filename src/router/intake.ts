/**
 * The chat door's side of opening a ticket (from `/ticket` or a message that addresses the
 * bot): the desk opens it (src/desk/intake.ts); this acknowledges it to the requester in
 * their language, opens the thread, and queues the staff announcement after the reply.
 */

import type { InboundMessage } from '../core/chat';
import { UserError } from '../core/errors';
import type { Locale } from '../core/i18n';
import type { Category, Person, Ticket } from '../core/model';
import { openTicket as openOnDesk } from '../desk/intake';
import type { ChatDoor, Turn } from './turn';

/** The ticket a message opens is keyed by the message: handling it again finds that ticket. */
export function sourceKeyOf(message: InboundMessage): string {
  return `${message.platform}:${message.account ?? ''}:${message.chatId}:${message.messageId}`;
}

export async function openTicket(
  router: ChatDoor,
  turn: Turn,
  person: Person,
  text: string,
  category: Category | undefined,
): Promise<Ticket> {
  const { desk } = router;
  const { message, place } = turn;
  if (!place.customerId)
    throw new UserError('refuse.place', {
      command: 'ticket',
      places: router.t(turn.locale, 'place.customer'),
    });
  const opened = await openOnDesk(desk, {
    customerId: place.customerId,
    requester: person,
    source: {
      platform: message.platform,
      chatId: message.chatId,
      messageId: message.messageId,
      ...(message.threadId ? { threadId: message.threadId } : {}),
      key: sourceKeyOf(message),
    },
    text,
    category,
    locale: turn.locale,
  });
  const { ticket, plan, hours, grace, due } = opened;
  const reader = turn.locale;
  router.reply(
    turn,
    router.t(reader, ticket.priority === 'p1' ? 'ticket.opened_priority' : 'ticket.opened', {
      ticket: ticket.number,
      plan: plan.name[reader],
      hours,
      due,
    }) +
      (grace ? `\n${router.t(reader, 'plan.grace_notice', { end: desk.format.date(grace.endsAt) })}` : '') +
      docsFor(router, reader, text),
    // The outbox makes the acknowledgement's thread the ticket's thread once it is sent (src/outbox/sender.ts).
    { startThread: !message.threadId, after: { kind: 'ticket-thread', ticketNumber: ticket.number } },
  );
  if (opened.created) turn.after.push(opened.announce);
  return ticket;
}

/** The vendor's documentation links for this question (config/knowledge), in the reader's language. */
function docsFor(router: ChatDoor, reader: Locale, text: string): string {
  const links = router.desk.knowledge?.linksFor(text, reader) ?? [];
  if (links.length === 0) return '';
  const lines = links.map((l) => router.t(reader, 'knowledge.link', { title: l.title, url: l.url }));
  return `\n${router.t(reader, 'knowledge.header')}\n${lines.join('\n')}`;
}
