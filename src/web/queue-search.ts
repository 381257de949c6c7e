/**
 * The queue page's search box. With the store's full-text index (the one /search uses:
 * SQLite FTS5 trigram rows, MongoDB's stored text) a search reads the best matches and
 * nothing else, so its cost follows what matches, not how many tickets were ever opened:
 * the LIKE over subjects it replaces read every closed ticket (753 ms p50 at 1,000,000,
 * bench/web.bench.ts). The page's other filters then apply to those tickets. A store
 * without the index keeps the LIKE query.
 */
import type { DeskServices } from '../../commands/types';
import type { Ticket } from '../core/model';
import { isSlaStore, type TicketQuery } from '../core/ports';

/** How many of the best matches the other filters choose from (the index answers at most 100). */
const CANDIDATES = 100;

export async function searchTickets(
  desk: DeskServices,
  words: string,
  query: TicketQuery,
  limit: number,
): Promise<Ticket[]> {
  if (!desk.search) return desk.store.queryTickets({ ...query, subjectContains: words, limit });
  const hits = await desk.search.searchTickets({
    words,
    limit: CANDIDATES,
    offset: 0,
    order: 'newest',
    ...(query.customerId !== undefined ? { customerId: query.customerId } : {}),
  });
  const numbers = hits.map((h) => h.number);
  // One read for all of them where the store has it (the index and the ledger share the raw store).
  const tickets = isSlaStore(desk.search)
    ? await desk.search.getTickets(numbers)
    : (await Promise.all(numbers.map((n) => desk.store.getTicket(n)))).filter((t) => t !== undefined);
  const rank = new Map(numbers.map((n, i) => [n, i]));
  return tickets
    .filter((t) => matches(t, query))
    .sort((a, b) => rank.get(a.number)! - rank.get(b.number)!)
    .slice(0, limit);
}

/** The same filters as TicketQuery, on tickets already read (customerId was the index's own scope). */
function matches(t: Ticket, q: TicketQuery): boolean {
  return (
    (q.customerId === undefined || t.customerId === q.customerId) &&
    (q.assigneeId === undefined || t.assigneeId === q.assigneeId) &&
    (q.statuses === undefined || q.statuses.includes(t.status)) &&
    (q.plan === undefined || t.plan === q.plan) &&
    (q.priorities === undefined || q.priorities.includes(t.priority)) &&
    (q.dueBefore === undefined ||
      (t.firstResponseAt === undefined && t.dueAt !== undefined && t.dueAt < q.dueBefore))
  );
}
