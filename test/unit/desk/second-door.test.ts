/**
 * The desk layer used as a second door would use it (the web console, a tracker webhook):
 * no router, no chat turn — the same rules, results and typed refusals, and the same
 * notices through the one notifier. Real SQLite file, real services from createDesk.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { createDesk } from '../../../src/app';
import type { OutboundMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import { UserError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import { seedDemo } from '../../../src/demo';
import { followUp, openTicket, referencedTicket } from '../../../src/desk/intake';
import { visibleTicket } from '../../../src/desk/visibility';
import { openSqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { START, tempDir } from '../../e2e/harness';

async function desk() {
  const dir = tempDir();
  const sent: OutboundMessage[] = [];
  const store = openSqliteStore(sqliteFileIn(dir));
  const built = createDesk({
    config: loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
    }),
    store,
    clock: new ManualClock(START),
    logger: silentLogger,
    messenger: {
      async send(message) {
        sent.push(message);
        return undefined;
      },
    },
  });
  await seedDemo(built.services);
  const services = built.services;
  const alice = (await store.findPersonByIdentity('console', 'alice'))!;
  const close = async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { services, sent, alice, close };
}

const source = (id: string) => ({
  platform: 'console' as const,
  chatId: 'acme',
  messageId: id,
  key: `web:${id}`,
});

describe('the desk without the chat router', () => {
  it('opens a ticket, announces it to the staff channel once, and finds it again by its source', async () => {
    const d = await desk();
    try {
      const req = {
        customerId: 'acme',
        requester: d.alice,
        source: source('w1'),
        text: 'The build fails on Node 20',
        category: 'consultation' as const,
        locale: 'en' as const,
      };
      const opened = await openTicket(d.services, req);
      expect(opened.created).toBe(true);
      expect(opened.ticket.customerId).toBe('acme');
      expect(opened.hours).toBe(24);
      expect(d.sent).toHaveLength(0); // the door decides when the announcement goes out
      await opened.announce();
      expect(d.sent.map((m) => m.chatId)).toEqual(['staff']);
      expect(d.sent[0]!.text).toContain(`#${opened.ticket.number}`);
      const again = await openTicket(d.services, req);
      expect(again).toMatchObject({ created: false, ticket: { number: opened.ticket.number } });
    } finally {
      await d.close();
    }
  });

  it('refuses with typed refusals, storing nothing', async () => {
    const d = await desk();
    try {
      const base = { customerId: 'acme', requester: d.alice, locale: 'en' as const };
      await expect(
        openTicket(d.services, { ...base, source: source('w2'), text: '  ', category: 'consultation' }),
      ).rejects.toMatchObject({ key: 'ticket.empty' });
      // ACME's basic plan does not include custom development.
      const refused = openTicket(d.services, {
        ...base,
        source: source('w3'),
        text: 'Build us a plugin',
        category: 'custom_development',
      });
      await expect(refused).rejects.toBeInstanceOf(UserError);
      await expect(refused).rejects.toMatchObject({ key: 'plan.not_covered' });
      expect(await d.services.store.queryTickets({ customerId: 'acme' })).toHaveLength(0);
    } finally {
      await d.close();
    }
  });

  it('applies one visibility rule: another customer’s ticket is exactly as missing as no ticket', async () => {
    const d = await desk();
    try {
      const { ticket } = await openTicket(d.services, {
        customerId: 'acme',
        requester: d.alice,
        source: source('w4'),
        text: 'Where is the changelog?',
        category: 'consultation',
        locale: 'en',
      });
      const asGlobex = visibleTicket(d.services.store, { customerId: 'globex' }, ticket.number);
      const missing = visibleTicket(d.services.store, { customerId: 'globex' }, ticket.number + 100);
      const [a, b] = await Promise.allSettled([asGlobex, missing]);
      expect(a.status).toBe('rejected');
      expect(b.status).toBe('rejected');
      const key = (r: PromiseSettledResult<unknown>) => (r as PromiseRejectedResult).reason.key;
      expect(key(a)).toBe('ticket.not_found');
      expect(key(b)).toBe(key(a));
      await expect(visibleTicket(d.services.store, {}, ticket.number)).resolves.toMatchObject({
        number: ticket.number,
      });
      await expect(
        visibleTicket(d.services.store, { customerId: 'acme' }, ticket.number),
      ).resolves.toBeTruthy();
      // A `#N` of another customer never attaches a message to it either.
      const facts = { platform: 'console' as const, chatId: 'globex', text: `about #${ticket.number}` };
      expect(await referencedTicket(d.services, { customerId: 'globex' }, facts)).toBeUndefined();
      expect(await referencedTicket(d.services, { customerId: 'acme' }, facts)).toMatchObject({
        number: ticket.number,
      });
    } finally {
      await d.close();
    }
  });

  it('reopens a resolved ticket on a follow-up and tells the staff channel', async () => {
    const d = await desk();
    try {
      const bob = (await d.services.store.findPersonByIdentity('console', 'bob'))!;
      const { ticket } = await openTicket(d.services, {
        customerId: 'acme',
        requester: d.alice,
        source: source('w5'),
        text: 'Login loops',
        category: 'consultation',
        locale: 'en',
      });
      const resolved = await d.services.tickets.resolve(ticket, bob, 'fixed in 2.7.1');
      const done = await followUp(d.services, resolved, d.alice, {
        platform: 'console',
        chatId: 'acme',
        messageId: 'w6',
        text: 'still broken',
      });
      expect(done.reopened).toBe(true);
      expect(done.ticket.status).not.toBe('resolved');
      expect(d.sent.filter((m) => m.chatId === 'staff').at(-1)?.text).toContain(`#${ticket.number}`);
    } finally {
      await d.close();
    }
  });
});
