/**
 * The store contract: one jest suite, written only against the Store port, that every
 * implementation runs (SQLite in sqlite.store.test.ts, MongoDB in mongo.store.test.ts).
 * Each test gets a fresh, empty store from `open` and hands it back to `cleanup`.
 * Both also keep the SLA reminder ledger (SlaStore, the scheduler's exactly-once basis) and
 * run its contract.
 */
import type { Store } from '../../src/core/ports';
import { describeUpstreamLinkContract } from './store.contract.links';
import { describeMacroContract } from './store.contract.macros';
import { describeOutboxContract } from './store.contract.outbox';
import { describeQueryContract } from './store.contract.queries';
import { describeRecordContract } from './store.contract.records';
import { describeReminderContract } from './store.contract.reminders';
import { describeSearchContract } from './store.contract.search';
import { describeTicketContract } from './store.contract.tickets';
import type { StoreContext } from './store.fixtures';

export interface OpenedStore {
  readonly store: Store;
  /** Closes the store (if the test has not) and removes whatever `open` created. */
  readonly cleanup: () => Promise<void>;
}

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store contract`, () => {
    let current: OpenedStore | undefined;
    const context: StoreContext = {
      store: () => {
        if (current === undefined) throw new Error('no store is open outside a test');
        return current.store;
      },
    };

    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      const opened = current;
      current = undefined;
      await opened?.cleanup();
    });

    describeRecordContract(context);
    describe('tickets', () => describeTicketContract(context));
    describe('queries', () => describeQueryContract(context));
    describe('reminder ledger (SlaStore)', () => describeReminderContract(context));
    describe('outbox', () => describeOutboxContract(context));
    describe('saved replies (MacroStore)', () => describeMacroContract(context));
    describe('search (TicketSearch)', () => describeSearchContract(context));
    describe('upstream links (UpstreamLinks)', () => describeUpstreamLinkContract(context));
  });
}
