/**
 * Plain (non-command) messages. In a customer group: follow-ups attach to their ticket
 * (thread, quote, `#N`, or — where tickets have no thread — the requester's recent
 * ticket), a message that addresses the bot opens a ticket (every top-level message in
 * auto mode), pleasantries never do; a staff message that names `#N` or mentions a
 * requester is a public reply.
 */
import type { Person, Ticket } from '../core/model';
import { parseScore } from '../core/survey';
import { excerptOf, hasWords, isGreeting, isPleasantry } from '../core/text';
import {
  activeTicketOf,
  burstOf,
  destinationOf,
  followUp as followUpOnDesk,
  freeChannels,
  referencedTicket,
  staffMessage,
  within,
} from '../desk/intake';
import { isStaff } from '../desk/roles';
import { adoptSpeaker } from './context';
import { openTicket, sourceKeyOf } from './intake';
import { answeredSurvey } from './survey';
import type { ChatDoor, Turn } from './turn';

/** Buttons on "which waiting ticket?", and how much of the answer they carry (Slack takes 2,000). */
const WHICH_BUTTONS = 5;
const WHICH_ANSWER_MAX = 1_000;

export async function handlePlainMessage(router: ChatDoor, turn: Turn): Promise<void> {
  const { message, place } = turn;
  switch (place.kind) {
    case 'customer':
      return isStaff(turn.speaker.role) ? staffInCustomerGroup(router, turn) : customerInGroup(router, turn);
    case 'community':
      if (message.addressed)
        router.reply(turn, router.t(turn.locale, 'community.pointer', freeChannels(router.desk)));
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
  // Emoji or punctuation alone, not a thank-you: chatter unless addressed, then a question back.
  const wordless = !pleasantry && !hasWords(text);
  // 👍 may be a survey's answer: it goes on while a survey could be waiting for it.
  if ((pleasantry || wordless) && !message.addressed && parseScore(text) === undefined) return;
  const existing = await referencedTicket(desk, place, message);
  if (turn.speaker.role === 'unknown') {
    if (!existing && !message.addressed && !place.group?.autoMode) return; // chatter, not a request
    router.adopt(turn, await adoptSpeaker(desk.directory, message, place, turn.speaker));
  }
  const person = turn.speaker.person;
  if (!person) {
    if (message.addressed) router.reply(turn, router.t(turn.locale, 'customer.not_member'));
    return;
  }
  if (await answeredSurvey(router, turn, person, existing)) return;
  // The requester's open ticket in this chat, read at most once, only when a rule needs it.
  let found: Promise<Ticket | undefined> | undefined;
  const active = () => {
    found ??= activeTicketOf(desk, person, message);
    return found;
  };
  const { mergeMs } = desk.settings;
  const merged =
    existing || !message.addressed || mergeMs <= 0 || pleasantry
      ? undefined
      : burstOf(desk, sourceKeyOf(message), await active(), text);
  // A plain message that names no ticket: the ticket waiting on this requester, the one they
  // wrote on lately, a resolved one to reopen, or an answer saying what happened to it.
  const plain =
    existing || merged || message.addressed || pleasantry
      ? undefined
      : await destinationOf(desk, person, message, await active());
  if (plain?.kind === 'which') {
    const numbers = plain.tickets.map((t) => `#${t.number}`).join(router.t(turn.locale, 'list.separator'));
    // One button per waiting ticket sends the same answer again, starting with its number.
    const answer = excerptOf(text, WHICH_ANSWER_MAX);
    router.reply(
      turn,
      router.t(turn.locale, 'ticket.which_waiting', { tickets: numbers, first: plain.tickets[0]!.number }),
      {
        buttons: plain.tickets.slice(0, WHICH_BUTTONS).map((t) => ({
          label: router.t(turn.locale, 'button.answer_ticket', { ticket: t.number }),
          command: `#${t.number} ${answer}`,
        })),
      },
    );
    return;
  }
  if (plain?.kind === 'ended') {
    const old = plain.ticket.number;
    const command = router.t(turn.locale, 'ticket.new_after_command', {
      ticket: old,
      text: excerptOf(text, 200),
    });
    router.reply(turn, router.t(turn.locale, 'ticket.ended_plain', { ticket: old, command }), {
      buttons: [{ label: router.t(turn.locale, 'button.new_ticket'), command }],
    });
    return;
  }
  const ticket = existing ?? merged ?? plain?.ticket;
  if (ticket) {
    await followUp(router, turn, person, ticket);
    // A burst, or a plain message long after the requester last wrote on it: say where it went.
    const late =
      plain?.kind === 'ticket' &&
      ticket.status !== 'resolved' &&
      !within(desk, ticket, desk.settings.followUpMs);
    if (merged || late) router.reply(turn, router.t(turn.locale, 'ticket.merged', { ticket: ticket.number }));
    return;
  }
  if (!text && message.addressed) {
    router.reply(turn, router.t(turn.locale, 'ticket.empty'));
    return;
  }
  if (message.addressed && (wordless || isGreeting(text))) {
    // "@bot 在吗", "@bot 🔥🔥💥": ask for the problem (or point at the ticket already open), open nothing.
    const open = await active();
    router.reply(
      turn,
      open
        ? router.t(turn.locale, 'ticket.greeting_open', { ticket: open.number })
        : router.t(turn.locale, wordless ? 'ticket.no_words' : 'ticket.empty'),
    );
    return;
  }
  if (pleasantry) return;
  if (!message.addressed && !place.group?.autoMode) return;
  await openTicket(router, turn, person, text, undefined);
}

async function followUp(router: ChatDoor, turn: Turn, person: Person, ticket: Ticket): Promise<void> {
  const { message } = turn;
  const done = await followUpOnDesk(router.desk, ticket, person, message);
  if (done.tellAssignee) turn.after.push(done.tellAssignee);
  if (done.reopened) router.reply(turn, router.t(turn.locale, 'ticket.reopened', { ticket: ticket.number }));
}

async function staffInCustomerGroup(router: ChatDoor, turn: Turn): Promise<void> {
  const { message } = turn;
  const staff = turn.speaker.person!;
  let ticket = await referencedTicket(router.desk, turn.place, message);
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
    // A pointer to /help for the engineer, not a line in the customer's group.
    if (message.addressed) router.reply(turn, router.t(turn.locale, 'help.pointer'), { private: true });
    return;
  }
  await staffMessage(router.desk, ticket, staff, message);
}
