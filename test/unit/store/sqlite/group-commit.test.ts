import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { GroupCommit } from '../../../../src/store/sqlite/group-commit';

describe('GroupCommit', () => {
  let dir: string;
  let file: string;
  const connections: Database.Database[] = [];
  const connect = (busyTimeoutMs = 200) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
    connections.push(db);
    return db;
  };
  const count = (db: Database.Database) =>
    (db.prepare('SELECT count(*) AS n FROM item').get() as { n: number }).n;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-batch-'));
    file = join(dir, 'batch.sqlite');
    connect().exec(
      'CREATE TABLE parent (id INTEGER PRIMARY KEY); INSERT INTO parent VALUES (1);' +
        'CREATE TABLE item (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id), name TEXT NOT NULL);',
    );
  });
  afterEach(async () => {
    for (const db of connections.splice(0)) db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits the writes of one turn together, and settles them only after the COMMIT', async () => {
    const db = connect();
    const other = connect();
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (parent, name) VALUES (1, ?)');
    const writes = ['a', 'b', 'c'].map((name) => batch.write(() => insert.run(name).changes));
    expect(db.inTransaction).toBe(true);
    expect(count(other)).toBe(0);
    const seenWhenSettled = await Promise.all(writes.map((write) => write.then(() => count(other))));
    expect(seenWhenSettled).toEqual([3, 3, 3]);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back only the failing write, including every statement of an atomic one', async () => {
    const db = connect();
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (parent, name) VALUES (?, ?)');
    const results = await Promise.allSettled([
      batch.write(() => insert.run(1, 'kept')),
      batch.write(() => insert.run(99, 'orphan')), // foreign key fails: this statement only
      batch.write(() => {
        insert.run(1, 'half');
        throw new Error('second half failed');
      }, true),
      batch.write(() => insert.run(1, 'also kept')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const names = db.prepare('SELECT name FROM item ORDER BY id').all() as Array<{ name: string }>;
    expect(names.map((n) => n.name)).toEqual(['kept', 'also kept']);
  });

  it('rejects every write of a batch whose COMMIT fails, and starts afresh afterwards', async () => {
    const db = connect();
    db.pragma('defer_foreign_keys = ON'); // the orphan is only refused at COMMIT
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (parent, name) VALUES (?, ?)');
    const results = await Promise.allSettled([
      batch.write(() => insert.run(1, 'innocent')),
      batch.write(() => insert.run(99, 'orphan')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(db.inTransaction).toBe(false);
    expect(count(db)).toBe(0);
    await batch.write(() => insert.run(1, 'later'));
    expect(count(connect())).toBe(1);
  });

  it('delivers a read made during an open batch only after that batch commits', async () => {
    const db = connect();
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (parent, name) VALUES (1, ?)');
    const order: string[] = [];
    expect(await batch.read(() => count(db))).toBe(0); // no batch open: immediate
    const write = batch.write(() => insert.run('x')).then(() => order.push('write'));
    const read = batch.read(() => count(db)).then((n) => order.push(`read ${n}`));
    await Promise.all([write, read]);
    expect(order).toEqual(['write', 'read 1']);
  });

  it('commits another connection’s open batch before taking the lock, instead of deadlocking', async () => {
    const first = new GroupCommit(connect());
    const second = new GroupCommit(connect());
    const a = first.write(() => 'a');
    const b = second.write(() => 'b'); // would wait for a lock only `first` can release
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
  });
});
