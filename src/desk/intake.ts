/**
 * Intake, for every door: opening a ticket (plan checks, the training quota, the durable
 * write, the staff announcement), finding the ticket a customer's message belongs to
 * (explicit reference, a burst, a follow-up within the window), and the follow-up itself
 * (reopen or resume, the staff and the assignee told). Results and typed refusals
 * (UserError), never chat text for the actor: the door words its own answer.
 */
import { UserError } from '../core/errors';
import type { Locale } from '../core/i18n';
import type { Category, Person, Subscription, Ticket } from '../core/model';
import type { Plan } from '../core/plans';
import { excerptOf, hasWords, suggestCategory, ticketRefs } from '../core/text';
import { similarResolved } from './similar';
import type { DeskServices } from './types';
import { isVisible, type Scope } from './visibility';

/** How much of the request the staff announcement quotes (the ticket keeps all of it). */
const ANNOUNCED_CHARS = 300;
/** How much of a follow-up the assignee's direct message quotes (/history shows the same). */
const FOLLOWUP_CHARS = 300;

/** Where a request came from: a chat message (a web request will name its own). */
export interface Source {
  readonly platform: Ticket['platform'];
  readonly chatId: string;
  readonly messageId: string;
  readonly threadId?: string;
  /** Handling the same source again finds the ticket it opened. */
  readonly key: string;
}

export interface OpenRequest {
  readonly customerId: string;
  readonly requester: Person;
  readonly source: Source;
  readonly text: string;
  /** Undefined: the category the text suggests where the plan covers it, else consultation. */
  readonly category: Category | undefined;
  /** The requester's language, for the wording of a refusal's plan and category names. */
  readonly locale: Locale;
}

export interface Opened {
  readonly ticket: Ticket;
  /** False when the source had opened it already (a retry or a redelivery). */
  readonly created: boolean;
  readonly plan: Plan;
  /** The plan's first-response target in hours. */
  readonly hours: number;
  /** The subscription has ended and the grace period is running until its `endsAt` + grace. */
  readonly grace?: Subscription;
  /** The first-response deadline, formatted for the deployment's time zone ('' without one). */
  readonly due: string;
  /** The staff announcement: run it after the requester's acknowledgement. */
  readonly announce: () => Promise<unknown>;
}

export async function openTicket(desk: DeskServices, req: OpenRequest): Promise<Opened> {
  // No letter or digit (emoji alone, invisible characters): no subject anyone could read.
  if (!hasWords(req.text)) throw new UserError(req.text.trim() ? 'ticket.no_words' : 'ticket.empty');
  const effective = await desk.directory.effectivePlan(req.customerId);
  const { plan } = effective;
  const hours = plan.firstResponseHours;
  if (hours === null) throw new UserError('plan.expired_or_none', { ...freeChannels(desk) });
  const suggested = req.category === undefined ? suggestCategory(req.text) : undefined;
  // A suggestion never refuses: words the plan does not cover open a consultation.
  const category =
    req.category ?? (suggested && desk.plans.covers(plan, suggested) ? suggested : 'consultation');
  if (!desk.plans.covers(plan, category)) throw notCovered(desk, req.locale, category, plan.id);
  if (category === 'training') {
    // Training is a counted quota per subscription period.
    const sub = effective.subscription!;
    if (!(await desk.store.consumeTraining(sub.id, plan.trainingSessions))) {
      throw new UserError('training.quota_used', { quota: plan.trainingSessions });
    }
  }
  const { source } = req;
  const { ticket, created } = await desk.tickets.open({
    customerId: req.customerId,
    requester: req.requester,
    plan,
    platform: source.platform,
    chatId: source.chatId,
    ...(source.threadId ? { threadId: source.threadId } : {}),
    sourceKey: source.key,
    text: req.text,
    category,
  });
  await desk.store.linkMessage({
    platform: source.platform,
    chatId: source.chatId,
    messageId: source.messageId,
    ticketNumber: ticket.number,
  });
  const due = ticket.dueAt !== undefined ? desk.format.time(ticket.dueAt) : '';
  return {
    ticket,
    created,
    plan,
    hours,
    ...(effective.inGrace && effective.subscription ? { grace: effective.subscription } : {}),
    due,
    announce: created ? () => announce(desk, ticket, req.requester, plan, req.text, due) : async () => 0,
  };
}

