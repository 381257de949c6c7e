/**
 * A customer's plain message that answers their satisfaction survey: a bare `1`–`5`, 👍 or
 * 👎 while one waits for a score, or the next message within a few minutes of a score (its
 * comment). Anything else, and the same words when no survey waits, take the usual path.
 */
import type { Person, Ticket } from '../core/model';
import { COMMENT_MS, parseScore } from '../core/survey';
import { awaitingSurvey, comment, rate, tellOfRating } from '../desk/survey';
import type { ChatDoor, Turn } from './turn';

/** True when the message was the survey's answer (recorded, and the customer answered). */
export async function answeredSurvey(
  router: ChatDoor,
  turn: Turn,
  person: Person,
  existing: Ticket | undefined,
): Promise<boolean> {
  const { desk } = router;
  const { message } = turn;
  const score = parseScore(message.text);
  // A message that names an active ticket (its thread, a quote, `#N`) belongs to that ticket.
  if (existing && desk.tickets.isActive(existing)) return false;
  if (score === undefined && (existing || message.addressed)) return false;
  const awaiting = await awaitingSurvey(desk, person, message, score !== undefined);
  if (!awaiting) return false;
  const { ticket } = awaiting;
  if (score === undefined) {
    await comment(desk, ticket, person, message.text);
    router.reply(turn, router.t(turn.locale, 'survey.comment_thanks', { ticket: ticket.number }));
    turn.after.push(tellOfRating(desk, ticket, person, { comment: message.text }));
    return true;
  }
  // Rated already: the second score is refused by `rate`, in so many words.
  await rate(desk, ticket, person, score, message.text);
  router.reply(
    turn,
    router.t(turn.locale, 'survey.thanks', { ticket: ticket.number, minutes: COMMENT_MS / 60_000 }),
  );
  turn.after.push(tellOfRating(desk, ticket, person, { score }));
  return true;
}
