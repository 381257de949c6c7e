/**
 * libsql never resets a prepared statement whose step failed: the store must renew it, or
 * every later write of the same kind fails (and a batch holding it cannot COMMIT). Each
 * failure here is a real one on a real file: a trigger refuses some rows, as a constraint
 * would (RAISE(ABORT) fails the step exactly like a unique or foreign-key violation).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import type { OutboundMessage } from '../../../../src/core/chat';
import { openSqliteStore, type SqliteStore } from '../../../../src/store/sqlite';
import { customer, event, newTicket, T0 } from '../../../contract/store.fixtures';

const REFUSE = `
  CREATE TRIGGER refuse_ticket BEFORE INSERT ON tickets WHEN NEW.subject = 'refused'
  BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
  CREATE TRIGGER refuse_outbound BEFORE INSERT ON outbox WHEN NEW.chat LIKE '%refused%'
  BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`;

const message = (chatId: string, text: string): OutboundMessage => ({
  platform: 'slack',
  chatId,
  chatKind: 'group',
  text,
});

describe('SQLite store after a failed statement', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-failed-step-'));
    file = join(dir, 'groupdesk.sqlite');
    await openSqliteStore(file).close(); // creates the schema
    const db = new Database(file);
    db.exec(REFUSE);
    db.close();
    store = openSqliteStore(file);
    await store.putCustomer(customer());
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const reopened = async () => {
    await store.close();
    store = openSqliteStore(file);
    return store;
  };

  it('opens the next ticket after one whose insert failed, and keeps it across a restart', async () => {
    await expect(store.createTicket(newTicket({ subject: 'refused' }), event())).rejects.toThrow(
      'refused by the test',
    );
    const next = await store.createTicket(newTicket({ subject: 'next' }), event());
    expect(next.created).toBe(true);
    const again = await store.createTicket(newTicket({ subject: 'and the one after' }), event());
    expect(again.ticket.number).toBe(next.ticket.number + 1);
    const after = await reopened();
    expect((await after.getTicket(next.ticket.number))?.subject).toBe('next');
    expect((await after.getTicket(again.ticket.number))?.subject).toBe('and the one after');
  });

  it('commits the other writes of a batch in which one ticket was refused', async () => {
    // Issued in one turn: one group commit holds them all.
    const results = await Promise.allSettled([
      store.createTicket(newTicket({ subject: 'first' }), event()),
      store.createTicket(newTicket({ subject: 'refused' }), event()),
      store.createTicket(newTicket({ subject: 'third' }), event()),
      store.claimInbound('slack::M-after', T0),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const after = await reopened();
    const subjects = (await after.queryTickets({ limit: 10 })).map((t) => t.subject).sort();
    expect(subjects).toEqual(['first', 'third']);
    expect(await after.claimInbound('slack::M-after', T0)).toBe(false);
  });

  it('queues the next outbound message after one whose insert failed', async () => {
    await expect(
      store.enqueueOutbound([{ message: message('C-refused', 'no'), expiresAt: T0 + 1000 }], T0),
    ).rejects.toThrow('refused by the test');
    const [row] = await store.enqueueOutbound(
      [{ message: message('C-ACME', 'yes'), expiresAt: T0 + 1000 }],
      T0,
    );
    const after = await reopened();
    expect((await after.getOutbound(row!.id))?.message.text).toBe('yes');
  });
});
