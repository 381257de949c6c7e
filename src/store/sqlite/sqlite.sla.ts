/**
 * SqliteStore: the Store port and the SLA reminder ledger (SlaStore) on one SQLite file and
 * connection, so that a ticket's reminder events and its ledger rows commit together.
 * The ledger's SQL lives in reminders.ts; this class only wires it in, through the store's
 * group commit, so the ledger never opens a transaction inside the connection's open batch.
 */
import type { Locale } from '../../core/i18n';
import type { Macro, MacroStore } from '../../core/macros';
import type { Ticket } from '../../core/model';
import type { PlannedReminder, Reminder, ReminderOutcome, SlaStore } from '../../core/ports';
import type { SearchHit, SearchQuery, SimilarQuery, TicketSearch } from '../../core/search';
import type { IssueRef } from '../../core/tracker';
import type { UpstreamLinks } from '../../core/upstream-links';
import type { ConnectionOptions } from './connection';
import { SqliteReminderLedger } from './reminders';
import { SqliteUpstreamLinks } from './sqlite.links';
import { SqliteMacros } from './sqlite.macros';
import { SqliteSearch } from './sqlite.search';
import { SqliteBaseStore } from './sqlite.store';

/** Opens (creating and migrating if needed) the store in `file`. */
export function openSqliteStore(file: string, options: Partial<ConnectionOptions> = {}): SqliteStore {
  return new SqliteStore({ ...options, file });
}

export class SqliteStore
  extends SqliteBaseStore
  implements SlaStore, MacroStore, TicketSearch, UpstreamLinks
{
  private readonly ledger = new SqliteReminderLedger(this.db, {
    write: (fn, atomic) => this.write(fn, atomic),
    read: (fn) => this.read(fn),
  });
  private readonly macros = new SqliteMacros(this.db, {
    write: (fn, atomic) => this.write(fn, atomic),
    read: (fn) => this.read(fn),
  });

  private readonly search = new SqliteSearch(this.db, { read: (fn) => this.read(fn) });
  private readonly links = new SqliteUpstreamLinks(this.db, { read: (fn) => this.read(fn) });

  ticketsLinkedTo(ref: IssueRef): Promise<number[]> {
    return this.links.ticketsLinkedTo(ref);
  }

  linkedIssues(): Promise<IssueRef[]> {
    return this.links.linkedIssues();
  }

  searchTickets(query: SearchQuery): Promise<SearchHit[]> {
    return this.search.search(query);
  }

  similarResolved(query: SimilarQuery): Promise<SearchHit[]> {
    return this.search.similar(query);
  }

  putMacro(macro: Macro): Promise<void> {
    return this.macros.put(macro);
  }

  getMacros(name: string): Promise<Macro[]> {
    return this.macros.get(name);
  }

  listMacros(): Promise<Macro[]> {
    return this.macros.list();
  }

  deleteMacro(name: string, locale?: Locale): Promise<number> {
    return this.macros.delete(name, locale);
  }

  async scheduleReminders(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    await this.ledger.schedule(reminders, now);
  }

  async skipReminders(reminders: readonly PlannedReminder[], now: number): Promise<void> {
    await this.ledger.skip(reminders, now);
  }

  async cancelReminders(subject: string, now: number): Promise<number> {
    return this.ledger.cancel(subject, now);
  }

  async dueReminders(now: number, limit: number): Promise<Reminder[]> {
    return this.ledger.due(now, limit);
  }

  async claimReminders(owner: string, leaseUntil: number, now: number, limit: number): Promise<Reminder[]> {
    return this.ledger.claim(owner, leaseUntil, now, limit);
  }

  async settleReminders(owner: string, outcomes: readonly ReminderOutcome[]): Promise<number> {
    return this.ledger.settle(owner, outcomes);
  }

  async failedReminders(since: number, limit: number): Promise<Reminder[]> {
    return this.ledger.failedSince(since, limit);
  }

  async listReminders(subject: string): Promise<Reminder[]> {
    return this.ledger.list(subject);
  }

  async getTickets(numbers: readonly number[]): Promise<Ticket[]> {
    return this.ledger.tickets(numbers);
  }
}
