/**
 * The satisfaction survey, as rules over a ticket's history (no table of its own): the
 * `survey_sent` event opens it, a `rating` closes it, a `rating_comment` may follow within
 * COMMENT_MS of the rating. A survey expires with the reopen window (counted from when it
 * was sent). Scores are 1–5; 👍 counts 5 and 👎 counts 1.
 */
import type { Ticket, TicketEvent } from './model';
import type { TicketStore } from './ports';

/** How long after a rating the requester's next plain message is taken as its comment. */
export const COMMENT_MS = 5 * 60_000;

export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];

const THUMBS: Readonly<Record<string, Score>> = { '👍': 5, '👎': 1 };
/** Skin tones and the emoji variation selector: 👍🏽 is 👍. */
const DECORATION = /\p{Emoji_Modifier}|\uFE0F/gu;

/** `1`–`5` (full-width too), 👍 or 👎, alone: a score; anything else (`3.2.1`, `5 stars`) is not one. */
export function parseScore(text: string): Score | undefined {
  const bare = text.trim().replace(DECORATION, '');
  const thumb = THUMBS[bare];
  if (thumb !== undefined) return thumb;
  const m = /^([1-5１-５])$/.exec(bare);
  if (!m) return undefined;
  const code = m[1]!.charCodeAt(0);
  return (code >= 0xff10 ? code - 0xff10 : code - 48) as Score;
}

export interface SurveyState {
  readonly sentAt: number;
  readonly rating?: { readonly score: Score; readonly at: number };
  readonly commented: boolean;
}

/** What the history says of the ticket's survey; undefined when none was sent. */
export function surveyOf(events: readonly TicketEvent[]): SurveyState | undefined {
  const sent = events.find((e) => e.kind === 'survey_sent');
  if (!sent) return undefined;
  const rated = events.find((e) => e.kind === 'rating');
  const score = rated ? Number(rated.to) : Number.NaN;
  return {
    sentAt: sent.at,
    ...(rated && SCORES.includes(score as Score) ? { rating: { score: score as Score, at: rated.at } } : {}),
    commented: events.some((e) => e.kind === 'rating_comment'),
  };
}

export type SurveyPhase = 'none' | 'open' | 'expired' | 'comment' | 'rated';

/** Where the survey stands at `now`: waiting for a score, for a comment, or done. */
export function surveyPhase(state: SurveyState | undefined, now: number, expiresMs: number): SurveyPhase {
  if (!state) return 'none';
  if (state.rating) {
    return !state.commented && now - state.rating.at <= COMMENT_MS ? 'comment' : 'rated';
  }
  return now - state.sentAt <= expiresMs ? 'open' : 'expired';
}

/** Counted scores of a group of tickets: how many, their average (one decimal), how many low (1–2). */
export interface ScoreSummary {
  readonly count: number;
  readonly average: number;
  readonly low: number;
}

export function summarise(scores: readonly number[]): ScoreSummary | undefined {
  if (scores.length === 0) return undefined;
  const sum = scores.reduce((a, b) => a + b, 0);
  return {
    count: scores.length,
    average: Math.round((sum / scores.length) * 10) / 10,
    low: scores.filter((s) => s <= 2).length,
  };
}

/** Scores grouped by a key (plan, customer, engineer), best-rated groups first. */
export function summariseBy<T>(
  rated: readonly T[],
  score: (item: T) => number,
  key: (item: T) => string,
): Map<string, ScoreSummary> {
  const groups = new Map<string, number[]>();
  for (const item of rated) groups.set(key(item), [...(groups.get(key(item)) ?? []), score(item)]);
  const out = [...groups].map(([k, scores]) => [k, summarise(scores)!] as const);
  return new Map(out.sort((a, b) => b[1].average - a[1].average || b[1].count - a[1].count));
}

/** A ticket's score, for reports. */
export interface Rated {
  readonly ticketNumber: number;
  readonly customerId: string;
  readonly plan: string;
  /** Who held the ticket when it was rated; '' when nobody. */
  readonly engineerId: string;
  readonly score: Score;
  readonly at: number;
}

/** The rated tickets among `tickets` whose score came at or after `since` (one history read each). */
export async function ratingsOf(store: TicketStore, tickets: readonly Ticket[], since = 0): Promise<Rated[]> {
  const rated: Rated[] = [];
  for (const t of tickets) {
    // A rating writes the ticket, so a ticket written before `since` has none since. (A rated
    // ticket may have been reopened since: its score still counts.)
    if (t.updatedAt < since) continue;
    const rating = surveyOf(await store.listEvents(t.number))?.rating;
    if (!rating || rating.at < since) continue;
    rated.push({
      ticketNumber: t.number,
      customerId: t.customerId,
      plan: t.plan,
      engineerId: t.assigneeId ?? '',
      score: rating.score,
      at: rating.at,
    });
  }
  return rated;
}
