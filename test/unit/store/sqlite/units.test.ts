import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { GroupCommit } from '../../../../src/store/sqlite/group-commit';

describe('GroupCommit units of work', () => {
  let dir: string;
  const connections: Database.Database[] = [];
  let db: Database.Database;
  let other: Database.Database;
  const connect = (file: string) => {
    const c = new Database(file);
    c.pragma('journal_mode = WAL');
    connections.push(c);
    return c;
  };
  const names = (c: Database.Database) =>
    (c.prepare('SELECT name FROM item ORDER BY name').raw(true).all() as string[][]).map((r) => r[0]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-units-'));
    db = connect(join(dir, 'units.sqlite'));
    db.exec('CREATE TABLE item (name TEXT PRIMARY KEY)');
    other = connect(join(dir, 'units.sqlite'));
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) c.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each unit whole: a failing one leaves nothing, the others and outside writes commit', async () => {
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (name) VALUES (?)');
    const put = (name: string) => batch.write(() => insert.run(name));
    // Registered outside any unit: runs outside, though released from inside one.
    let release: () => void = () => undefined;
    const outside = new Promise<void>((resolve) => {
      release = resolve;
    }).then(() => put('outside'));
    const failing = batch.unit(async () => {
      await put('a1');
      await Promise.resolve(); // an await between the change and the rest, as in a handler
      release();
      await put('a2');
      throw new Error('the handler failed');
    });
    const whole = batch.unit(async () => {
      await put('b1');
      expect(await batch.read(() => names(db))).toContain('b1'); // its own writes, at once
      await put('b2');
      return 'done';
    });
    await expect(failing).rejects.toThrow('the handler failed');
    // Resolved means committed: another connection sees it.
    expect(await whole).toBe('done');
    await outside;
    expect(names(other)).toEqual(['b1', 'b2', 'outside']);
  });

  it('commits what a unit wrote so far when it ends early, and runs the rest outside it', async () => {
    const batch = new GroupCommit(db);
    const insert = db.prepare('INSERT INTO item (name) VALUES (?)');
    await expect(
      batch.unit(async () => {
        await batch.write(() => insert.run('before'));
        await batch.commitUnit();
        expect(names(other)).toEqual(['before']); // durable before anything is sent
        await batch.write(() => insert.run('after'));
        throw new Error('later failure');
      }),
    ).rejects.toThrow('later failure');
    expect(names(other)).toEqual(['after', 'before']);
  });
});
