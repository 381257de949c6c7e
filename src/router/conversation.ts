/**
 * Plain (non-command) messages. In a customer group: follow-ups attach to their ticket
 * (thread, quote, `#N`, or — where tickets have no thread — the requester's recent
 * ticket), a message that addresses the bot opens a ticket (every top-level message in
 * auto mode), pleasantries never do; a staff message that names `#N` or mentions a
 * requester is a public reply.
 */
import type { InboundMessage } from '../core/chat';
import type { Person, Ticket } from '../core/model';
import { excerptOf, isGreeting, isPleasantry, ticketRefs } from '../core/text';
import { adoptSpeaker, isStaff } from './context';
import { openTicket, sourceKeyOf } from './intake';
import type { ChatDoor, Turn } from './turn';

export async function handlePlainMessage(router: ChatDoor, turn: Turn): Promise<void> {
  const { message, place } = turn;
  switch (place.kind) {
    case 'customer':
      return isStaff(turn.speaker.role) ? staffInCustomerGroup(router, turn) : customerInGroup(router, turn);
    case 'community':
      if (message.addressed)
        router.reply(turn, router.t(turn.locale, 'community.pointer', router.freeChannels()));
      return;
    case 'unbound':
      if (message.addressed) router.reply(turn, router.t(turn.locale, 'group.unbound'));
      return;
    case 'direct':
      if (message.text)
        router.reply(
          turn,
          router.t(turn.locale, isStaff(turn.speaker.role) ? 'help.pointer' : 'direct.pointer'),
        );
      return;
    default:
      if (message.addressed) router.reply(turn, router.t(turn.locale, 'help.pointer'));
  }
}

async function customerInGroup(router: ChatDoor, turn: Turn): Promise<void> {
  const { message, place } = turn;
  const { desk } = router;
  const text = message.text;
  const pleasantry = isPleasantry(text);
  if (pleasantry && !message.addressed) return;
  const existing = await referencedTicket(router, turn);
  if (turn.speaker.role === 'unknown') {
    if (!existing && !message.addressed && !place.group?.autoMode) return; // chatter, not a request
    router.adopt(turn, await adoptSpeaker(desk.directory, message, place));
  }
  const person = turn.speaker.person;
  if (!person) {
    if (message.addressed) router.reply(turn, router.t(turn.locale, 'customer.not_member'));
    return;
  }
  // The requester's open ticket in this chat, read at most once, only when a rule needs it.
  let found: Promise<Ticket | undefined> | undefined;
  const active = () => {
    found ??= activeTicketOf(router, person, message);
    return found;
  };
  const { mergeMs, followUpMs } = desk.settings;
  const merged =
    existing || !message.addressed || mergeMs <= 0 ? undefined : burstOf(router, message, await active());
  const ticket =
    existing ?? merged ?? (message.addressed ? undefined : within(router, await active(), followUpMs));
  if (ticket) {
    await followUp(router, turn, person, ticket);
    if (merged) router.reply(turn, router.t(turn.locale, 'ticket.merged', { ticket: ticket.number }));
    return;
  }
  if (!text && message.addressed) {
    router.reply(turn, router.t(turn.locale, 'ticket.empty'));
    return;
  }
  if (message.addressed && isGreeting(text)) {
    // "@bot 在吗": ask for the problem (or point at the ticket already open), open nothing.
    const open = await active();
    router.reply(
      turn,
      open
        ? router.t(turn.locale, 'ticket.greeting_open', { ticket: open.number })
        : router.t(turn.locale, 'ticket.empty'),
    );
    return;
  }
  if (pleasantry) return;
  if (!message.addressed && !place.group?.autoMode) return;
  await openTicket(router, turn, person, text, 'consultation');
}

async function followUp(router: ChatDoor, turn: Turn, person: Person, ticket: Ticket): Promise<void> {
  const { desk } = router;
  const { message } = turn;
  const { plan } = await desk.directory.effectivePlan(ticket.customerId);
  const updated = await desk.tickets.customerMessage(
    ticket,
    person,
    message.text,
    plan,
    desk.settings.reopenMs,
  );
  await desk.store.linkMessage({
    platform: message.platform,
    chatId: message.chatId,
    messageId: message.messageId,
    ticketNumber: ticket.number,
  });
  tellAssignee(router, turn, person, updated);
  if (updated.status !== ticket.status) {
    const key = ticket.status === 'resolved' ? 'ticket.reopened' : 'ticket.resumed';
    if (ticket.status === 'resolved')
      router.reply(turn, router.t(turn.locale, 'ticket.reopened', { ticket: ticket.number }));
    // Each staff channel reads it in its own language, whatever the customer's.
    await desk.notifier.toGroups('staff', (locale) => ({
      text: router.t(locale, `staff.${key}`, {
        ticket: ticket.number,
        customer: ticket.customerId,
        subject: ticket.subject,
      }),
    }));
  }
}

