import { chmodSync, statSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'libsql';
import type { Store } from '../../src/core/ports';
import { StoreError } from '../../src/store/errors';
import { openSqliteStore, SCHEMA_VERSION, type SqliteStore } from '../../src/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/store/sqlite/migrations';
import { LINKED_SQL } from '../../src/store/sqlite/sqlite.links';
import { describeStoreContract } from './store.contract';
import { collect, create, customer, event, expectStoreError, group, newTicket, T0 } from './store.fixtures';

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

describe('SQLite store, file specifics', () => {
  let dir: string;
  let file: string;
  const opened: Array<SqliteStore | Database.Database> = [];
  const open = (options: Parameters<typeof openSqliteStore>[1] = {}) => {
    const store = openSqliteStore(file, options);
    opened.push(store);
    return store;
  };
  const raw = () => {
    const db = new Database(file);
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-sqlite-'));
    file = join(dir, 'nested', 'data', 'groupdesk.sqlite');
  });
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the data directory and keeps everything across close and reopen', async () => {
    const first = open();
    await first.putCustomer(customer());
    const ticket = await create(first);
    expect(await first.claimInbound('slack::M1', T0)).toBe(true);
    await first.close();

    const second = open();
    expect(await second.getCustomer('acme')).toStrictEqual(customer());
    expect(await second.getTicket(ticket.number)).toStrictEqual(ticket);
    expect(await second.claimInbound('slack::M1', T0)).toBe(false);
    expect((await create(second)).number).toBe(ticket.number + 1);
  });

  it("folds the WAL into the file on close, so a stopped bot's file alone holds everything", async () => {
    const first = open();
    await first.putCustomer(customer());
    const ticket = await create(first);
    await first.close();
    const copy = join(dir, 'copy.sqlite');
    await copyFile(file, copy); // the file only, as an operator copying a backup would
    const second = openSqliteStore(copy);
    opened.push(second);
    expect(await second.getTicket(ticket.number)).toStrictEqual(ticket);
  });

  it("creates the data directory and the database for their owner only (customers' words)", async () => {
    const store = open();
    await store.putCustomer(customer());
    await create(store);
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect([mode(dirname(file)), mode(file), mode(`${file}-wal`)]).toEqual(['700', '600', '600']);
    await store.close();
  });

  it('makes an existing database and its -wal/-shm files private whatever their mode, and says so once', async () => {
    const first = open();
    await first.putCustomer(customer());
    const still = raw(); // keeps -wal and -shm on disk after the store closes
    still.prepare('SELECT 1').get();
    await first.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodSync(f, 0o644);
    const lines: Array<{ message: string; fields?: Record<string, unknown> | undefined }> = [];
    const logger = {
      info: (message: string, fields?: Record<string, unknown>) => lines.push({ message, fields }),
    };
    const store = open({ logger });
    await store.putCustomer(customer({ id: 'initech' }));
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
    expect(lines).toEqual([
      {
        message: expect.stringMatching(/mode 0600/),
        fields: { files: [file, `${file}-wal`, `${file}-shm`], modes: ['0644', '0644', '0644'] },
      },
    ]);
    await store.close();
    await open({ logger }).close(); // already private: nothing to say
    expect(lines).toHaveLength(1);
  });

  it('uses WAL, and reopening an up-to-date file changes nothing', async () => {
    await open().close();
    const db = raw();
    const schema = () => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const before = schema();
    expect(db.pragma('journal_mode', { simple: true })).toMatchObject({ journal_mode: 'wal' });
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: SCHEMA_VERSION });
    await open().close();
    expect(schema()).toEqual(before);
    expect(migrate(db, file)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: SCHEMA_VERSION });
  });

  it('schema step 7 indexes the tickets and messages a file already holds, for /search', async () => {
    file = join(dir, 'v5.sqlite');
    const before = MIGRATIONS.filter((m) => m.version < 7);
    const db = raw(); // the file as a GroupDesk without search left it: tickets and messages, no index
    expect(migrate(db, file, before)).toEqual(before.map((m) => m.version));
    db.exec(
      `INSERT INTO customers (id, name, created_at) VALUES ('acme', 'ACME', 0);
       INSERT INTO tickets (number, customer_id, requester_id, platform, chat_id, source_key, category, priority, status,
         subject, plan, created_at, updated_at, last_customer_at, version)
         VALUES (1001, 'acme', 'alice', 'slack', 'C', 's1', 'consultation', 'p2', 'open', '导出 PDF 时最后一页被截断', 'basic', 0, 0, 0, 1);
       INSERT INTO events (ticket_number, at, kind, actor_id, text) VALUES (1001, 0, 'staff_reply', 'bob', 'Upgrade the ESM loader');
       INSERT INTO events (ticket_number, at, kind, actor_id, text) VALUES (1001, 0, 'internal_note', 'bob', 'secret workaround');`,
    );
    const store = open();
    const find = async (words: string) =>
      (await store.searchTickets({ words, limit: 10, offset: 0 })).map((h) => h.number);
    expect(await find('最后一页')).toEqual([1001]);
    expect(await find('esm loader')).toEqual([1001]);
    expect(await find('workaround')).toEqual([]);
  });

  it('schema step 8 finds the links a v7 file holds through its partial index, and is idempotent', async () => {
    file = join(dir, 'v7.sqlite');
    const before = MIGRATIONS.filter((m) => m.version < 8);
    const db = raw(); // the file as a GroupDesk with /link but no index left it
    expect(migrate(db, file, before)).toEqual(before.map((m) => m.version));
    db.exec(
      `INSERT INTO customers (id, name, created_at) VALUES ('acme', 'ACME', 0);
       INSERT INTO tickets (number, customer_id, requester_id, platform, chat_id, source_key, category, priority, status,
         subject, plan, created_at, updated_at, last_customer_at, version)
         VALUES (1001, 'acme', 'alice', 'slack', 'C', 's1', 'consultation', 'p2', 'open', 'PDF export', 'basic', 0, 0, 0, 1);
       INSERT INTO events (ticket_number, at, kind, actor_id, text, to_value)
         VALUES (1001, 0, 'upstream_link', 'bob', 'Crash', 'Acme-OSS/Framework#12');`,
    );
    const store = open();
    expect(await store.ticketsLinkedTo({ repo: 'acme-oss/framework', number: 12 })).toEqual([1001]);
    const step = MIGRATIONS.find((m) => m.version === 8);
    db.exec(step?.sql ?? 'missing step 8'); // once more: IF NOT EXISTS, nothing changes
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${LINKED_SQL}`).all({ key: 'acme-oss/framework#12' });
    expect(JSON.stringify(plan)).toContain('SEARCH events USING INDEX events_upstream_links');
  });

  it('upgrades a version-2 file to the language columns, keeping its rows; an unknown stored language reads as absent', async () => {
    file = join(dir, 'v2.sqlite');
    const db = raw(); // the file as a GroupDesk that knew only versions 1 and 2 left it
    expect(migrate(db, file, MIGRATIONS.slice(0, 2))).toEqual([1, 2]);
    db.exec(
      `INSERT INTO chat_groups (platform, chat_id, kind, customer_id, title, auto_mode, bound_at) VALUES ('slack', 'C-ACME', 'customer', 'acme', 'acme-support', 0, ${T0})`,
    );
    const store = open();
    expect(await store.getGroup('slack', 'C-ACME')).toStrictEqual(group());
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: SCHEMA_VERSION });
    await store.putGroup(group({ locale: 'en' }));
    expect((await store.getGroup('slack', 'C-ACME'))?.locale).toBe('en');
    db.exec("UPDATE chat_groups SET locale = 'fr'"); // edited by hand: never reaches the translator
    const reread = open();
    expect(await reread.getGroup('slack', 'C-ACME')).toStrictEqual(group());
  });

  it('upgrades a version-5 file to the next-response and resolution deadlines, keeping its tickets', async () => {
    file = join(dir, 'v5.sqlite');
    const db = raw(); // as a GroupDesk that knew versions 1 to 5 left it
    expect(migrate(db, file, MIGRATIONS.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
    db.exec(
      `INSERT INTO tickets (number, customer_id, requester_id, platform, chat_id, source_key, category, priority,
         status, subject, plan, created_at, updated_at, last_customer_at, due_at, version)
       VALUES (1001, 'acme', 'alice', 'slack', 'C-ACME', 'slack:T:1', 'consultation', 'p2', 'open', 'rows',
         'basic', ${T0}, ${T0}, ${T0}, ${T0 + 3_600_000}, 1)`,
    );
    const store = open();
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: SCHEMA_VERSION });
    const old = await store.getTicket(1001);
    expect(old).toMatchObject({ number: 1001, dueAt: T0 + 3_600_000 });
    expect(old && ('nextResponseDueAt' in old || 'resolutionDueAt' in old)).toBe(false);
    const indexes = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'tickets_awaiting_%' ORDER BY name",
      )
      .all();
    expect(indexes).toEqual([
      { name: 'tickets_awaiting_next_response' },
      { name: 'tickets_awaiting_resolution' },
      { name: 'tickets_awaiting_response' },
    ]);
    const set = await store.updateTicket(
      1001,
      old!.version,
      { resolutionDueAt: T0 + 9, updatedAt: T0 + 1 },
      [],
    );
    expect(set?.resolutionDueAt).toBe(T0 + 9);
  });

  it('refuses a file written by a newer schema version, and leaves it untouched', async () => {
    await open().close();
    const db = raw();
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    let error: unknown;
    try {
      open();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_SCHEMA_TOO_NEW' });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: SCHEMA_VERSION + 1 });
  });

  it('applies only the missing migration steps, each one all or nothing', async () => {
    const db = new Database(join(dir, 'steps.sqlite'));
    opened.push(db);
    const one = { version: 1, description: 'a', sql: 'CREATE TABLE a (x INTEGER);' };
    const two = { version: 2, description: 'b', sql: 'CREATE TABLE b (x INTEGER);' };
    const broken = {
      version: 3,
      description: 'c',
      sql: 'CREATE TABLE c (x INTEGER); INSERT INTO nowhere VALUES (1);',
    };
    expect(migrate(db, 'steps', [one])).toEqual([1]);
    expect(migrate(db, 'steps', [one, two])).toEqual([2]);
    expect(() => migrate(db, 'steps', [one, two, broken])).toThrow(/nowhere/);
    expect(db.pragma('user_version', { simple: true })).toMatchObject({ user_version: 2 });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => (t as { name: string }).name)).toEqual(['a', 'b']);
  });

  it('lets two stores on one file (as two processes would) share numbers, keys and versions', async () => {
    // A short busy timeout makes a lock-ordering regression fail fast instead of hanging.
    const a = open({ busyTimeoutMs: 200 });
    const b = open({ busyTimeoutMs: 200 });
    await a.putCustomer(customer());
    const creations = Array.from({ length: 100 }, (_, i) =>
      (i % 2 === 0 ? a : b).createTicket(newTicket(), event()),
    );
    const numbers = (await Promise.all(creations)).map((r) => r.ticket.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => 1001 + i));

    const claims = await Promise.all([a.claimInbound('qq:1:M', T0), b.claimInbound('qq:1:M', T0)]);
    expect(claims.filter(Boolean)).toHaveLength(1);

    const seenByA = (await a.getTicket(1001))!;
    expect(
      await b.updateTicket(1001, seenByA.version, { priority: 'p1', updatedAt: T0 + 1 }, []),
    ).toBeDefined();
    expect(
      await a.updateTicket(1001, seenByA.version, { priority: 'p3', updatedAt: T0 + 2 }, []),
    ).toBeUndefined();
    expect((await a.getTicket(1001))?.priority).toBe('p1');
  });

  it('resolves a write only once it is committed, and keeps one failed write from undoing the others', async () => {
    const store = open();
    const db = raw();
    const count = () => (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    const results = Promise.allSettled([
      store.createTicket(newTicket(), event()),
      store.addEvent(999_999, event()),
      store.createTicket(newTicket(), event()),
    ]);
    expect(count()).toBe(0); // not committed yet, so not visible to another connection
    const [first, failed, third] = await results;
    expect(count()).toBe(2);
    expect(first.status).toBe('fulfilled');
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'STORE_MISSING_REFERENCE' } });
    expect(third.status).toBe('fulfilled');
    expect(await store.listEvents(1001)).toHaveLength(1);
    expect(await store.listEvents(1002)).toHaveLength(1);
  });

  it('exports a consistent snapshot without blocking writes made meanwhile', async () => {
    const store = open();
    await store.putCustomer(customer()); // exported first, before the tickets are read
    for (let i = 0; i < 3; i += 1) await create(store);
    const records = store.exportAll()[Symbol.asyncIterator]();
    const exported: Array<{ kind: string }> = [];
    let next = await records.next(); // the snapshot is taken here
    await create(store); // must neither block nor show up in the export
    for (; !next.done; next = await records.next()) exported.push(next.value);
    expect(exported.filter((r) => r.kind === 'ticket')).toHaveLength(3);
    expect((await collect(store.exportAll())).filter((r) => r.kind === 'ticket')).toHaveLength(4);
  });

  it('answers STORE_UNAVAILABLE when another process holds the write lock past the busy timeout', async () => {
    const store = open({ busyTimeoutMs: 50 });
    const other = raw();
    other.exec('BEGIN IMMEDIATE');
    await expectStoreError(store.claimInbound('k', T0), 'STORE_UNAVAILABLE');
    other.exec('ROLLBACK');
    expect(await store.claimInbound('k', T0)).toBe(true);
  });

  it('prunes only inbound keys older than the cut-off', async () => {
    const store = open();
    await store.claimInbound('old', T0);
    await store.claimInbound('new', T0 + 10);
    expect(await store.pruneInbound(T0 + 5)).toBe(1);
    expect(await store.claimInbound('old', T0 + 20)).toBe(true);
    expect(await store.claimInbound('new', T0 + 20)).toBe(false);
  });

  it('refuses values libsql would crash on (booleans, objects) instead of binding them', async () => {
    const store: Store = open();
    await expectStoreError(store.putGroup({ ...group(), autoMode: 'yes' as never }), 'STORE_INVALID_VALUE');
    await expectStoreError(store.claimInbound({} as never, T0), 'STORE_INVALID_VALUE');
    await expectStoreError(store.getCustomer(true as never), 'STORE_INVALID_VALUE');
    await expectStoreError(store.consumeTraining('s', Number.NaN), 'STORE_INVALID_VALUE');
    await store.putGroup(group({ autoMode: true }));
    expect((await store.getGroup('slack', 'C-ACME'))?.autoMode).toBe(true);
  });

  it('never calls libsql all()/iterate(), which leak native memory per call, outside exportAll', async () => {
    const store = open();
    const statement = Object.getPrototypeOf(raw().prepare('SELECT 1')) as Record<
      'all' | 'iterate',
      () => unknown
    >;
    const all = jest.spyOn(statement, 'all');
    const iterate = jest.spyOn(statement, 'iterate');
    try {
      await store.putCustomer(customer());
      await create(store);
      await Promise.all([
        store.listCustomers(),
        store.listSubscriptions('acme'),
        store.listPeople({}),
        store.listPeople({ role: 'engineer', customerId: 'acme' }),
        store.listIdentities('alice'),
        store.listGroups(),
        store.listGroups('customer'),
        store.listEvents(1001),
        store.queryTickets({ statuses: ['open'], dueBefore: T0 + 1 }),
      ]);
      expect(all).not.toHaveBeenCalled();
      expect(iterate).not.toHaveBeenCalled();
    } finally {
      all.mockRestore();
      iterate.mockRestore();
    }
  });

  it('also opens in memory, for quick tests', async () => {
    const store = openSqliteStore(':memory:');
    opened.push(store);
    expect((await create(store)).number).toBe(1001);
    expect((await collect(store.exportAll())).map((r) => r.kind)).toEqual(['ticket', 'event']);
  });
});
