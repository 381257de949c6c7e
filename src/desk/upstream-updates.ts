/**
 * The desk's side of upstream news (issue 16): for each ticket that links the issue, an
 * `upstream_update` event on its history, a short notice in its own customer group (in
 * the group's or requester's language; it names that ticket only, never another
 * customer's), and a word to its assignee (the staff channels while unassigned). Once per
 * (change, ticket): the ticket's own events say what it heard (core/upstream-news.ts), and
 * an inbound key keeps two processes, or a webhook and the poller, from acting at once.
 */
import type { Locale } from '../core/i18n';
import type { Ticket } from '../core/model';
import { linkKey, type UpstreamLinks } from '../core/upstream-links';
import { dueFor, type UpstreamChange } from '../core/upstream-news';
import type { DeskServices } from './types';

export type UpstreamDesk = Pick<DeskServices, 'store' | 'clock' | 'notifier' | 'translator'>;

export class UpstreamUpdates {
  constructor(
    private readonly desk: UpstreamDesk,
    private readonly links: UpstreamLinks,
  ) {}

  /** Acts on one change; returns how many tickets were told (0: none links it, or all heard it). */
  async apply(change: UpstreamChange): Promise<number> {
    let told = 0;
    for (const number of await this.links.ticketsLinkedTo(change.ref)) {
      if (await this.tell(number, change)) told += 1;
    }
    return told;
  }

  private async tell(number: number, change: UpstreamChange): Promise<boolean> {
    const { store, clock } = this.desk;
    const ticket = await store.getTicket(number);
    if (ticket === undefined) return false;
    const due = dueFor(await store.listEvents(number), change);
    if (due === undefined) return false;
    const key = `upstream:${number}:${linkKey(change.ref)}:${due.id}`;
    if (!(await store.claimInbound(key, clock.now()))) return false; // another process is on it
    try {
      await store.addEvent(number, {
        at: clock.now(),
        kind: 'upstream_update',
        actorId: 'system',
        to: `${change.ref.repo}#${change.ref.number}`,
        from: due.id,
        text: this.summary(change),
      });
    } catch (error) {
      await store.releaseInbound(key); // nothing recorded: the next delivery or poll tries again
      throw error;
    }
    await this.notify(ticket, change);
    return true;
  }

  /** Delivery goes through the outbox, which retries on its own; the event is already recorded. */
  private async notify(ticket: Ticket, change: UpstreamChange): Promise<void> {
    const { notifier, translator } = this.desk;
    const vars = this.vars(ticket, change);
    await notifier.toTicketGroup(ticket, (locale) =>
      translator.t(locale, `upstream.news.${change.kind}`, vars),
    );
    await notifier.toAssignee(ticket, (locale: Locale) =>
      translator.t(locale, `upstream.staff.${change.kind}`, vars),
    );
  }

  private vars(ticket: Ticket, change: UpstreamChange): Record<string, string | number> {
    const ref = `${change.ref.repo}#${change.ref.number}`;
    if (change.kind === 'released')
      return {
        ticket: ticket.number,
        ref,
        release: change.release.name || change.release.tag,
        url: change.release.url,
      };
    return { ticket: ticket.number, ref, url: change.url };
  }

  private summary(change: UpstreamChange): string {
    if (change.kind === 'released') return `released ${change.release.tag} ${change.release.url}`;
    return `${change.kind} ${change.url}`;
  }
}
