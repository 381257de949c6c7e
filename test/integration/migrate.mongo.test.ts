/**
 * `groupdesk migrate` to and from MongoDB, whenever one is reachable through MONGODB_URI
 * (a fresh database per run, dropped at the end). Without a server the suite is reported
 * as skipped with that reason, never silently passed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli';
import { mongoEnvSchema, openMongoStore } from '../../src/store/mongo';
import { openSqliteStore } from '../../src/store/sqlite';
import { collect, event, newTicket } from '../contract/store.fixtures';
import { fillSource, SOURCE_RECORDS } from './migrate.fixtures';

const SKIPPED =
  'migrate to and from MongoDB (skipped: MONGODB_URI is not set and no MongoDB server can be installed on this machine)';

// Tests read the environment through the store's own schema, as config/ does.
const { MONGODB_URI: uri } = mongoEnvSchema.parse(process.env);

/** The same deployment, another database: `mongodb://hosts/<name>?options`. */
function withDatabase(base: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (match === null) throw new Error(`cannot place a database name in ${base}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

if (uri === undefined) {
  console.warn(SKIPPED);
  describe.skip(SKIPPED, () => {
    it('copies SQLite → MongoDB → SQLite with every record, and the counter continues', () => undefined);
  });
} else {
  describe('groupdesk migrate with MongoDB', () => {
    const dbName = `groupdesk_migrate_${process.pid}_${Date.now()}`;
    const mongo = withDatabase(uri, dbName);
    let dir: string;
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const env = {
        GROUPDESK_LOCALE: 'en',
        GROUPDESK_DATA_DIR: dir,
        GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../config'),
      };
      const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env);
      return { code, out, err };
    };

    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-migrate-mongo-'));
    });
    afterAll(async () => {
      const store = await openMongoStore({ uri: mongo });
      await store.dropDatabase();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('copies SQLite → MongoDB → SQLite with every record, and the counter continues', async () => {
      const src = path.join(dir, 'source.sqlite');
      const back = path.join(dir, 'back.sqlite');
      const source = openSqliteStore(src);
      await fillSource(source);
      const original = await collect(source.exportAll());
      await source.close();

      const there = await run('migrate', '--from', src, '--to', mongo);
      expect(there).toMatchObject({ code: 0, err: '' });
      expect(there.out).toContain(`(records copied: ${SOURCE_RECORDS})`);
      expect((await run('migrate', '--from', src, '--to', mongo)).code).toBe(1); // not empty

      const back1 = await run('migrate', '--from', mongo, '--to', back);
      expect(back1).toMatchObject({ code: 0, err: '' });
      const copy = openSqliteStore(back);
      expect(await collect(copy.exportAll())).toEqual(original);
      await copy.close();

      const store = await openMongoStore({ uri: mongo });
      expect(await collect(store.exportAll())).toEqual(original);
      const { ticket } = await store.createTicket(newTicket(), event());
      expect(ticket.number).toBe(1004);
      await store.scheduleReminders([{ subject: `ticket:${ticket.number}`, stage: 'half', dueAt: 1 }], 0);
      await store.close();

      // --force empties the destination, its reminder ledger too (the ledger is not copied).
      expect((await run('migrate', '--from', src, '--to', mongo, '--force')).code).toBe(0);
      const again = await openMongoStore({ uri: mongo });
      expect(await again.listReminders('ticket:1004')).toEqual([]);
      await again.close();
    });

    it('refuses, even with --force, two spellings of one database, and keeps every record', async () => {
      const src = path.join(dir, 'same.sqlite');
      const source = openSqliteStore(src);
      await fillSource(source);
      await source.close();
      expect((await run('migrate', '--from', src, '--to', mongo, '--force')).code).toBe(0);
      const port = /:(\d+)/.exec(mongo.slice('mongodb://'.length))?.[1];
      const spellings = [
        `${mongo}${mongo.includes('?') ? '&' : '?'}appName=other`, // options differ: same hosts and database
        mongo.replace('127.0.0.1', 'localhost'), // another name for the host: found by the marker
      ];
      for (const other of spellings) {
        if (other === mongo || port === undefined) throw new Error(`no second spelling of ${mongo}`);
        const result = await run('migrate', '--from', mongo, '--to', other, '--force');
        expect(result).toMatchObject({
          code: 1,
          err: expect.stringContaining('--from and --to name the same database'),
        });
      }
      const store = await openMongoStore({ uri: mongo });
      expect(await collect(store.exportAll())).toHaveLength(SOURCE_RECORDS);
      expect(await store.sameDatabaseAs(store)).toBe(true);
      await store.close();
    });
  });
}
