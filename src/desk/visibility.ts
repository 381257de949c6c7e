/**
 * The one visibility rule every door uses: from a place scoped to a customer (their group,
 * their subscriber's direct chat, later their web session) only that customer's tickets
 * exist. Anything else answers exactly like a ticket that does not exist, so no door can
 * tell another customer's ticket from a missing number.
 */
import { UserError } from '../core/errors';
import type { Ticket } from '../core/model';
import type { TicketStore } from '../core/ports';

/** The customer whose data may be seen; undefined = every customer (staff places). */
export interface Scope {
  readonly customerId?: string;
}

export function isVisible(scope: Scope, ticket: Ticket | undefined): ticket is Ticket {
  return ticket !== undefined && (scope.customerId === undefined || ticket.customerId === scope.customerId);
}

/** The ticket if it exists and may be seen from `scope`; otherwise the same "not found" for all. */
export async function visibleTicket(store: Pick<TicketStore, 'getTicket'>, scope: Scope, number: number) {
  const ticket = await store.getTicket(number);
  if (!isVisible(scope, ticket)) throw new UserError('ticket.not_found', { ticket: number });
  return ticket;
}
