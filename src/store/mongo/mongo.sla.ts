/**
 * MongoStore: the Store port and the SLA reminder ledger (SlaStore) on one connection, so
 * that a reminder's ticket event and its ledger row are written in one transaction where
 * the deployment has them. The ledger's queries live in mongo.reminders.ts; this class
 * only wires them in, through the store's error translation and closed check (`run`).
 */
import type { Locale } from '../../core/i18n';
import type { Macro, MacroStore } from '../../core/macros';
import type { Ticket } from '../../core/model';
import type { PlannedReminder, Reminder, ReminderOutcome, SlaStore } from '../../core/ports';
import type { SearchHit, SearchQuery, SimilarQuery, TicketSearch } from '../../core/search';
import type { IssueRef } from '../../core/tracker';
import type { UpstreamLinks } from '../../core/upstream-links';
import { MongoUpstreamLinks } from './mongo.links';
import { MongoMacros } from './mongo.macros';
import { MongoReminderLedger } from './mongo.reminders';
import { MongoSearch } from './mongo.search';
import { MongoBaseStore } from './mongo.store';

/** Open it with openMongoStore (mongo.connect.ts). */
export class MongoStore extends MongoBaseStore implements SlaStore, MacroStore, TicketSearch, UpstreamLinks {
  private readonly ledger = new MongoReminderLedger(this.m, this.atomically);
  private readonly macros = new MongoMacros(this.m);
  private readonly search = new MongoSearch(this.m);
  private readonly links = new MongoUpstreamLinks(this.m);

  ticketsLinkedTo(ref: IssueRef): Promise<number[]> {
    return this.run(() => this.links.ticketsLinkedTo(ref));
  }

  linkedIssues(): Promise<IssueRef[]> {
    return this.run(() => this.links.linkedIssues());
  }

  /** Copies links stored before the `upstream_links` collection existed (openMongoStore, once per database). */
  backfillLinks(): Promise<number> {
    return this.run(() => this.links.backfill());
  }

  searchTickets(query: SearchQuery): Promise<SearchHit[]> {
    return this.run(() => this.search.search(query));
  }

  similarResolved(query: SimilarQuery): Promise<SearchHit[]> {
    return this.run(() => this.search.similar(query));
  }

  putMacro(macro: Macro): Promise<void> {
    return this.run(() => this.macros.put(macro));
  }

  getMacros(name: string): Promise<Macro[]> {
    return this.run(() => this.macros.get(name));
  }

  listMacros(): Promise<Macro[]> {
    return this.run(() => this.macros.list());
  }

  deleteMacro(name: string, locale?: Locale): Promise<number> {
    return this.run(() => this.macros.delete(name, locale));
  }

  scheduleReminders(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    return this.run(() => this.ledger.schedule(reminders, now));
  }

  skipReminders(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    return this.run(() => this.ledger.skip(reminders, now));
  }

  cancelReminders(subject: string, now: number): Promise<number> {
    return this.run(() => this.ledger.cancel(subject, now));
  }

  dueReminders(now: number, limit: number): Promise<Reminder[]> {
    return this.run(() => this.ledger.due(now, limit));
  }

  claimReminders(owner: string, leaseUntil: number, now: number, limit: number): Promise<Reminder[]> {
    return this.run(() => this.ledger.claim(owner, leaseUntil, now, limit));
  }

  settleReminders(owner: string, outcomes: readonly ReminderOutcome[]): Promise<number> {
    return this.run(() => this.ledger.settle(owner, outcomes));
  }

  failedReminders(since: number, limit: number): Promise<Reminder[]> {
    return this.run(() => this.ledger.failedSince(since, limit));
  }

  listReminders(subject: string): Promise<Reminder[]> {
    return this.run(() => this.ledger.list(subject));
  }

  getTickets(numbers: readonly number[]): Promise<Ticket[]> {
    return this.run(() => this.ledger.tickets(numbers));
  }
}
