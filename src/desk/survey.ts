/**
 * The satisfaction survey, for every door: put to the requester once after /resolve (not
 * for a ticket the customer closed, nor a requester who is not a subscriber), a score, then
 * maybe a comment. The rules over the history are src/core/survey.ts; here: who is asked,
 * which ticket a bare "5" answers, and the refusals (UserError) a door words itself.
 */
import { UserError } from '../core/errors';
import type { Person, Ticket } from '../core/model';
import { COMMENT_MS, SCORES, type Score, type SurveyPhase, surveyOf, surveyPhase } from '../core/survey';
import { excerptOf } from '../core/text';
import type { DeskServices } from './types';

/** How much of a comment the assignee's direct message quotes (/history shows all of it). */
const COMMENT_CHARS = 300;
const MAX_COMMENT = 2_000;

/**
 * Asks the requester how the help was, once per ticket, right after it was resolved.
 * Returns false when no survey applies (or one was sent before).
 */
export async function sendSurvey(desk: DeskServices, ticket: Ticket): Promise<boolean> {
  const { store } = desk;
  const requester = await store.getPerson(ticket.requesterId);
  const group = await store.getGroup(ticket.platform, ticket.chatId);
  // Community users and visitors have no plan to rate; only a customer's own group is asked.
  if (requester?.role !== 'subscriber' || group?.kind !== 'customer') return false;
  let sentAt = 0;
  try {
    await desk.tickets.appendChecked(ticket, (t, history, now) => {
      if (t.status !== 'resolved' || surveyOf(history)) throw new UserError('survey.none');
      sentAt = now;
      return [{ at: now, kind: 'survey_sent', actorId: 'system' }];
    });
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
  const until = desk.format.time(sentAt + desk.settings.reopenMs);
  const t = desk.translator.t.bind(desk.translator);
  await desk.notifier.askRequester(ticket, (locale) => ({
    text: t(locale, 'survey.ask', { ticket: ticket.number, until }),
    buttons: SCORES.map((score) => ({
      label: t(locale, `survey.button.${score}`),
      command: t(locale, 'survey.button_command', { ticket: ticket.number, score }),
    })),
  }));
  return true;
}

/** Records the requester's score; refuses one sent twice, too late, or where no survey was sent. */
export async function rate(
  desk: DeskServices,
  ticket: Ticket,
  person: Person,
  score: Score,
  sent: string,
): Promise<Ticket> {
  return desk.tickets.appendChecked(ticket, (t, history, now) => {
    const state = surveyOf(history);
    const phase = surveyPhase(state, now, desk.settings.reopenMs);
    if (t.requesterId !== person.id || phase === 'none')
      throw new UserError('survey.none', { ticket: t.number });
    if (phase === 'expired') throw new UserError('survey.expired', { ticket: t.number });
    if (state?.rating) throw new UserError('survey.twice', { ticket: t.number, score: state.rating.score });
    return [{ at: now, kind: 'rating', actorId: person.id, to: String(score), text: sent.trim() }];
  });
}

/** Records the comment that follows a score (within COMMENT_MS of it, once). */
export async function comment(
  desk: DeskServices,
  ticket: Ticket,
  person: Person,
  text: string,
): Promise<Ticket> {
  const body = text.trim();
  if (!body) throw new UserError('survey.comment_empty');
  if (body.length > MAX_COMMENT) throw new UserError('survey.comment_long', { max: MAX_COMMENT });
  return desk.tickets.appendChecked(ticket, (t, history, now) => {
    const phase = surveyPhase(surveyOf(history), now, desk.settings.reopenMs);
    if (t.requesterId !== person.id || phase === 'none')
      throw new UserError('survey.none', { ticket: t.number });
    if (phase !== 'comment') throw new UserError('survey.comment_late', { ticket: t.number });
    return [{ at: now, kind: 'rating_comment', actorId: person.id, text: body }];
  });
}

export interface Awaiting {
  readonly ticket: Ticket;
  readonly phase: Exclude<SurveyPhase, 'none' | 'expired'>;
}

/**
 * The requester's survey in this chat that a plain message may answer: with `score`, one
 * waiting for a score (or already rated, to say so); without, one waiting for its comment.
 * Undefined when none: the message takes its usual path (a follow-up, a new ticket, chatter).
 */
export async function awaitingSurvey(
  desk: DeskServices,
  person: Person,
  where: { platform: Ticket['platform']; chatId: string },
  score: boolean,
): Promise<Awaiting | undefined> {
  const now = desk.clock.now();
  const { reopenMs } = desk.settings;
  // A survey is sent when the ticket is resolved and lasts the reopen window; a rating
  // writes the ticket, so a comment can only follow on a ticket written in the last minutes.
  const candidates = (
    await desk.store.queryTickets({ requesterId: person.id, statuses: ['resolved', 'closed'], limit: 100 })
  )
    .filter((t) => t.platform === where.platform && t.chatId === where.chatId && t.resolvedAt !== undefined)
    .filter((t) => (score ? now - t.resolvedAt! <= reopenMs + COMMENT_MS : now - t.updatedAt <= COMMENT_MS))
    .sort((a, b) => b.resolvedAt! - a.resolvedAt! || b.number - a.number);
  // A score goes to the newest survey still waiting for one; else it meets the one rated already.
  let rated: Awaiting | undefined;
  for (const ticket of candidates) {
    const phase = surveyPhase(surveyOf(await desk.store.listEvents(ticket.number)), now, reopenMs);
    if (score && phase === 'open') return { ticket, phase };
    if (phase === 'comment' && !score) return { ticket, phase };
    if ((phase === 'comment' || phase === 'rated') && score) rated ??= { ticket, phase };
  }
  return rated;
}

/** The assignee (or, unclaimed, the staff channels) hears of a score or a comment. */
export function tellOfRating(
  desk: DeskServices,
  ticket: Ticket,
  person: Person,
  what: { score: Score } | { comment: string },
): () => Promise<unknown> {
  return async () => {
    const t = desk.translator.t.bind(desk.translator);
    const facts = { ticket: ticket.number, name: person.name, customer: ticket.customerId };
    const wording = (locale: Parameters<typeof t>[0]) =>
      'score' in what
        ? t(locale, 'staff.rating', { ...facts, score: what.score })
        : t(locale, 'staff.rating_comment', { ...facts, text: excerptOf(what.comment, COMMENT_CHARS) });
    const assignee = ticket.assigneeId ? await desk.store.getPerson(ticket.assigneeId) : undefined;
    if (assignee) await desk.notifier.toPerson(assignee, wording);
    else await desk.notifier.toGroups('staff', (locale) => ({ text: wording(locale) }));
  };
}
