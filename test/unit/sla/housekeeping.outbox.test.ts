/** Housekeeping purges outbox rows settled long ago, and never a waiting one. */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { silentLogger } from '../../../src/core/logger';
import { DAY_MS } from '../../../src/core/sla/zone';
import { Housekeeping, OUTBOX_RETENTION_MS } from '../../../src/sla/housekeeping';
import { openSqliteStore } from '../../../src/store/sqlite';

const T0 = Date.UTC(2026, 0, 5, 8);

it('purges outbox rows settled more than a week ago at the daily prune, keeping waiting and recent ones', async () => {
  const config = loadConfig({ GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config') });
  const store = openSqliteStore(':memory:');
  const message = (chatId: string) => ({
    platform: 'qq' as const,
    chatId,
    chatKind: 'group' as const,
    text: chatId,
  });
  const [old] = await store.enqueueOutbound([{ message: message('old'), expiresAt: T0 + DAY_MS }], T0);
  const [recent] = await store.enqueueOutbound([{ message: message('recent'), expiresAt: T0 + DAY_MS }], T0);
  await store.enqueueOutbound([{ message: message('waiting'), expiresAt: T0 + DAY_MS }], T0);
  for (const [row, at] of [
    [old!, T0],
    [recent!, T0 + OUTBOX_RETENTION_MS],
  ] as const) {
    const claimed = await store.claimOutbound(row, 'w', at + 1000, at);
    await store.settleOutbound(claimed!.id, 'w', { result: 'sent', at });
  }
  const housekeeping = new Housekeeping(store, store, config.sla, 'UTC', silentLogger);
  await housekeeping.run(T0 + OUTBOX_RETENTION_MS + 1);
  expect((await store.listOutbound({})).map((r) => r.message.text).sort()).toEqual(['recent', 'waiting']);
  await store.close();
});
