/** Contract: ticket creation, numbering, compare-and-set updates, events and lookups. */
import type { Ticket } from '../../src/core/model';
import {
  create,
  event,
  expectStoreError,
  HOUR,
  newTicket,
  type StoreContext,
  seed,
  T0,
} from './store.fixtures';

export function describeTicketContract({ store }: StoreContext): void {
  beforeEach(() => seed(store()));

  describe('ticket creation', () => {
    it('numbers tickets from #1001, one after another', async () => {
      const numbers = [];
      for (let i = 0; i < 3; i += 1) numbers.push((await create(store())).number);
      expect(numbers).toEqual([1001, 1002, 1003]);
    });

    it('stores exactly the ticket given, with its first event (absent fields stay absent)', async () => {
      const input = newTicket();
      const first = event({ text: 'help ✋ 帮帮忙' });
      const { ticket, created } = await store().createTicket(input, first);
      expect(created).toBe(true);
      expect(ticket).toStrictEqual({ ...input, number: ticket.number, version: ticket.version });
      expect(typeof ticket.version).toBe('number');
      expect(await store().getTicket(ticket.number)).toStrictEqual(ticket);
      for (const key of [
        'threadId',
        'assigneeId',
        'firstResponseAt',
        'pausedAt',
        'resolvedAt',
        'closedAt',
        'nextResponseDueAt',
        'resolutionDueAt',
        'nextResponseSince',
      ]) {
        expect(key in ticket).toBe(false);
      }
      expect(await store().listEvents(ticket.number)).toStrictEqual([
        { ...first, ticketNumber: ticket.number },
      ]);
    });

    it('round-trips every optional field', async () => {
      const input = newTicket({
        threadId: '1712345.000100',
        assigneeId: 'bob',
        status: 'claimed',
        priority: 'p1',
        category: 'performance',
        firstResponseAt: T0 + HOUR,
        pausedAt: T0 + 2 * HOUR,
        resolvedAt: T0 + 3 * HOUR,
        closedAt: T0 + 4 * HOUR,
        nextResponseDueAt: T0 + 5 * HOUR,
        resolutionDueAt: T0 + 6 * HOUR,
        nextResponseSince: T0 + 4 * HOUR,
      });
      const { ticket } = await store().createTicket(input, event());
      expect(await store().getTicket(ticket.number)).toStrictEqual({
        ...input,
        number: 1001,
        version: ticket.version,
      });
    });

    it('returns the existing ticket for a sourceKey seen before, without a second event', async () => {
      const input = newTicket({ sourceKey: 'slack::redelivered' });
      const first = await store().createTicket(input, event());
      const again = await store().createTicket({ ...input, subject: 'changed' }, event({ text: 'again' }));
      expect(again).toStrictEqual({ ticket: first.ticket, created: false });
      expect(await store().listEvents(first.ticket.number)).toHaveLength(1);
    });

    it('allocates 200 distinct consecutive numbers to 200 concurrent creations', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, () => store().createTicket(newTicket(), event())),
      );
      const numbers = results.map((r) => r.ticket.number).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(200);
      expect(numbers[0]).toBe(1001);
      expect(numbers[199]).toBe(1200);
    });

    it('creates one ticket from one message delivered many times at once', async () => {
      const input = newTicket({ sourceKey: 'qq:1:dup' });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store().createTicket(input, event())),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.ticket.number)).size).toBe(1);
      expect(await store().listEvents(results[0]!.ticket.number)).toHaveLength(1);
    });

    it('refuses invalid values and stores nothing half-way', async () => {
      const bad = newTicket({ status: 'bogus' as Ticket['status'] });
      await expectStoreError(store().createTicket(bad, event()), 'STORE_INVALID_VALUE');
      await expectStoreError(
        store().createTicket(newTicket({ subject: 'a\u0000b' }), event()),
        'STORE_INVALID_VALUE',
      );
      const badEvent = event({ kind: 'shout' as never });
      await expectStoreError(
        store().createTicket(newTicket({ sourceKey: 'k' }), badEvent),
        'STORE_INVALID_VALUE',
      );
      expect(await store().getTicket(1001)).toBeUndefined();
      expect((await store().createTicket(newTicket({ sourceKey: 'k' }), event())).created).toBe(true);
    });

    it('keeps a 1 MB subject and control characters exactly', async () => {
      const subject = `${'长'.repeat(500_000)}\u0007\t\r\n\u202e`;
      const { ticket } = await store().createTicket(newTicket({ subject }), event({ text: subject }));
      expect((await store().getTicket(ticket.number))?.subject).toBe(subject);
      expect((await store().listEvents(ticket.number))[0]?.text).toBe(subject);
    });
  });

  describe('ticket updates', () => {
    it('applies a patch, bumps the version and appends the events in order', async () => {
      const t = await create(store());
      const events = [
        event({ at: T0 + 10, kind: 'assignment', actorId: 'bob', text: undefined, to: 'bob' }),
        event({
          at: T0 + 10,
          kind: 'status_change',
          actorId: 'bob',
          text: undefined,
          from: 'open',
          to: 'claimed',
        }),
      ];
      const updated = await store().updateTicket(
        t.number,
        t.version,
        { status: 'claimed', assigneeId: 'bob', updatedAt: T0 + 10 },
        events,
      );
      expect(updated).toStrictEqual({
        ...t,
        status: 'claimed',
        assigneeId: 'bob',
        updatedAt: T0 + 10,
        version: t.version + 1,
      });
      expect(await store().getTicket(t.number)).toStrictEqual(updated);
      const stored = await store().listEvents(t.number);
      expect(stored.slice(1)).toStrictEqual(events.map((e) => ({ ...e, ticketNumber: t.number })));
      expect('text' in stored[1]! || 'from' in stored[1]!).toBe(false);
    });

    it('lets exactly one of two updates from the same version win', async () => {
      const t = await create(store());
      const [a, b] = await Promise.all([
        store().updateTicket(t.number, t.version, { assigneeId: 'bob', updatedAt: T0 + 1 }, [
          event({ kind: 'assignment', to: 'bob' }),
        ]),
        store().updateTicket(t.number, t.version, { assigneeId: 'eve', updatedAt: T0 + 2 }, [
          event({ kind: 'assignment', to: 'eve' }),
        ]),
      ]);
      expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
      const winner = (a ?? b)!;
      expect(await store().getTicket(t.number)).toStrictEqual(winner);
      const assignments = (await store().listEvents(t.number)).filter((e) => e.kind === 'assignment');
      expect(assignments.map((e) => e.to)).toEqual([winner.assigneeId]);
    });

    it('refuses a stale version or an unknown ticket and changes nothing', async () => {
      const t = await create(store());
      const next = await store().updateTicket(t.number, t.version, { priority: 'p1', updatedAt: T0 + 1 }, []);
      expect(next?.version).toBe(t.version + 1);
      expect(
        await store().updateTicket(t.number, t.version, { priority: 'p3', updatedAt: T0 + 2 }, [event()]),
      ).toBeUndefined();
      expect(await store().getTicket(t.number)).toStrictEqual(next);
      expect(await store().listEvents(t.number)).toHaveLength(1);
      expect(await store().updateTicket(4242, 1, { updatedAt: T0 }, [])).toBeUndefined();
    });

    it('clears a field given null and leaves absent fields alone', async () => {
      const t = await create(store(), {
        assigneeId: 'bob',
        pausedAt: T0 + 1,
        resolvedAt: T0 + 2,
        closedAt: T0 + 3,
        nextResponseDueAt: T0 + 4,
        resolutionDueAt: T0 + 4,
        threadId: 'th-1',
      });
      const cleared = await store().updateTicket(
        t.number,
        t.version,
        {
          assigneeId: null,
          dueAt: null,
          pausedAt: null,
          resolvedAt: null,
          closedAt: null,
          nextResponseDueAt: null,
          resolutionDueAt: null,
          updatedAt: T0 + 5,
        },
        [],
      );
      for (const key of [
        'assigneeId',
        'dueAt',
        'pausedAt',
        'resolvedAt',
        'closedAt',
        'nextResponseDueAt',
        'resolutionDueAt',
      ]) {
        expect(cleared !== undefined && key in cleared).toBe(false);
      }
      const {
        assigneeId,
        dueAt,
        pausedAt,
        resolvedAt,
        closedAt,
        nextResponseDueAt,
        resolutionDueAt,
        ...kept
      } = t;
      expect(await store().getTicket(t.number)).toStrictEqual({
        ...kept,
        updatedAt: T0 + 5,
        version: t.version + 1,
      });
      const set = await store().updateTicket(
        t.number,
        t.version + 1,
        {
          dueAt: T0 + 9,
          firstResponseAt: T0 + 6,
          lastCustomerAt: T0 + 7,
          threadId: 'th-2',
          nextResponseDueAt: T0 + 10,
          resolutionDueAt: T0 + 11,
          nextResponseSince: T0 + 7,
          updatedAt: T0 + 8,
        },
        [],
      );
      expect(set).toMatchObject({
        nextResponseDueAt: T0 + 10,
        nextResponseSince: T0 + 7,
        resolutionDueAt: T0 + 11,
        dueAt: T0 + 9,
        firstResponseAt: T0 + 6,
        lastCustomerAt: T0 + 7,
        threadId: 'th-2',
      });
    });

    it('refuses a patch value of the wrong type', async () => {
      const t = await create(store());
      const patch = { status: { $ne: 'closed' }, updatedAt: T0 } as never;
      await expectStoreError(store().updateTicket(t.number, t.version, patch, []), 'STORE_INVALID_VALUE');
      expect(await store().getTicket(t.number)).toStrictEqual(t);
    });
  });

  describe('events', () => {
    it('appends events in time order; unknown tickets have none', async () => {
      const t = await create(store());
      await store().addEvent(
        t.number,
        event({ at: T0 + 20, kind: 'internal_note', actorId: 'bob', text: 'dup of #9' }),
      );
      await store().addEvent(
        t.number,
        event({ at: T0 + 10, kind: 'staff_reply', actorId: 'bob', text: 'On it' }),
      );
      await store().addEvent(
        t.number,
        event({ at: T0 + 30, kind: 'reminder_sent', actorId: 'system', to: '50%' }),
      );
      const kinds = (await store().listEvents(t.number)).map((e) => e.kind);
      expect(kinds).toEqual(['customer_message', 'staff_reply', 'internal_note', 'reminder_sent']);
      expect(await store().listEvents(999_999)).toEqual([]);
    });

    it('keeps an upstream link event whole (owner/repo#N in `to`, title and address in `text`)', async () => {
      const t = await create(store());
      const link = event({
        at: T0 + 5,
        kind: 'upstream_link',
        actorId: 'bob',
        to: 'acme-oss/framework#123',
        text: 'Crash on start https://github.com/acme-oss/framework/issues/123',
      });
      await store().addEvent(t.number, link);
      const events = await store().listEvents(t.number);
      expect(events.find((e) => e.kind === 'upstream_link')).toStrictEqual({
        ...link,
        ticketNumber: t.number,
      });
    });

    it('refuses an event for a ticket that does not exist', async () => {
      await expectStoreError(store().addEvent(999_999, event()), 'STORE_MISSING_REFERENCE');
    });
  });

  describe('threads and message links', () => {
    it('finds a ticket by its thread, including one set by a later update', async () => {
      const a = await create(store(), { threadId: '111.1' });
      const b = await create(store());
      expect(await store().findTicketByThread('slack', 'C-ACME', '111.1')).toStrictEqual(a);
      expect(await store().findTicketByThread('slack', 'C-OTHER', '111.1')).toBeUndefined();
      expect(await store().findTicketByThread('discord', 'C-ACME', '111.1')).toBeUndefined();
      const moved = await store().updateTicket(
        b.number,
        b.version,
        { threadId: '222.2', updatedAt: T0 + 1 },
        [],
      );
      expect(await store().findTicketByThread('slack', 'C-ACME', '222.2')).toStrictEqual(moved);
    });

    it('links platform messages to tickets and re-points a link', async () => {
      const a = await create(store());
      const b = await create(store());
      await store().linkMessage({
        platform: 'slack',
        chatId: 'C-ACME',
        messageId: 'M-1',
        ticketNumber: a.number,
      });
      expect(await store().findTicketByMessage('slack', 'C-ACME', 'M-1')).toStrictEqual(a);
      expect(await store().findTicketByMessage('slack', 'C-GLOBEX', 'M-1')).toBeUndefined();
      await store().linkMessage({
        platform: 'slack',
        chatId: 'C-ACME',
        messageId: 'M-1',
        ticketNumber: b.number,
      });
      expect((await store().findTicketByMessage('slack', 'C-ACME', 'M-1'))?.number).toBe(b.number);
    });

    it('refuses a link to a ticket that does not exist', async () => {
      const link = { platform: 'slack', chatId: 'C-ACME', messageId: 'M-9', ticketNumber: 999_999 } as const;
      await expectStoreError(store().linkMessage(link), 'STORE_MISSING_REFERENCE');
      expect(await store().findTicketByMessage('slack', 'C-ACME', 'M-9')).toBeUndefined();
    });
  });
}
