/** Contract: ticket queries (filters, queue order, limits), latestTicketOf, export, unknown ids. */
import { isMacroStore } from '../../src/core/macros';
import type { ExportRecord } from '../../src/core/ports';
import {
  collect,
  create,
  customer,
  event,
  expectStoreError,
  group,
  HOUR,
  identity,
  person,
  type StoreContext,
  seed,
  subscription,
  T0,
} from './store.fixtures';

export function describeQueryContract({ store }: StoreContext): void {
  beforeEach(() => seed(store()));

  describe('queryTickets', () => {
    it('orders by priority, then deadline with none last, then number', async () => {
      const late = await create(store(), { priority: 'p2', dueAt: T0 + 9 * HOUR });
      const none = await create(store(), { priority: 'p2', dueAt: undefined });
      const soon = await create(store(), { priority: 'p2', dueAt: T0 + 1 * HOUR });
      const urgent = await create(store(), { priority: 'p1', dueAt: T0 + 20 * HOUR });
      const low = await create(store(), { priority: 'p3', dueAt: T0 });
      const tie = await create(store(), { priority: 'p2', dueAt: T0 + 1 * HOUR });
      const noneToo = await create(store(), { priority: 'p1' });
      const order = (await store().queryTickets({})).map((t) => t.number);
      expect(order).toEqual([urgent, noneToo, soon, tie, late, none, low].map((t) => t.number));
    });

    it('orders the queue by the nearest deadline of any promise; past ones by `nearestDueBefore`', async () => {
      // Keys as TicketService writes them (src/core/sla/nearest.ts): a next-reply or a
      // resolution deadline counts as much as a first-response one.
      const NONE = Number.MAX_SAFE_INTEGER;
      const firstLate = await create(store(), {
        priority: 'p2',
        dueAt: T0 + 9 * HOUR,
        nearestDueAt: T0 + 9 * HOUR,
      });
      const nextSoon = await create(store(), {
        priority: 'p2',
        status: 'claimed',
        dueAt: T0 - 50 * HOUR,
        firstResponseAt: T0 - 60 * HOUR,
        nextResponseDueAt: T0 + 2 * HOUR,
        nearestDueAt: T0 + 2 * HOUR,
      });
      const resolutionPast = await create(store(), {
        priority: 'p2',
        resolutionDueAt: T0 - HOUR,
        nearestDueAt: T0 - HOUR,
      });
      const waiting = await create(store(), {
        priority: 'p2',
        status: 'waiting_on_customer',
        nearestDueAt: NONE,
      });
      const urgent = await create(store(), { priority: 'p1', nearestDueAt: T0 + 30 * HOUR });
      const tie = await create(store(), { priority: 'p2', nearestDueAt: T0 + 2 * HOUR });
      await create(store(), { priority: 'p1', status: 'resolved', nearestDueAt: undefined });
      await create(store(), { priority: 'p2', status: 'closed', dueAt: T0 });
      const numbers = async (query: Parameters<ReturnType<typeof store>['queryTickets']>[0]) =>
        (await store().queryTickets(query)).map((t) => t.number);
      expect(await numbers({ order: 'deadline' })).toEqual(
        [urgent, resolutionPast, nextSoon, tie, firstLate, waiting].map((t) => t.number),
      );
      expect(await numbers({ order: 'deadline', limit: 2 })).toEqual([urgent.number, resolutionPast.number]);
      expect(await numbers({ nearestDueBefore: T0 + 2 * HOUR + 1 })).toEqual(
        [resolutionPast, nextSoon, tie].map((t) => t.number),
      );
      expect(await numbers({ nearestDueBefore: T0 })).toEqual([resolutionPast.number]);
      expect(await numbers({ order: 'deadline', customerId: 'globex' })).toEqual([]);
      expect(await numbers({ order: 'deadline', statuses: ['waiting_on_customer'] })).toEqual([
        waiting.number,
      ]);
      await expectStoreError(store().queryTickets({ order: 'soonest' as 'deadline' }), 'STORE_INVALID_VALUE');
    });

    it('filters by customer, requester, assignee, statuses and creation time, combined with AND', async () => {
      const a = await create(store(), { createdAt: T0 });
      const b = await create(store(), { createdAt: T0 + HOUR, assigneeId: 'bob', status: 'claimed' });
      const c = await create(store(), {
        createdAt: T0 + 2 * HOUR,
        customerId: 'globex',
        requesterId: 'erin',
        chatId: 'C-GLOBEX',
        status: 'waiting_on_customer',
        assigneeId: 'bob',
      });
      const d = await create(store(), { createdAt: T0 + 3 * HOUR, status: 'closed' });
      const numbers = async (query: Parameters<ReturnType<typeof store>['queryTickets']>[0]) =>
        (await store().queryTickets(query)).map((t) => t.number).sort();
      expect(await numbers({ customerId: 'acme' })).toEqual([a.number, b.number, d.number]);
      expect(await numbers({ requesterId: 'erin' })).toEqual([c.number]);
      expect(await numbers({ assigneeId: 'bob' })).toEqual([b.number, c.number]);
      expect(await numbers({ statuses: ['open', 'claimed', 'waiting_on_customer'] })).toEqual([
        a.number,
        b.number,
        c.number,
      ]);
      expect(await numbers({ statuses: ['closed', 'closed'] })).toEqual([d.number]);
      expect(await numbers({ statuses: [] })).toEqual([]);
      expect(await numbers({ createdSince: T0 + HOUR })).toEqual([b.number, c.number, d.number]);
      expect(await numbers({ customerId: 'acme', assigneeId: 'bob', statuses: ['claimed'] })).toEqual([
        b.number,
      ]);
      expect(await numbers({ customerId: 'nobody' })).toEqual([]);
    });

    it('filters by plan, priorities and a literal subject text (the console search), with the others', async () => {
      const a = await create(store(), { plan: 'basic', priority: 'p2', subject: 'Build fails on Node 20' });
      const b = await create(store(), {
        plan: 'enterprise',
        priority: 'p1',
        subject: 'payroll export: 100% CPU',
      });
      const c = await create(store(), {
        plan: 'enterprise',
        priority: 'p3',
        subject: 'a_b node (x.*) \\ slash',
      });
      const numbers = async (query: Parameters<ReturnType<typeof store>['queryTickets']>[0]) =>
        (await store().queryTickets(query)).map((t) => t.number).sort();
      expect(await numbers({ plan: 'enterprise' })).toEqual([b.number, c.number]);
      expect(await numbers({ priorities: ['p1', 'p3', 'p1'] })).toEqual([b.number, c.number]);
      expect(await numbers({ priorities: [] })).toEqual([]);
      expect(await numbers({ plan: 'enterprise', priorities: ['p3'] })).toEqual([c.number]);
      expect(await numbers({ subjectContains: 'NODE' })).toEqual([a.number, c.number]);
      // Wildcards and regex characters are literal text, not patterns.
      expect(await numbers({ subjectContains: '100%' })).toEqual([b.number]);
      expect(await numbers({ subjectContains: '%' })).toEqual([b.number]);
      expect(await numbers({ subjectContains: 'a_b' })).toEqual([c.number]);
      expect(await numbers({ subjectContains: '_' })).toEqual([c.number]);
      expect(await numbers({ subjectContains: '(x.*)' })).toEqual([c.number]);
      expect(await numbers({ subjectContains: '.*' })).toEqual([c.number]);
      expect(await numbers({ subjectContains: '\\' })).toEqual([c.number]);
      expect(await numbers({ subjectContains: 'node', customerId: 'globex' })).toEqual([]);
      await expect(store().queryTickets({ priorities: ['p9' as 'p1'] })).rejects.toThrow();
      await expect(store().queryTickets({ subjectContains: 'x'.repeat(201) })).rejects.toThrow();
    });

    it('dueBefore returns only tickets still awaiting a first response whose deadline is earlier', async () => {
      const due = await create(store(), { dueAt: T0 + HOUR });
      await create(store(), { dueAt: T0 + HOUR, firstResponseAt: T0 + 30 });
      await create(store(), { dueAt: T0 + 5 * HOUR });
      await create(store(), { dueAt: undefined });
      const boundary = await create(store(), { dueAt: T0 + 2 * HOUR });
      expect((await store().queryTickets({ dueBefore: T0 + 2 * HOUR })).map((t) => t.number)).toEqual([
        due.number,
      ]);
      const responded = await store().updateTicket(
        due.number,
        due.version,
        { firstResponseAt: T0 + 40, updatedAt: T0 + 40 },
        [],
      );
      expect(responded).toBeDefined();
      expect(await store().queryTickets({ dueBefore: T0 + 2 * HOUR })).toEqual([]);
      expect((await store().queryTickets({ dueBefore: T0 + 2 * HOUR + 1 })).map((t) => t.number)).toEqual([
        boundary.number,
      ]);
    });

    it('returns 50 by default and at most 500', async () => {
      for (let i = 0; i < 505; i += 1) await store().createTicket(newTicketAt(i), event());
      expect(await store().queryTickets({})).toHaveLength(50);
      expect(await store().queryTickets({ limit: 3 })).toHaveLength(3);
      expect(await store().queryTickets({ limit: 10_000 })).toHaveLength(500);
    });
  });

  describe('latestTicketOf', () => {
    it('is the requester’s most recently active ticket in that chat that is not closed', async () => {
      const older = await create(store(), { lastCustomerAt: T0 + 5 * HOUR });
      await create(store(), { lastCustomerAt: T0 + 1 * HOUR });
      await create(store(), { lastCustomerAt: T0 + 9 * HOUR, status: 'closed' });
      await create(store(), { lastCustomerAt: T0 + 9 * HOUR, chatId: 'C-OTHER' });
      await create(store(), { lastCustomerAt: T0 + 9 * HOUR, requesterId: 'amy' });
      expect(await store().latestTicketOf('alice', 'slack', 'C-ACME')).toStrictEqual(older);
      const resolved = await create(store(), { lastCustomerAt: T0 + 6 * HOUR, status: 'resolved' });
      expect(await store().latestTicketOf('alice', 'slack', 'C-ACME')).toStrictEqual(resolved);
      expect(await store().latestTicketOf('alice', 'discord', 'C-ACME')).toBeUndefined();
      expect(await store().latestTicketOf('nobody', 'slack', 'C-ACME')).toBeUndefined();
    });
  });

  describe('exportAll', () => {
    it('streams every record, kinds in their stable order, equal to what the getters return', async () => {
      await store().putSubscription(subscription());
      await store().putIdentity(identity());
      await store().putGroup({
        platform: 'qq',
        chatId: 'community',
        kind: 'community',
        autoMode: true,
        boundAt: T0,
      });
      const a = await create(store(), { threadId: 'th' });
      const b = await create(store(), { priority: 'p1', dueAt: undefined });
      await store().addEvent(a.number, event({ at: T0 + 1, kind: 'internal_note', actorId: 'bob' }));
      await store().linkMessage({
        platform: 'slack',
        chatId: 'C-ACME',
        messageId: 'M-1',
        ticketNumber: b.number,
      });

      const macros = store();
      if (!isMacroStore(macros)) throw new Error('this store keeps no saved replies');
      await macros.putMacro({
        name: 'restart',
        locale: 'zh-CN',
        text: '请重启。',
        updatedBy: 'mgr',
        updatedAt: T0,
      });
      await macros.putMacro({
        name: 'docs',
        locale: 'en',
        text: 'See the docs.',
        updatedBy: 'mgr',
        updatedAt: T0,
      });

      const records = await collect(store().exportAll());
      const kinds = records.map((r) => r.kind);
      const order: ExportRecord['kind'][] = [
        'customer',
        'subscription',
        'person',
        'identity',
        'group',
        'ticket',
        'event',
        'message_link',
        'macro',
      ];
      expect(kinds).toEqual([...kinds].sort((x, y) => order.indexOf(x) - order.indexOf(y)));
      const of = (kind: ExportRecord['kind']) => records.filter((r) => r.kind === kind).map((r) => r.record);
      const byKey = (key: string) => (x: object, y: object) =>
        String((x as Record<string, unknown>)[key]).localeCompare(
          String((y as Record<string, unknown>)[key]),
        );
      expect(of('customer').sort(byKey('id'))).toStrictEqual(await store().listCustomers());
      expect(of('subscription')).toStrictEqual([subscription()]);
      expect(of('person').sort(byKey('id'))).toStrictEqual(await store().listPeople({}));
      expect(of('identity')).toStrictEqual([identity()]);
      expect(of('group')).toHaveLength(2);
      expect(of('group')).toContainEqual(group());
      expect(of('ticket')).toStrictEqual([a, b]);
      expect(of('event')).toStrictEqual([
        ...(await store().listEvents(a.number)),
        ...(await store().listEvents(b.number)),
      ]);
      expect(of('message_link')).toStrictEqual([
        { platform: 'slack', chatId: 'C-ACME', messageId: 'M-1', ticketNumber: b.number },
      ]);
      // Saved replies too (by name, then locale), or a migration would leave them behind.
      expect(of('macro')).toStrictEqual(await macros.listMacros());
      expect(of('macro').map((m) => (m as { name: string }).name)).toEqual(['docs', 'restart']);
    });
  });

  describe('unknown ids', () => {
    it('answer undefined or an empty list, never an error', async () => {
      expect(await store().getCustomer('nope')).toBeUndefined();
      expect(await store().listSubscriptions('nope')).toEqual([]);
      expect(await store().getPerson('nope')).toBeUndefined();
      expect(await store().findPersonByIdentity('wechat', 'nope')).toBeUndefined();
      expect(await store().listIdentities('nope')).toEqual([]);
      expect(await store().getGroup('qq', 'nope')).toBeUndefined();
      expect(await store().getTicket(1)).toBeUndefined();
      expect(await store().getTicket(-5)).toBeUndefined();
      expect(await store().findTicketByThread('slack', 'C-ACME', 'nope')).toBeUndefined();
      expect(await store().findTicketByMessage('slack', 'C-ACME', 'nope')).toBeUndefined();
      expect(await store().latestTicketOf('nope', 'slack', 'C-ACME')).toBeUndefined();
      expect(await store().listEvents(1)).toEqual([]);
      expect(await store().getCustomer('$where')).toBeUndefined();
      expect(await store().getCustomer('{"$ne":null}')).toBeUndefined();
    });

    it('refuses an id of the wrong type instead of reading it as a query', async () => {
      await expectStoreError(store().getCustomer({ $ne: null } as never), 'STORE_INVALID_VALUE');
      await expectStoreError(store().getTicket('1001' as never), 'STORE_INVALID_VALUE');
    });
  });

  describe('lifecycle', () => {
    it('rejects calls after close; close is idempotent', async () => {
      await store().putCustomer(customer({ id: 'x' }));
      await store().close();
      await store().close();
      await expectStoreError(store().getCustomer('x'), 'STORE_CLOSED');
      await expectStoreError(store().putPerson(person()), 'STORE_CLOSED');
    });
  });
}

/** 505 tickets need distinct deadlines only to keep the order deterministic. */
function newTicketAt(i: number) {
  return {
    customerId: 'acme',
    requesterId: 'alice',
    platform: 'console' as const,
    chatId: 'acme',
    sourceKey: `console::bulk-${i}`,
    category: 'consultation' as const,
    priority: 'p3' as const,
    status: 'open' as const,
    subject: `bulk ${i}`,
    plan: 'basic',
    createdAt: T0,
    updatedAt: T0,
    lastCustomerAt: T0,
    dueAt: T0 + i,
  };
}
