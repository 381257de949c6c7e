/**
 * Business-calendar deadlines through TicketService with the policy createDesk uses:
 * a plan on cn-workdays counts working hours only (lunch break, weekends, public
 * holidays) and counts make-up Saturdays (调休); pauses push the deadline by the working
 * time they took. A plan without a calendar keeps counting calendar hours.
 */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { ManualClock } from '../../../src/core/clock';
import type { Person } from '../../../src/core/model';
import { type Plan, PlanBook } from '../../../src/core/plans';
import { SlaPolicy } from '../../../src/core/sla/policy';
import { TicketService } from '../../../src/core/tickets';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';

const config = loadConfig({ GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config') });
const at = (iso: string) => Date.parse(iso);
const person = (id: string, role: Person['role']): Person => ({ id, name: id, role, createdAt: 0 });
const alice = person('alice', 'subscriber');
const bob = person('bob', 'engineer');

describe('deadlines on a business calendar, through TicketService', () => {
  let store: SqliteStore;
  let clock: ManualClock;
  let tickets: TicketService;
  let book: PlanBook;
  let sources = 0;

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    clock = new ManualClock(0);
    const basic = config.plans.plans.find((p) => p.id === 'basic')!;
    const onCalendar = (id: string, hours: number): Plan => ({
      ...basic,
      id,
      firstResponseHours: hours,
      calendar: 'cn-workdays',
    });
    book = new PlanBook({
      ...config.plans,
      plans: [
        ...config.plans.plans,
        onCalendar('cn1', 1),
        onCalendar('cn2', 2),
        onCalendar('cn5', 5),
        onCalendar('cn8', 8),
      ],
    });
    tickets = new TicketService(store, clock, new SlaPolicy(config.calendars, book));
  });
  afterEach(() => store.close());

  async function open(planId: string, iso: string) {
    clock.set(at(iso));
    const { ticket } = await tickets.open({
      customerId: 'acme',
      requester: alice,
      plan: book.get(planId)!,
      platform: 'console',
      chatId: 'acme',
      sourceKey: `console::acme:${++sources}`,
      text: 'the importer drops rows',
      category: 'consultation',
    });
    return ticket;
  }

  it('skips the lunch break: 2 working hours from 11:00 are due at 14:30', async () => {
    expect((await open('cn2', '2026-11-23T11:00:00+08:00')).dueAt).toBe(at('2026-11-23T14:30:00+08:00'));
  });

  it('a deadline that would fall on the lunch break is due when work resumes, 13:30', async () => {
    expect((await open('cn1', '2026-11-23T11:00:00+08:00')).dueAt).toBe(at('2026-11-23T13:30:00+08:00'));
  });

  it('skips the National Day holidays', async () => {
    // Wednesday 17:00: 1 h that day, 1–7 October off, Thursday 8 October 09:00–12:00 and 13:30–17:30.
    expect((await open('cn8', '2026-09-30T17:00:00+08:00')).dueAt).toBe(at('2026-10-08T17:30:00+08:00'));
  });

  it('counts the make-up Saturday after them', async () => {
    // Friday 9 October 17:00: 1 h that day, then Saturday 10 October is a working day (调休).
    expect((await open('cn5', '2026-10-09T17:00:00+08:00')).dueAt).toBe(at('2026-10-10T14:30:00+08:00'));
  });

  it('a pause over the weekend pushes the deadline by the working time it took', async () => {
    const ticket = await open('cn8', '2026-11-27T16:00:00+08:00'); // Friday
    expect(ticket.dueAt).toBe(at('2026-11-30T16:30:00+08:00'));
    const claimed = await tickets.claim(ticket, bob);
    clock.set(at('2026-11-27T17:00:00+08:00'));
    const waiting = await tickets.waitOnCustomer(claimed, bob);
    clock.set(at('2026-11-30T10:00:00+08:00')); // Monday: 2 working hours (Fri 17–18, Mon 9–10) paused
    const resumed = await tickets.customerMessage(waiting, alice, 'here is the log', book.get('cn8')!, 0);
    expect(resumed.dueAt).toBe(at('2026-12-01T09:30:00+08:00'));
  });

  it('a plan without a calendar counts calendar hours, nights and weekends included', async () => {
    expect((await open('basic', '2026-11-27T16:00:00+08:00')).dueAt).toBe(at('2026-11-28T16:00:00+08:00'));
  });
});
