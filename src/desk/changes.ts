/**
 * Tells whoever listens (the web console's live pages) that a ticket changed, after the
 * change is durable. In-process only: a page served by one instance hears the changes made
 * through that instance (chat, web or SLA worker); another instance's show on the next load.
 */
import type { Ticket } from '../core/model';
import type { TicketObserver } from '../core/tickets';

export type TicketListener = (ticket: Ticket) => void;

export class TicketChanges implements TicketObserver {
  private readonly listeners = new Set<TicketListener>();

  constructor(private readonly next?: TicketObserver) {}

  async ticketChanged(before: Ticket | undefined, after: Ticket): Promise<void> {
    await this.next?.ticketChanged(before, after);
    for (const listener of this.listeners) {
      try {
        listener(after);
      } catch {
        // A listener is a page's stream; one that fails is dropped, the others still hear.
        this.listeners.delete(listener);
      }
    }
  }

  /** Listens until the returned function is called. */
  listen(listener: TicketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
