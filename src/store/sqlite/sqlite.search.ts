/**
 * /search on SQLite: the FTS5 table `ticket_search` (trigram tokenizer, schema step 7),
 * filled by triggers in the same transaction as the ticket or event. Words of three
 * characters or more are an FTS5 phrase each (ranked by bm25); a query with a shorter word
 * falls back to LIKE on the same table's text (ranked newest first).
 */
import type { SearchHit, SearchQuery, SimilarQuery } from '../../core/search';
import { rankSimilar, SIMILAR_SCAN, searchWords } from '../../core/search';
import { integer, text } from '../values';
import { type Db, prepare, type Statement } from './connection';
import type { LedgerAccess } from './reminders';

const CUSTOMER = '(:customer IS NULL OR t.customer_id = :customer)';
// bm25() may not sit inside a window function: score first, then keep each ticket's best row.
// Only the CANDIDATES best texts are ranked and paged: a word in every ticket (100,000 rows)
// took 0.9–1.6 s to rank whole (bench/search.bench.ts); the top 2,000 is 200 pages deep.
const CANDIDATES = 2000;
const BEST = (where: string, score: string) => `
  SELECT json_group_array(json_array(n, snip)) FROM (
    SELECT n, snip FROM (
      SELECT n, score, snip, row_number() OVER (PARTITION BY n ORDER BY score) AS rk FROM (
        SELECT ticket_search.ticket_number AS n, ${score} AS score, substr(ticket_search.body, 1, 200) AS snip
        FROM ticket_search JOIN tickets t ON t.number = ticket_search.ticket_number
        WHERE ${where} AND ${CUSTOMER} ORDER BY score LIMIT ${CANDIDATES}
      )
    )
    WHERE rk = 1
    ORDER BY score, n DESC LIMIT :limit OFFSET :offset
  )`;

// Similar resolved tickets: FTS5 yields matches in rowid order natively, so only the newest
// SIMILAR_SCAN texts are read, and no bm25 (its statistics read every matching row: 80 ms at
// 20,000 tickets with one common word); they are ranked in rankSimilar by the terms they share.
const SIMILAR = `
  SELECT json_group_array(json_array(n, snip)) FROM (
    SELECT m.n AS n, m.snip AS snip FROM (
      SELECT ticket_number AS n, substr(body, 1, 500) AS snip, rowid AS r
      FROM ticket_search WHERE ticket_search MATCH :match ORDER BY rowid DESC LIMIT ${SIMILAR_SCAN}
    ) m JOIN tickets t ON t.number = m.n
    WHERE t.resolved_at IS NOT NULL AND t.status IN ('resolved', 'closed') AND t.number <> :exclude
    ORDER BY m.r DESC
  )`;

/**
 * Newest texts first, straight from the index's rowid order (FTS5 walks its doclists
 * backwards and stops at the limit), so a word in 100,000 tickets costs what the page shows:
 * relevance ranking scored every match first (240 ms p50 at 1,000,000, bench/web.bench.ts).
 * NEWEST texts are read for a page, then one row per ticket is kept.
 */
const NEWEST = 500;
const LATEST = `
  SELECT json_group_array(json_array(n, snip)) FROM (
    SELECT n, max(r) AS r, snip FROM (
      SELECT ticket_search.ticket_number AS n, ticket_search.rowid AS r, substr(ticket_search.body, 1, 200) AS snip
      FROM ticket_search JOIN tickets t ON t.number = ticket_search.ticket_number
      WHERE ticket_search MATCH :match AND ${CUSTOMER} ORDER BY ticket_search.rowid DESC LIMIT ${NEWEST}
    )
    GROUP BY n ORDER BY r DESC LIMIT :limit OFFSET :offset
  )`;

const SQL = {
  similar: SIMILAR,
  latest: LATEST,
  match: BEST('ticket_search MATCH :match', 'bm25(ticket_search)'),
  like: BEST(
    "(SELECT count(*) FROM json_each(:likes) l WHERE ticket_search.body LIKE l.value ESCAPE '\\') = json_array_length(:likes)",
    '-ticket_search.rowid',
  ),
} as const;

export class SqliteSearch {
  private readonly sql: { readonly [K in keyof typeof SQL]: Statement };

  constructor(
    db: Db,
    private readonly access: Pick<LedgerAccess, 'read'>,
  ) {
    const prepared = Object.entries(SQL).map(([name, sql]) => [name, prepare(db, sql)]);
    this.sql = Object.fromEntries(prepared) as never;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const words = searchWords(text(query.words, 'search.words'));
    if (words.length === 0) return [];
    const base = {
      customer: query.customerId === undefined ? null : text(query.customerId, 'search.customerId'),
      limit: Math.min(Math.max(integer(query.limit, 'search.limit'), 1), 100),
      offset: Math.max(integer(query.offset, 'search.offset'), 0),
    };
    const short = words.some((w) => [...w].length < 3);
    return this.access.read(() => {
      const row = short
        ? this.sql.like.get({ ...base, likes: JSON.stringify(words.map((w) => `%${escapeLike(w)}%`)) })
        : this.sql[query.order === 'newest' ? 'latest' : 'match'].get({
            ...base,
            match: words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' '),
          });
      const [json] = row as [string];
      return hits(json);
    });
  }

  async similar(query: SimilarQuery): Promise<SearchHit[]> {
    const match = similarMatch(query.terms.map((t) => text(t, 'similar.terms')));
    if (match === undefined) return [];
    const params = { match, exclude: integer(query.excludeNumber, 'similar.excludeNumber') };
    const limit = Math.min(Math.max(integer(query.limit, 'similar.limit'), 1), 10);
    const found = this.access.read(() => hits((this.sql.similar.get(params) as [string])[0]));
    return rankSimilar(await found, query.terms, limit);
  }
}

function hits(json: string): SearchHit[] {
  return (JSON.parse(json) as Array<[number, string]>).map(([number, snippet]) => ({ number, snippet }));
}

/** FTS5 terms for similarResolved: three characters or more (trigrams), each a quoted phrase. */
export function similarMatch(terms: readonly string[]): string | undefined {
  const usable = terms.filter((t) => [...t].length >= 3).slice(0, 8);
  return usable.length ? usable.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ') : undefined;
}

function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}
