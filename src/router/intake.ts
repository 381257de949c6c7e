/**
 * Opening a ticket, whether from `/ticket` or a message that addresses the bot: plan
 * checks, the durable write, the acknowledgement to the requester and the announcement
 * to every staff channel.
 */

import type { InboundMessage, SentMessage } from '../core/chat';
import { UserError } from '../core/errors';
import type { Category, Person, Ticket } from '../core/model';
import { excerptOf } from '../core/text';
import type { ChatDoor, Turn } from './turn';

/** How much of the request the staff announcement quotes (the ticket keeps all of it). */
const ANNOUNCED_CHARS = 300;

/** The ticket a message opens is keyed by the message: handling it again finds that ticket. */
export function sourceKeyOf(message: InboundMessage): string {
  return `${message.platform}:${message.account ?? ''}:${message.chatId}:${message.messageId}`;
}

export async function openTicket(
  router: ChatDoor,
  turn: Turn,
  person: Person,
  text: string,
  category: Category,
): Promise<Ticket> {
  const { desk } = router;
  const { message, place } = turn;
  if (!place.customerId)
    throw new UserError('refuse.place', {
      command: 'ticket',
      places: router.t(turn.locale, 'place.customer'),
    });
  if (!text.trim()) throw new UserError('ticket.empty');
  const effective = await desk.directory.effectivePlan(place.customerId);
  const { plan } = effective;
  if (plan.firstResponseHours === null) {
    throw new UserError('plan.expired_or_none', { ...router.freeChannels() });
  }
  if (!desk.plans.covers(plan, category)) throw router.notCovered(turn.locale, category, plan.id);
  if (category === 'training') {
    // Training is a counted quota per subscription period.
    const sub = effective.subscription!;
    if (!(await desk.store.consumeTraining(sub.id, plan.trainingSessions))) {
      throw new UserError('training.quota_used', { quota: plan.trainingSessions });
    }
  }
  const { ticket, created } = await desk.tickets.open({
    customerId: place.customerId,
    requester: person,
    plan,
    platform: message.platform,
    chatId: message.chatId,
    ...(message.threadId ? { threadId: message.threadId } : {}),
    sourceKey: sourceKeyOf(message),
    text,
    category,
  });
  await desk.store.linkMessage({
    platform: message.platform,
    chatId: message.chatId,
    messageId: message.messageId,
    ticketNumber: ticket.number,
  });
  const fmt = router.format;
  const reader = turn.locale;
  const due = ticket.dueAt !== undefined ? fmt.time(ticket.dueAt) : '';
  router.reply(
    turn,
    router.t(reader, ticket.priority === 'p1' ? 'ticket.opened_priority' : 'ticket.opened', {
      ticket: ticket.number,
      plan: plan.name[reader],
      hours: plan.firstResponseHours,
      due,
    }) +
      (effective.inGrace
        ? `\n${router.t(reader, 'plan.grace_notice', { end: fmt.date(effective.subscription!.endsAt) })}`
        : ''),
    { startThread: !message.threadId, onSent: (sent) => rememberThread(router, ticket, sent) },
  );
  if (created) {
    const customer = await desk.store.getCustomer(ticket.customerId);
    // Staff channels read the announcement in their own language, not the customer's.
    // The request itself, links included (a screenshot's link is what staff open first).
    const request = excerptOf(text, ANNOUNCED_CHARS);
    const announce = () =>
      desk.notifier.toGroups('staff', (locale) => {
        const facts = {
          ticket: ticket.number,
          customer: customer?.name ?? ticket.customerId,
          plan: plan.name[locale],
          category: router.t(locale, `category.${ticket.category}`),
          priority: ticket.priority.toUpperCase(),
          due: due || router.t(locale, 'deadline.none'),
          subject: request,
          requester: person.name,
        };
        const card = {
          title: router.t(locale, 'card.title', facts),
          description: facts.subject,
          fields: (['customer', 'plan', 'category', 'priority', 'due', 'requester'] as const).map((k) => ({
            name: router.t(locale, `card.${k}`),
            value: String(facts[k]),
          })),
          footer: router.t(locale, 'card.footer', facts),
        };
        return {
          text: router.t(locale, 'staff.new_ticket', facts),
          buttons: [
            { label: router.t(locale, 'button.claim'), command: `/claim #${ticket.number}` },
            { label: router.t(locale, 'button.resolve'), command: `/resolve #${ticket.number}` },
          ],
          card,
        };
      });
    turn.after.push(announce);
  }
  return ticket;
}

/** The acknowledgement's thread becomes the ticket's thread; a quote of the acknowledgement is a follow-up. */
async function rememberThread(router: ChatDoor, ticket: Ticket, sent: SentMessage): Promise<void> {
  const { store } = router.desk;
  if (sent.messageId) {
    await store.linkMessage({
      platform: ticket.platform,
      chatId: ticket.chatId,
      messageId: sent.messageId,
      ticketNumber: ticket.number,
    });
  }
  if (sent.threadId && !ticket.threadId) {
    await store.updateTicket(
      ticket.number,
      ticket.version,
      { threadId: sent.threadId, updatedAt: router.desk.clock.now() },
      [],
    );
  }
}
