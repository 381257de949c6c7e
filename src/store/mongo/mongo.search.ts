/**
 * /search on MongoDB: case-insensitive regular expressions over tickets' subjects and the
 * customer messages and staff replies in `events` (FerretDB 1.x has no text indexes; both
 * support $regex). Nothing to keep in sync: the stored fields are the index. Ranked newest
 * ticket first (no relevance score without a text index); at most SCAN texts are read per query.
 */
import mongoose from 'mongoose';
import type { SearchHit, SearchQuery, SimilarQuery } from '../../core/search';
import { rankSimilar, SIMILAR_SCAN, searchWords } from '../../core/search';
import { excerptOf } from '../../core/text';
import { integer, text } from '../values';
import type { Models } from './mongo.schemas';

const { trusted } = mongoose;
const SCAN = 5000;

export class MongoSearch {
  constructor(private readonly m: Models) {}

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const words = searchWords(text(query.words, 'search.words'));
    if (words.length === 0) return [];
    const limit = Math.min(Math.max(integer(query.limit, 'search.limit'), 1), 100);
    const offset = Math.max(integer(query.offset, 'search.offset'), 0);
    const customer = query.customerId === undefined ? undefined : text(query.customerId, 'search.customerId');
    const all = (field: string) => ({
      $and: words.map((w) => ({ [field]: trusted({ $regex: escapeRegex(w), $options: 'i' }) })),
    });
    const subjects = await this.m.tickets
      .find({ ...all('subject'), ...(customer ? { customerId: customer } : {}) }, { _id: 1, subject: 1 })
      .sort({ _id: -1 })
      .limit(SCAN)
      .lean();
    const texts = await this.m.events
      .find(
        { kind: trusted({ $in: ['customer_message', 'staff_reply'] }), ...all('text') },
        {
          ticketNumber: 1,
          text: 1,
        },
      )
      .sort({ ticketNumber: -1 })
      .limit(SCAN)
      .lean();
    const hits = new Map<number, string>();
    for (const t of subjects) hits.set(t._id as unknown as number, t.subject);
    for (const e of texts) if (!hits.has(e.ticketNumber)) hits.set(e.ticketNumber, e.text ?? '');
    let numbers = [...hits.keys()];
    if (customer !== undefined) {
      const own = await this.m.tickets
        .find({ _id: trusted({ $in: numbers }), customerId: customer }, { _id: 1 })
        .lean();
      const ids = new Set(own.map((t) => t._id as unknown as number));
      numbers = numbers.filter((n) => ids.has(n));
    }
    return numbers
      .sort((a, b) => b - a)
      .slice(offset, offset + limit)
      .map((number) => ({ number, snippet: excerptOf(hits.get(number) ?? '', 200) }));
  }

  similar(query: SimilarQuery): Promise<SearchHit[]> {
    return similarIn(this.m, query);
  }
}

/**
 * Similar resolved tickets on MongoDB: subjects of resolved tickets and the newest
 * SIMILAR_SCAN texts with any of the terms (regexes), ranked by rankSimilar as on SQLite.
 */
export async function similarIn(m: Models, query: SimilarQuery): Promise<SearchHit[]> {
  const terms = query.terms
    .map((t) => text(t, 'similar.terms'))
    .filter((t) => [...t].length >= 3)
    .slice(0, 8);
  if (terms.length === 0) return [];
  const exclude = integer(query.excludeNumber, 'similar.excludeNumber');
  const limit = Math.min(Math.max(integer(query.limit, 'similar.limit'), 1), 10);
  const any = (field: string) => ({
    $or: terms.map((w) => ({ [field]: trusted({ $regex: escapeRegex(w), $options: 'i' }) })),
  });
  const resolved = {
    status: trusted({ $in: ['resolved', 'closed'] }),
    resolvedAt: trusted({ $exists: true }),
  };
  const subjects = await m.tickets
    .find({ ...any('subject'), ...resolved, _id: trusted({ $ne: exclude }) }, { _id: 1, subject: 1 })
    .sort({ _id: -1 })
    .limit(SIMILAR_SCAN)
    .lean();
  const texts = await m.events
    .find(
      { kind: trusted({ $in: ['customer_message', 'staff_reply'] }), ...any('text') },
      { ticketNumber: 1, text: 1 },
    )
    .sort({ ticketNumber: -1 })
    .limit(SIMILAR_SCAN)
    .lean();
  const ids = [...new Set(texts.map((e) => e.ticketNumber))].filter((n) => n !== exclude);
  const ok = new Set(
    (await m.tickets.find({ _id: trusted({ $in: ids }), ...resolved }, { _id: 1 }).lean()).map(
      (t) => t._id as unknown as number,
    ),
  );
  const hits: SearchHit[] = [
    ...subjects.map((t) => ({ number: t._id as unknown as number, snippet: t.subject })),
    ...texts
      .filter((e) => ok.has(e.ticketNumber))
      .map((e) => ({ number: e.ticketNumber, snippet: e.text ?? '' })),
  ];
  return rankSimilar(hits, terms, limit);
}

function escapeRegex(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
