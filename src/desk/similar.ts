/**
 * Up to three resolved tickets like a new one, for the staff announcement only (another
 * customer's ticket is never shown to a customer: callers word them for staff channels).
 * Read through the store's search index (TicketSearch.similarResolved), whose cost is
 * bounded; a store that cannot answer leaves the announcement without them.
 */
import { isStoreUnavailable } from '../core/errors';
import type { Ticket } from '../core/model';
import { similarTerms } from '../core/search';
import { excerptOf } from '../core/text';
import type { DeskServices } from './types';

const SUGGESTIONS = 3;
const SNIPPET_CHARS = 80;

export interface Similar {
  readonly number: number;
  readonly customer: string;
  readonly snippet: string;
}

export async function similarResolved(desk: DeskServices, ticket: Ticket, text: string): Promise<Similar[]> {
  const terms = similarTerms(`${ticket.subject} ${text}`);
  if (!desk.search || terms.length === 0) return [];
  try {
    const hits = await desk.search.similarResolved({
      terms,
      excludeNumber: ticket.number,
      limit: SUGGESTIONS,
    });
    const found: Similar[] = [];
    for (const hit of hits) {
      const other = await desk.store.getTicket(hit.number);
      if (!other) continue;
      const customer = await desk.store.getCustomer(other.customerId);
      found.push({
        number: hit.number,
        customer: customer?.name ?? other.customerId,
        snippet: excerptOf(hit.snippet.replace(/\s+/gu, ' '), SNIPPET_CHARS),
      });
    }
    return found;
  } catch (error) {
    // The ticket is open and durable already: the announcement goes out without suggestions.
    if (isStoreUnavailable(error)) return [];
    throw error;
  }
}
