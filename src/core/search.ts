/**
 * Search over every ticket's subject, customer messages and staff replies (never internal
 * notes), for staff. The store keeps its index in the same write as the text (SQLite:
 * FTS5 trigram rows by trigger; MongoDB: a regex over the stored fields).
 */

export interface SearchQuery {
  /** What the speaker typed; every word must appear (any case). */
  readonly words: string;
  /** Only this customer's tickets (a customer group's results); undefined: every customer. */
  readonly customerId?: string;
  readonly limit: number;
  readonly offset: number;
  /**
   * `relevance` (the default): best matches first. `newest`: the most recent matching texts
   * first, read from the index in that order and no further than the page needs, for a view
   * that orders the tickets itself (the console's queue sorts by deadline).
   */
  readonly order?: 'relevance' | 'newest';
}

export interface SearchHit {
  readonly number: number;
  /** A short excerpt of the best-matching text. */
  readonly snippet: string;
}

/** Resolved tickets like a new one (the staff announcement's suggestions). */
export interface SimilarQuery {
  /** The new ticket's terms (similarTerms): a text with any of them is a candidate. */
  readonly terms: readonly string[];
  /** The new ticket itself, never its own suggestion. */
  readonly excludeNumber: number;
  readonly limit: number;
}

export interface TicketSearch {
  /** Best matches first (ties: newest ticket first). */
  searchTickets(query: SearchQuery): Promise<SearchHit[]>;
  /**
   * Resolved (or resolved, then closed) tickets of any customer whose texts share terms
   * with `terms`, best first (rankSimilar). Its cost is bounded whatever the index holds:
   * only the newest SIMILAR_SCAN matching texts are read (a word every ticket has costs no more).
   */
  similarResolved(query: SimilarQuery): Promise<SearchHit[]>;
}

/** How many of the newest matching texts similarResolved ranks, at most. */
export const SIMILAR_SCAN = 200;

/**
 * Each ticket's best text by how many terms it shares (any case), then the newest ticket:
 * the ranking of similarResolved on both stores (hits come newest text first).
 */
export function rankSimilar(
  hits: readonly SearchHit[],
  terms: readonly string[],
  limit: number,
): SearchHit[] {
  const lower = terms.map((t) => t.toLowerCase());
  const best = new Map<number, { hit: SearchHit; shared: number }>();
  for (const hit of hits) {
    const body = hit.snippet.toLowerCase();
    const shared = lower.filter((t) => body.includes(t)).length;
    if (shared > (best.get(hit.number)?.shared ?? 0)) best.set(hit.number, { hit, shared });
  }
  return [...best.values()]
    .sort((a, b) => b.shared - a.shared || b.hit.number - a.hit.number)
    .slice(0, limit)
    .map(({ hit }) => ({ number: hit.number, snippet: hit.snippet.slice(0, 200) }));
}

export function isTicketSearch(store: object): store is TicketSearch {
  return typeof (store as Partial<Record<keyof TicketSearch, unknown>>).searchTickets === 'function';
}

/** The words of a query: split on spaces, at most 8, each at most 64 characters. */
export function searchWords(words: string): string[] {
  return words
    .normalize('NFKC')
    .split(/\s+/u)
    .filter(Boolean)
    .slice(0, 8)
    .map((w) => [...w].slice(0, 64).join(''));
}

/** Words too common to tell one request from another (the trigram index needs three characters anyway). */
const STOP_WORDS = new Set(
  (
    'the and for with when after from this that have has not but are was were our you your can ' +
    'cannot does doesn why how what please help into its any all also just get got use used using ' +
    'now then than there here they them which while would could should about again still'
  ).split(' '),
);
const HAN_RUN = /\p{Script=Han}{3,}/gu;
const MAX_TERMS = 3;
const MAX_HAN_TERMS = 2;
/**
 * A term's first characters only: FTS5 reads every trigram's whole list of rows, so a long
 * word (`err_require_esm`, 13 trigrams) cost 2 ms at 20,000 tickets that all have it; three
 * terms of six characters, 0.9 ms (bench/core.bench.ts, docs/answers.md).
 */
const TERM_CHARS = 6;

/**
 * The terms a request is matched on for similar tickets: its longest words (three characters
 * or more, no stop words; each cut to TERM_CHARS) and, for Chinese (no spaces between words),
 * three-character slices of its runs of Han characters. At most MAX_TERMS.
 */
export function similarTerms(text: string): string[] {
  const lower = text.normalize('NFKC').toLowerCase();
  const words = new Set<string>();
  for (const token of lower.split(/[^\p{L}\p{N}_]+/u)) {
    if (/\p{Script=Han}/u.test(token)) continue;
    const chars = [...token];
    if (chars.length >= 3 && chars.length <= 64 && !STOP_WORDS.has(token)) words.add(token);
  }
  const han = new Set<string>();
  for (const [run] of lower.matchAll(HAN_RUN)) {
    const chars = [...run];
    // Non-overlapping slices (a run of 9: three terms), so few terms cover the whole run.
    for (let i = 0; i + 3 <= chars.length; i += 3) han.add(chars.slice(i, i + 3).join(''));
  }
  const latin = [
    ...new Set(
      [...words]
        .sort((a, b) => [...b].length - [...a].length)
        .map((w) => [...w].slice(0, TERM_CHARS).join('')),
    ),
  ];
  const cjk = [...han].slice(0, MAX_HAN_TERMS);
  return [...cjk, ...latin].slice(0, MAX_TERMS);
}
