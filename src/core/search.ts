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

export interface TicketSearch {
  /** Best matches first (ties: newest ticket first). */
  searchTickets(query: SearchQuery): Promise<SearchHit[]>;
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
