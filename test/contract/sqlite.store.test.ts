import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite';
import { describeStoreContract } from './store.contract';

describeStoreContract('SQLite (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'groupdesk-store-'));
  const store = openSqliteStore(join(dir, 'data', 'groupdesk.sqlite'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
