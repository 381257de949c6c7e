/**
 * The planner batches ledger writes off the message path: changes wait for the next
 * flush (a tick, or FLUSH_AT tickets), the latest state of a ticket wins, a failed write
 * is kept for the next flush, and reconcile re-plans every running ticket after a crash.
 */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import type { Ticket } from '../../../src/core/model';
import { PlanBook } from '../../../src/core/plans';
import type { SlaStore } from '../../../src/core/ports';
import { FLUSH_AT, ReminderPlanner } from '../../../src/core/sla/planner';
import { SlaPolicy } from '../../../src/core/sla/policy';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';
import { HOUR, MONDAY_10 } from './sla-desk';

const config = loadConfig({ GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config') });
const policy = new SlaPolicy(config.calendars, new PlanBook(config.plans));

const ticket = (number: number, over: Partial<Ticket> = {}): Ticket => ({
  number,
  customerId: 'acme',
  requesterId: 'alice',
  platform: 'console',
  chatId: 'acme',
  sourceKey: `k${number}`,
  category: 'consultation',
  priority: 'p2',
  status: 'open',
  subject: 's',
  plan: 'basic',
  createdAt: MONDAY_10,
  updatedAt: MONDAY_10,
  lastCustomerAt: MONDAY_10,
  dueAt: MONDAY_10 + 24 * HOUR,
  version: 1,
  ...over,
});

describe('reminder planner', () => {
  let store: SqliteStore;
  let planner: ReminderPlanner;
  const plannerOn = (ledger: SlaStore) =>
    new ReminderPlanner({
      ledger,
      policy,
      rules: config.sla.tickets,
      clock: new ManualClock(MONDAY_10),
      logger: silentLogger,
    });
  beforeEach(() => {
    store = openSqliteStore(':memory:');
    planner = plannerOn(store);
  });
  afterEach(() => store.close());
  const stages = async (n: number) =>
    (await store.listReminders(`ticket:${n}`)).map((r) => `${r.stage}:${r.status}`);

  it('writes nothing on the message path until a flush, then every stage at once', async () => {
    await planner.ticketChanged(undefined, ticket(1));
    expect(await stages(1)).toEqual([]);
    await planner.flush();
    expect(await stages(1)).toEqual(['half:pending', 'late:pending', 'breach:pending']);
  });

  it('flushes by itself once FLUSH_AT tickets wait', async () => {
    for (let n = 1; n < FLUSH_AT; n++) await planner.ticketChanged(undefined, ticket(n));
    expect(await stages(1)).toEqual([]);
    await planner.ticketChanged(undefined, ticket(FLUSH_AT));
    expect(await stages(1)).toHaveLength(3);
    expect(await stages(FLUSH_AT)).toHaveLength(3);
  });

  it('keeps the latest state of a ticket: opened and answered before a flush plans nothing', async () => {
    const opened = ticket(1);
    await planner.ticketChanged(undefined, opened);
    await planner.ticketChanged(opened, { ...opened, status: 'claimed', firstResponseAt: MONDAY_10 + HOUR });
    await planner.flush();
    expect(await stages(1)).toEqual([]);
  });

  it('ignores changes that cannot move the clock (a claim)', async () => {
    const opened = ticket(1);
    await planner.flush(); // nothing to do
    await planner.ticketChanged(opened, { ...opened, status: 'claimed', assigneeId: 'bob' });
    await planner.flush();
    expect(await stages(1)).toEqual([]);
  });

  it('keeps what it could not write for the next flush', async () => {
    let failures = 1;
    const flaky: SlaStore = Object.assign(Object.create(store) as SqliteStore, {
      scheduleReminders: async (...args: Parameters<SlaStore['scheduleReminders']>) => {
        if (failures-- > 0) throw new Error('database is locked');
        return store.scheduleReminders(...args);
      },
    });
    planner = plannerOn(flaky);
    await planner.ticketChanged(undefined, ticket(1));
    await planner.flush();
    expect(await stages(1)).toEqual([]);
    await planner.flush();
    expect(await stages(1)).toHaveLength(3);
  });

  it('reconcile re-plans the running tickets of every customer (a crash lost the batch)', async () => {
    await store.putCustomer({ id: 'acme', name: 'ACME', createdAt: 0 });
    const { ticket: running } = await store.createTicket(
      { ...ticket(0), sourceKey: 'a' },
      { at: MONDAY_10, kind: 'customer_message', actorId: 'alice' },
    );
    await store.createTicket(
      { ...ticket(0), sourceKey: 'b', status: 'resolved', resolvedAt: MONDAY_10 },
      { at: MONDAY_10, kind: 'customer_message', actorId: 'alice' },
    );
    expect(await plannerOn(store).reconcile(store)).toBe(1);
    expect(await stages(running.number)).toHaveLength(3);
  });
});
