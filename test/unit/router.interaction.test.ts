/**
 * Who sees the answer to a native slash command or button press (`interaction: true`):
 * refusals and answers outside a customer group go to the caller alone; in a customer
 * group answers stay public, as for typed commands, and a new ticket is always public.
 */
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { createDesk, type Desk } from '../../src/app';
import type { InboundMessage, OutboundMessage } from '../../src/core/chat';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite';

let store: SqliteStore;
let desk: Desk;
let sent: OutboundMessage[];
let seq = 0;

beforeEach(async () => {
  sent = [];
  store = openSqliteStore(':memory:');
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../config'),
  });
  desk = createDesk({
    config,
    store,
    clock: new ManualClock(Date.parse('2026-11-23T02:00:00Z')),
    logger: silentLogger,
    messenger: { send: async (m) => void sent.push(m) },
  });
  const { directory } = desk.services;
  await directory.addCustomer('acme', 'ACME Corp');
  await directory.addSubscription('acme', 'basic', 12);
  await directory.bindGroup('discord', 'acme-ch', 'acme');
  await directory.bindGroup('discord', 'staff-ch', 'staff');
  await directory.addSubscriber('discord', 'alice', 'acme', 'Alice');
  await directory.setStaff('discord', 'bob', 'engineer', 'Bob');
});
afterEach(() => store.close());

/** Says `text` and returns the replies to it. */
async function say(who: string, chatId: string, text: string, interaction: boolean) {
  const message: InboundMessage = {
    platform: 'discord',
    chatId,
    chatKind: 'group',
    messageId: `m${++seq}`,
    sender: { id: who, name: who },
    text,
    mentions: [],
    addressed: true,
    ...(interaction && { interaction: true }),
  };
  await desk.router.handle(message);
  return sent.filter((m) => m.replyToMessageId === message.messageId);
}

const privacy = (replies: OutboundMessage[]) => replies.map((m) => [m.text, m.visibleTo ?? 'everyone']);

describe('answers to native commands', () => {
  it('refuses privately, where a typed command is refused in the open', async () => {
    const refusal = 'Sorry, /claim is for support engineers only.';
    expect(privacy(await say('alice', 'acme-ch', '/claim #1001', true))).toEqual([[refusal, 'alice']]);
    expect(privacy(await say('alice', 'acme-ch', '/claim #1001', false))).toEqual([[refusal, 'everyone']]);
  });

  it('answers privately outside a customer group', async () => {
    await say('alice', 'acme-ch', 'build fails', false);
    expect(privacy(await say('bob', 'staff-ch', '/claim #1001', true))).toEqual([
      ['#1001 is now yours, Bob.', 'bob'],
    ]);
    expect(privacy(await say('bob', 'staff-ch', '/unclaim #1001', false))).toEqual([
      [expect.stringContaining('#1001'), 'everyone'],
    ]);
  });

  it('answers in the open in a customer group, where the customer should see it', async () => {
    const [ack] = await say('alice', 'acme-ch', '/ticket How do I rotate keys?', true);
    expect(ack).toMatchObject({ startThread: true, mentions: [{ id: 'alice' }] });
    expect(ack?.visibleTo).toBeUndefined();
    expect(privacy(await say('bob', 'acme-ch', '/claim #1001', true))).toEqual([
      ['#1001 is now yours, Bob.', 'everyone'],
    ]);
  });

  it('marks refusals as refused, and answers not, so that adapters can tell them apart', async () => {
    const refusedOf = (replies: OutboundMessage[]) => replies.map((m) => [m.text, m.refused === true]);
    expect(refusedOf(await say('alice', 'acme-ch', '/claim #1001', false))).toEqual([
      ['Sorry, /claim is for support engineers only.', true],
    ]);
    expect(refusedOf(await say('alice', 'acme-ch', '/clam #1001', true))).toEqual([
      [expect.stringContaining('clam'), true],
    ]);
    expect(refusedOf(await say('alice', 'acme-ch', 'build fails', false))).toEqual([
      [expect.stringContaining('#1001'), false],
    ]);
    expect(refusedOf(await say('bob', 'staff-ch', '/claim #1001', true))).toEqual([
      ['#1001 is now yours, Bob.', false],
    ]);
  });
});
