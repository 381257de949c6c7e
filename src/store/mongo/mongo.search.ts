/**
 * /search on MongoDB: case-insensitive regular expressions over tickets' subjects and the
 * customer messages and staff replies in `events` (FerretDB 1.x has no text indexes; both
 * support $regex). Nothing to keep in sync: the stored fields are the index. Ranked newest
 * ticket first (no relevance score without a text index); at most SCAN texts are read per query.
 */
import mongoose from 'mongoose';
import type { SearchHit, SearchQuery } from '../../core/search';
import { searchWords } from '../../core/search';
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
}

function escapeRegex(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