/** The new-ticket card for every staff channel, each in its own language. */
async function announce(
  desk: DeskServices,
  ticket: Ticket,
  requester: Person,
  plan: Plan,
  text: string,
  due: string,
): Promise<number> {
  const t = desk.translator.t.bind(desk.translator);
  const customer = await desk.store.getCustomer(ticket.customerId);
  // The request itself, links included (a screenshot's link is what staff open first).
  const request = excerptOf(text, ANNOUNCED_CHARS);
  // Staff channels only: past answers of any customer, never shown in a customer's group.
  const similar = await similarResolved(desk, ticket, text);
  return desk.notifier.toGroups('staff', (locale) => {
    const suggestions = similar.map((s) => t(locale, 'staff.similar_line', { ...s, ticket: s.number }));
    const facts = {
      ticket: ticket.number,
      customer: customer?.name ?? ticket.customerId,
      plan: plan.name[locale],
      category: t(locale, `category.${ticket.category}`),
      priority: ticket.priority.toUpperCase(),
      due: due || t(locale, 'deadline.none'),
      subject: request,
      requester: requester.name,
    };
    const card = {
      title: t(locale, 'card.title', facts),
      description: facts.subject,
      fields: (['customer', 'plan', 'category', 'priority', 'due', 'requester'] as const).map((k) => ({
        name: t(locale, `card.${k}`),
        value: String(facts[k]),
      })),
      footer: t(locale, 'card.footer', facts),
    };
    if (suggestions.length)
      card.fields.push({ name: t(locale, 'card.similar'), value: suggestions.join('\n') });
    const similarText = suggestions.length
      ? `\n${t(locale, 'staff.similar_header')}\n${suggestions.join('\n')}`
      : '';
    return {
      text: t(locale, 'staff.new_ticket', facts) + similarText,
      buttons: [
        // The command as the channel's readers type it (a text platform shows it beside the label).
        { label: t(locale, 'button.claim'), command: t(locale, 'button.claim_command', facts) },
        { label: t(locale, 'button.resolve'), command: t(locale, 'button.resolve_command', facts) },
      ],
      card,
    };
  });
}

/** The refusal for a category the plan does not cover, naming the cheapest plan that would. */
export function notCovered(desk: DeskServices, locale: Locale, category: string, planId: string): UserError {
  const { plans, translator } = desk;
  const cheapest = plans.cheapestWith(category as never);
  const current = plans.get(planId);
  return new UserError(cheapest ? 'plan.not_covered' : 'plan.not_offered', {
    category: translator.t(locale, `category.${category}`),
    plan: current ? current.name[locale] : planId,
    needed: cheapest ? cheapest.name[locale] : '',
  });
}

/** The free channels a community user is pointed to (the plan catalogue's). */
export function freeChannels(desk: DeskServices): Record<string, string> {
  return { ...desk.plans.catalog.freeChannels };
}

// --- which ticket a customer's message belongs to ----------------------------------------

/** What a message says about where it belongs: its thread, the message it quotes, its text. */
export interface MessageFacts {
  readonly platform: Ticket['platform'];
  readonly chatId: string;
  readonly threadId?: string;
  readonly quotedMessageId?: string;
  readonly quotedText?: string;
  readonly text: string;
}

