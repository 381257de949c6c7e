/**
 * The next-response and resolution clocks through TicketService on real SQLite, on the
 * cn-workdays calendar (09:00–12:00, 13:30–18:00): the next-response clock starts at a
 * customer message after an earlier public staff answer and stops at the next public staff
 * reply; resolution counts working time from opening, paused while waiting on the customer,
 * resumed by a reopen; a priority change moves every running deadline.
 */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { ManualClock } from '../../../src/core/clock';
import type { Person, Ticket } from '../../../src/core/model';
import { type Plan, PlanBook } from '../../../src/core/plans';
import { NO_DEADLINE } from '../../../src/core/sla/nearest';
import { SlaPolicy } from '../../../src/core/sla/policy';
import { TicketService } from '../../../src/core/tickets';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';

const config = loadConfig({ GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config') });
const at = (iso: string) => Date.parse(`${iso}:00+08:00`);
const person = (id: string, role: Person['role']): Person => ({ id, name: id, role, createdAt: 0 });
const alice = person('alice', 'subscriber');
const bob = person('bob', 'engineer');
const basic = config.plans.plans.find((p) => p.id === 'basic')!;
const plan: Plan = {
  ...basic,
  id: 'cn',
  firstResponseHours: 2,
  nextResponseHours: 2,
  resolutionHours: 8,
  priorityFactors: { p1: 0.5 },
  calendar: 'cn-workdays',
};
const REOPEN_MS = 7 * 86_400_000;

describe('next-response and resolution clocks on a business calendar', () => {
  let store: SqliteStore;
  let clock: ManualClock;
  let tickets: TicketService;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    clock = new ManualClock(0);
    const book = new PlanBook({ ...config.plans, plans: [...config.plans.plans, plan] });
    tickets = new TicketService(store, clock, new SlaPolicy(config.calendars, book));
  });
  afterEach(() => store.close());

  async function open(iso: string): Promise<Ticket> {
    clock.set(at(iso));
    const { ticket } = await tickets.open({
      customerId: 'acme',
      requester: alice,
      plan,
      platform: 'console',
      chatId: 'acme',
      sourceKey: 'console::acme:1',
      text: 'the importer drops rows',
      category: 'consultation',
    });
    return ticket;
  }
  const customer = (t: Ticket, iso: string) => {
    clock.set(at(iso));
    return tickets.customerMessage(t, alice, 'still broken', plan, REOPEN_MS);
  };
  const staff = (t: Ticket, iso: string) => {
    clock.set(at(iso));
    return tickets.staffReply(t, bob, 'try this');
  };

  it('follows ask → answer → follow-up → answer → wait → reopen, moving each deadline', async () => {
    let t = await open('2026-11-23T09:00'); // Monday
    expect(t.dueAt).toBe(at('2026-11-23T11:00'));
    // 7.5 working hours on Monday, the last half hour on Tuesday
    expect(t.resolutionDueAt).toBe(at('2026-11-24T09:30'));
    expect(t.nextResponseDueAt).toBeUndefined();
    expect(t.nearestDueAt).toBe(at('2026-11-23T11:00')); // the queue's key: the nearest running deadline

    t = await staff(t, '2026-11-23T10:00');
    expect(t.nearestDueAt).toBe(at('2026-11-24T09:30')); // first response given: resolution is next
    expect(t.nextResponseDueAt).toBeUndefined(); // the first answer is the first-response clock's
    t = await customer(t, '2026-11-23T11:00');
    expect(t.nextResponseDueAt).toBe(at('2026-11-23T14:30')); // 1 h before lunch, 1 h after
    expect(t.nearestDueAt).toBe(at('2026-11-23T14:30'));
    t = await customer(t, '2026-11-23T11:30');
    expect(t.nextResponseDueAt).toBe(at('2026-11-23T14:30')); // a second message does not restart it
    t = await staff(t, '2026-11-23T14:00');
    expect(t.nextResponseDueAt).toBeUndefined();

    clock.set(at('2026-11-23T15:00'));
    t = await tickets.waitOnCustomer(t, bob);
    expect(t.nearestDueAt).toBe(NO_DEADLINE); // paused: last in the queue
    t = await customer(t, '2026-11-24T10:00');
    // paused Mon 15:00–18:00 and Tue 09:00–10:00: 4 working hours later than Tue 09:30
    expect(t.resolutionDueAt).toBe(at('2026-11-24T15:00'));
    // 2 working hours from 10:00 run out at 12:00, the start of lunch: due when work resumes
    expect(t.nextResponseDueAt).toBe(at('2026-11-24T13:30'));

    clock.set(at('2026-11-24T11:00'));
    t = await tickets.resolve(t, bob, 'fixed in 2.3.1', plan);
    expect(t.nextResponseDueAt).toBeUndefined();
    expect(t.resolutionDueAt).toBe(at('2026-11-24T15:00')); // kept for the report
    expect(t.nearestDueAt).toBeUndefined(); // out of the queue

    t = await customer(t, '2026-11-25T09:00'); // reopens
    expect(t.status).toBe('claimed');
    // resolved Tue 11:00–Wed 09:00 = 5.5 working hours: Tue 15:00 → Wed 11:30
    expect(t.resolutionDueAt).toBe(at('2026-11-25T11:30'));
    expect(t.nextResponseDueAt).toBe(at('2026-11-25T11:00'));
    expect(await store.getTicket(t.number)).toStrictEqual(t);
  });

  it('a priority change mid-window moves the running deadlines by the working time used', async () => {
    let t = await open('2026-11-23T09:00');
    clock.set(at('2026-11-23T09:30'));
    t = await tickets.setPriority(t, bob, 'p1', plan);
    expect(t.dueAt).toBe(at('2026-11-23T10:00')); // a 1 h window, half an hour used
    expect(t.resolutionDueAt).toBe(at('2026-11-23T14:30')); // 4 h, 0.5 h used: 2.5 h before lunch, 1 h after
    clock.set(at('2026-11-23T09:45'));
    t = await tickets.setPriority(t, bob, 'p2', plan);
    expect(t.dueAt).toBe(at('2026-11-23T11:00')); // back to the 2 h window from 09:00
    expect(t.resolutionDueAt).toBe(at('2026-11-24T09:30'));
  });

  it('a priority change without the plan leaves the deadlines alone', async () => {
    const t = await open('2026-11-23T09:00');
    clock.set(at('2026-11-23T09:30'));
    const changed = await tickets.setPriority(t, bob, 'p1');
    expect(changed.dueAt).toBe(t.dueAt);
  });

  it('a plan without next-response or resolution targets sets no such deadline', async () => {
    const { nextResponseHours, resolutionHours, ...plain } = plan;
    clock.set(at('2026-11-23T09:00'));
    const { ticket } = await tickets.open({
      customerId: 'acme',
      requester: alice,
      plan: { ...plain, nextResponseHours: null },
      platform: 'console',
      chatId: 'acme',
      sourceKey: 'console::acme:2',
      text: 'hello',
      category: 'consultation',
    });
    expect(ticket.resolutionDueAt).toBeUndefined();
    const answered = await staff(ticket, '2026-11-23T10:00');
    clock.set(at('2026-11-23T11:00'));
    const again = await tickets.customerMessage(
      answered,
      alice,
      'more',
      { ...plain, nextResponseHours: null },
      0,
    );
    expect(again.nextResponseDueAt).toBeUndefined();
  });
});