/**
 * A follow-up reaches its ticket without a word in the customer group; the engineer who
 * holds the ticket hears of it by direct message (the log, the screenshot's link), after
 * the customer's turn is done. Unclaimed tickets: the staff read them in /history.
 */
function tellAssignee(router: ChatDoor, turn: Turn, person: Person, ticket: Ticket): void {
  const { assigneeId } = ticket;
  if (!assigneeId || assigneeId === person.id || !router.desk.tickets.isActive(ticket)) return;
  turn.after.push(async () => {
    const assignee = await router.desk.store.getPerson(assigneeId);
    if (!assignee) return;
    await router.desk.notifier.toPerson(assignee, (locale) =>
      router.t(locale, 'dm.followup', {
        ticket: ticket.number,
        name: person.name,
        text: excerptOf(turn.message.text, FOLLOWUP_CHARS),
      }),
    );
  });
}

/** How much of a follow-up the assignee's direct message quotes (/history shows the same). */
const FOLLOWUP_CHARS = 300;

async function staffInCustomerGroup(router: ChatDoor, turn: Turn): Promise<void> {
  const { message } = turn;
  const staff = turn.speaker.person!;
  let ticket = await referencedTicket(router, turn);
  if (!ticket) {
    for (const mention of message.mentions) {
      const requester = await router.desk.store.findPersonByIdentity(message.platform, mention.id);
      if (!requester) continue;
      const latest = await router.desk.store.latestTicketOf(requester.id, message.platform, message.chatId);
      if (latest && router.desk.tickets.isActive(latest)) {
        ticket = latest;
        break;
      }
    }
  }
  if (!ticket || !router.desk.tickets.isActive(ticket)) {
    if (message.addressed) router.reply(turn, router.t(turn.locale, 'help.pointer'));
    return;
  }
  await router.desk.tickets.staffReply(ticket, staff, message.text);
  await router.desk.store.linkMessage({
    platform: message.platform,
    chatId: message.chatId,
    messageId: message.messageId,
    ticketNumber: ticket.number,
  });
}

/** The ticket a message explicitly belongs to: its thread, the message it quotes (or that one's `#N`), or a `#N` of this customer. */
async function referencedTicket(router: ChatDoor, turn: Turn): Promise<Ticket | undefined> {
  const { store } = router.desk;
  const { message, place } = turn;
  const mine = (t: Ticket | undefined) =>
    t && t.customerId === place.customerId && t.status !== 'closed' ? t : undefined;
  if (message.threadId) {
    const t = mine(await store.findTicketByThread(message.platform, message.chatId, message.threadId));
    if (t) return t;
  }
  if (message.quotedMessageId) {
    const t = mine(
      await store.findTicketByMessage(message.platform, message.chatId, message.quotedMessageId),
    );
    if (t) return t;
  }
  // A quote's `#N` (the bot's acknowledgement or a relayed answer) before the text's own.
  for (const number of [...ticketRefs(message.quotedText ?? ''), ...ticketRefs(message.text)]) {
    const t = mine(await store.getTicket(number));
    if (t) return t;
  }
  return undefined;
}

/**
 * Where tickets have no thread, the requester's open ticket when their previous message on
 * it came within `mergeMs` (GROUPDESK_MERGE_SECONDS): "@bot the build fails", "@bot on
 * Node 20", "@bot please help" is one problem told in three messages, not three tickets.
 */
function burstOf(router: ChatDoor, message: InboundMessage, ticket: Ticket | undefined): Ticket | undefined {
  const latest = within(router, ticket, router.desk.settings.mergeMs);
  // This very message opened it (a retry after an outage cut its handling short): not a burst.
  return latest?.sourceKey === sourceKeyOf(message) ? undefined : latest;
}

/** `ticket` when the requester's last message on it came within `windowMs`. */
function within(router: ChatDoor, ticket: Ticket | undefined, windowMs: number): Ticket | undefined {
  return ticket && router.desk.clock.now() - ticket.lastCustomerAt <= windowMs ? ticket : undefined;
}

/** The requester's latest ticket in this chat, while it is active and has no thread. */
async function activeTicketOf(
  router: ChatDoor,
  person: Person,
  message: InboundMessage,
): Promise<Ticket | undefined> {
  const { desk } = router;
  const latest = await desk.store.latestTicketOf(person.id, message.platform, message.chatId);
  if (!latest || !desk.tickets.isActive(latest)) return undefined;
  // Where the platform gave the ticket a thread (Slack, Discord), the thread is the ticket:
  // its follow-ups arrive there, and a message outside it is not one by timing alone.
  return latest.threadId === undefined ? latest : undefined;
}