/** The ticket a message explicitly belongs to: its thread, the message it quotes (or that one's `#N`), or a `#N` in scope. */
export async function referencedTicket(
  desk: DeskServices,
  scope: Scope,
  message: MessageFacts,
): Promise<Ticket | undefined> {
  const { store } = desk;
  const mine = (t: Ticket | undefined) => (isVisible(scope, t) && t.status !== 'closed' ? t : undefined);
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

/** `ticket` when the requester's last message on it came within `windowMs`. */
export function within(desk: DeskServices, ticket: Ticket | undefined, windowMs: number): Ticket | undefined {
  return ticket && desk.clock.now() - ticket.lastCustomerAt <= windowMs ? ticket : undefined;
}

/**
 * Where tickets have no thread, the requester's open ticket when their previous message on
 * it came within `mergeMs` (GROUPDESK_MERGE_SECONDS): "@bot the build fails", "@bot on
 * Node 20", "@bot please help" is one problem told in three messages, not three tickets.
 */
export function burstOf(
  desk: DeskServices,
  sourceKey: string,
  ticket: Ticket | undefined,
  text: string,
): Ticket | undefined {
  const latest = within(desk, ticket, desk.settings.mergeMs);
  // This very message opened it (a retry after an outage cut its handling short): not a burst.
  if (latest === undefined || latest.sourceKey === sourceKey) return undefined;
  // A different kind of problem (a security report after an upgrade question) is its own ticket.
  const suggested = suggestCategory(text);
  return suggested !== undefined && suggested !== latest.category ? undefined : latest;
}

/** The requester's latest ticket in this chat, while it is active and has no thread. */
export async function activeTicketOf(
  desk: DeskServices,
  person: Person,
  where: { platform: Ticket['platform']; chatId: string },
): Promise<Ticket | undefined> {
  const latest = await desk.store.latestTicketOf(person.id, where.platform, where.chatId);
  if (!latest || !desk.tickets.isActive(latest)) return undefined;
  // Where the platform gave the ticket a thread (Slack, Discord), the thread is the ticket:
  // its follow-ups arrive there, and a message outside it is not one by timing alone.
  return latest.threadId === undefined ? latest : undefined;
}

/** How long after a ticket ended a plain message from its requester is taken to be about it. */
export const ENDED_ANSWER_MS = 30 * 86_400_000;

/**
 * Where a customer's plain message (not addressed to the bot, no thread, quote or `#N`)
 * belongs, so that no reply is lost: the one ticket waiting on this requester (after
 * /wait), or a question when several wait; their open ticket within the follow-up window;
 * a resolved ticket within the reopen window (the follow-up reopens it);
 * or, for a ticket that ended (closed, or resolved past the window) within
 * ENDED_ANSWER_MS, an answer saying so. Undefined: chatter, unrelated to any ticket.
 */
export type Destination =
  | { readonly kind: 'ticket'; readonly ticket: Ticket }
  | { readonly kind: 'which'; readonly tickets: readonly Ticket[] }
  | { readonly kind: 'ended'; readonly ticket: Ticket };

export async function destinationOf(
  desk: DeskServices,
  person: Person,
  where: { platform: Ticket['platform']; chatId: string },
  active: Ticket | undefined,
): Promise<Destination | undefined> {
  const here = async (statuses: readonly Ticket['status'][]) =>
    (await desk.store.queryTickets({ requesterId: person.id, statuses, limit: 100 })).filter(
      (t) => t.platform === where.platform && t.chatId === where.chatId,
    );
  const waiting = (await here(['waiting_on_customer'])).sort((a, b) => a.number - b.number);
  if (waiting.length === 1) return { kind: 'ticket', ticket: waiting[0]! };
  if (waiting.length > 1) return { kind: 'which', tickets: waiting };
  // Their open ticket when they wrote on it within the follow-up window; later, or where the
  // ticket has a thread (Slack, Discord: the thread is the ticket), a plain message is chatter
  // among colleagues: the engineer is working on it, and `#N` or a quote still attaches.
  if (active)
    return within(desk, active, desk.settings.followUpMs) ? { kind: 'ticket', ticket: active } : undefined;
  // Read only when no open ticket took the message: the ended ones (and threaded open ones).
  const mine = await here(['open', 'claimed', 'resolved', 'closed']);
  if (mine.some((t) => desk.tickets.isActive(t))) return undefined;
  const now = desk.clock.now();
  const endOf = (t: Ticket) => t.closedAt ?? t.resolvedAt ?? t.updatedAt;
  const ended = mine.sort((a, b) => endOf(b) - endOf(a) || b.number - a.number)[0];
  if (!ended || now - endOf(ended) > ENDED_ANSWER_MS) return undefined;
  const reopens =
    ended.status === 'resolved' &&
    ended.resolvedAt !== undefined &&
    now - ended.resolvedAt <= desk.settings.reopenMs;
  return reopens ? { kind: 'ticket', ticket: ended } : { kind: 'ended', ticket: ended };
}

// --- follow-ups --------------------------------------------------------------------------

export interface FollowedUp {
  readonly ticket: Ticket;
  /** The message reopened a resolved ticket. */
  readonly reopened: boolean;
  /** Tell the assignee (by direct message): run it after the customer's turn is done. */
  readonly tellAssignee?: () => Promise<unknown>;
}

/** A customer's message on their ticket: recorded, linked, reopening or resuming it; the staff told. */
export async function followUp(
  desk: DeskServices,
  ticket: Ticket,
  person: Person,
  message: { platform: Ticket['platform']; chatId: string; messageId: string; text: string },
): Promise<FollowedUp> {
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
  if (updated.status !== ticket.status) {
    const key = ticket.status === 'resolved' ? 'ticket.reopened' : 'ticket.resumed';
    // Each staff channel reads it in its own language, whatever the customer's.
    await desk.notifier.toGroups('staff', (locale) => ({
      text: desk.translator.t(locale, `staff.${key}`, {
        ticket: ticket.number,
        customer: ticket.customerId,
        subject: ticket.subject,
      }),
    }));
  }
  const tell = assigneeNotice(desk, person, updated, message.text);
  return {
    ticket: updated,
    reopened: ticket.status === 'resolved' && updated.status !== ticket.status,
    ...(tell ? { tellAssignee: tell } : {}),
  };
}

/**
 * A follow-up reaches its ticket without a word in the customer group; the engineer who
 * holds the ticket hears of it by direct message (the log, the screenshot's link).
 * Unclaimed tickets: the staff read them in /history.
 */
function assigneeNotice(
  desk: DeskServices,
  person: Person,
  ticket: Ticket,
  text: string,
): (() => Promise<unknown>) | undefined {
  const { assigneeId } = ticket;
  if (!assigneeId || assigneeId === person.id || !desk.tickets.isActive(ticket)) return undefined;
  return async () => {
    const assignee = await desk.store.getPerson(assigneeId);
    if (!assignee) return;
    await desk.notifier.toPerson(assignee, (locale) =>
      desk.translator.t(locale, 'dm.followup', {
        ticket: ticket.number,
        name: person.name,
        text: excerptOf(text, FOLLOWUP_CHARS),
      }),
    );
  };
}

/** A staff member's message in a customer group that names a ticket: a public reply, linked. */
export async function staffMessage(
  desk: DeskServices,
  ticket: Ticket,
  staff: Person,
  message: { platform: Ticket['platform']; chatId: string; messageId: string; text: string },
): Promise<void> {
  await desk.tickets.staffReply(ticket, staff, message.text);
  await desk.store.linkMessage({
    platform: message.platform,
    chatId: message.chatId,
    messageId: message.messageId,
    ticketNumber: ticket.number,
  });
}
