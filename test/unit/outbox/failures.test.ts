/**
 * The visible failure: a message given up at its expiry is reported to the staff channels
 * and, for an engineer's reply, to that engineer, in their languages; a given-up message to
 * the staff channel itself is only logged (reporting it there would loop).
 */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import type { OutboundMessage } from '../../../src/core/chat';
import { Translator } from '../../../src/core/i18n';
import { silentLogger } from '../../../src/core/logger';
import type { Outbound } from '../../../src/core/ports';
import { Notifier } from '../../../src/desk/notifier';
import { reportFailedDelivery } from '../../../src/outbox/failures';
import { openSqliteStore } from '../../../src/store/sqlite';

const T0 = Date.UTC(2026, 0, 5, 8);

it('tells the staff channels and the engineer whose reply was given up; not the staff channel about itself', async () => {
  const config = loadConfig({
    GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config'),
    GROUPDESK_LOCALE: 'en',
  });
  const translator = new Translator(config.catalogs, 'en');
  const store = openSqliteStore(':memory:');
  await store.putGroup({ platform: 'slack', chatId: 'C-STAFF', kind: 'staff', autoMode: false, boundAt: T0 });
  await store.putGroup({
    platform: 'qq',
    chatId: 'G-STAFF-CN',
    kind: 'staff',
    autoMode: false,
    boundAt: T0,
    locale: 'zh-CN',
  });
  await store.putPerson({ id: 'bob', name: 'Bob', role: 'engineer', createdAt: T0 });
  await store.putIdentity({ personId: 'bob', platform: 'slack', userId: 'U-BOB' });
  const sent: OutboundMessage[] = [];
  const notifier = new Notifier({
    store,
    messenger: { send: async (m) => void sent.push(m) },
    logger: silentLogger,
    defaultLocale: 'en',
  });
  const reporting = { notifier, store, translator, logger: silentLogger, hours: 24 };
  const [row] = await store.enqueueOutbound(
    [
      {
        message: {
          platform: 'qq',
          chatId: '100200300',
          chatKind: 'group',
          text: '#1001 · Bob: please upgrade to 2.4.1',
        },
        after: { kind: 'staff-reply', ticketNumber: 1001, engineerId: 'bob' },
        expiresAt: T0,
      },
    ],
    T0,
  );
  const failed: Outbound = { ...row!, state: 'failed', lastError: 'OneBot: not connected' };
  await reportFailedDelivery(reporting, failed);
  expect(sent.map((m) => [m.chatId, m.text])).toEqual([
    [
      'G-STAFF-CN',
      '一条发往 QQ 会话 100200300 的消息在 24 小时内未能送达（OneBot: not connected），已放弃。内容：“#1001 · Bob: please upgrade to 2.4.1”',
    ],
    [
      'C-STAFF',
      'Could not deliver a message to QQ chat 100200300 within 24 h (OneBot: not connected); it was given up. It read: “#1001 · Bob: please upgrade to 2.4.1”',
    ],
    [
      'U-BOB',
      'Your reply to #1001 could not be delivered to the customer within 24 h (OneBot: not connected) and was given up. Please send it again, or reach them another way.',
    ],
  ]);
  sent.length = 0;
  await reportFailedDelivery(reporting, {
    ...failed,
    chat: 'slack:C-STAFF',
    message: { platform: 'slack', chatId: 'C-STAFF', chatKind: 'group', text: 'New ticket #1002' },
  });
  expect(sent).toEqual([]);
  await store.close();
});
