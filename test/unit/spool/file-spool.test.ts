/**
 * The outage spool's journal on real files in a temporary directory: what load() gives back
 * after add/remove, a crash's torn line, corrupt records, the bound, the file's mode and
 * what happens when the disk refuses a write.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KeptMessage } from '../../../src/core/backlog';
import type { InboundMessage } from '../../../src/core/chat';
import type { Logger } from '../../../src/core/logger';
import { FileSpool, spoolFileIn } from '../../../src/spool/file-spool';

type Entry = { level: 'warn' | 'error' | 'info'; message: string; fields?: Record<string, unknown> };

function kept(chat: string, id: string, text = `message ${id}`, claimed = false): KeptMessage {
  const message: InboundMessage = {
    platform: 'wechat',
    chatId: chat,
    chatKind: 'group',
    messageId: id,
    sender: { id: 'alice', name: 'Alice' },
    text,
    mentions: [],
    addressed: true,
    quotedText: '「#1001」',
  };
  return { message, key: `wechat::${chat}:${id}`, claimed };
}

describe('the outage spool file', () => {
  let dir: string;
  let file: string;
  let log: Entry[];
  const logger: Logger = {
    debug() {},
    info: (message, fields) => log.push({ level: 'info', message, ...(fields && { fields }) }),
    warn: (message, fields) => log.push({ level: 'warn', message, ...(fields && { fields }) }),
    error: (message, fields) => log.push({ level: 'error', message, ...(fields && { fields }) }),
  };
  const spool = (maxBytes?: number) =>
    new FileSpool({ file, logger, ...(maxBytes !== undefined && { maxBytes }) });
  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-spool-'));
    file = spoolFileIn(path.join(dir, 'data')); // the data dir does not exist yet
    log = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what was kept and not done, in the order first kept, with the last claimed flag', () => {
    const a = spool();
    expect(a.load()).toEqual([]);
    const [one, two, three] = [kept('g1', 'm1'), kept('g2', 'm2'), kept('g1', 'm3')];
    a.add(one);
    a.add(two);
    a.add(three);
    a.remove(one.key);
    a.add({ ...two, claimed: true }); // a retry claimed its key and failed again: its place stays
    expect(lines()).toHaveLength(5);
    expect(JSON.parse(lines()[3]!)).toEqual({ done: one.key });

    expect(spool().load()).toEqual([{ ...two, claimed: true }, three]);
    expect(log).toEqual([]);
  });

  it('compacts the journal at load, and removes it once nothing is kept', () => {
    const a = spool();
    a.load();
    const [one, two] = [kept('g1', 'm1'), kept('g1', 'm2')];
    a.add(one);
    a.add(two);
    a.remove(one.key);
    const b = spool();
    expect(b.load()).toEqual([two]);
    expect(lines().map((l) => JSON.parse(l))).toEqual([{ kept: two }]);
    b.remove(two.key);
    expect(existsSync(file)).toBe(false);
    expect(spool().load()).toEqual([]);
    expect(existsSync(file)).toBe(false);
  });

  it('is used by one live process at a time: another one keeps in memory only, a dead owner is replaced', async () => {
    const a = spool();
    a.load();
    a.add(kept('g1', 'm1'));
    // Another process owns the spool (two instances on one data dir): its records are left alone.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${file}.lock`, String(other.pid));
      const b = spool();
      expect(b.load()).toEqual([]);
      b.add(kept('g2', 'm2'));
      expect(lines().map((l) => JSON.parse(l).kept.key)).toEqual([kept('g1', 'm1').key]);
      expect(log).toContainEqual(
        expect.objectContaining({ level: 'warn', fields: { file, owner: other.pid } }),
      );
    } finally {
      other.kill('SIGKILL');
      await once(other, 'exit');
    }
    // Its owner died without closing (kill -9): the next start takes the spool over.
    const c = spool();
    expect(c.load()).toEqual([kept('g1', 'm1')]);
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    c.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('is readable and writable by its owner only (it holds customers’ words)', () => {
    const a = spool();
    a.load();
    a.add(kept('g1', 'm1'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, `${JSON.stringify({ kept: kept('g1', 'm2') })}\n`, { mode: 0o644 });
    spool().load(); // the compaction writes a new file
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('makes an existing journal private when it opens it, whatever its mode, and says so once', () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ kept: kept('g1', 'm1') })}\n`, { mode: 0o644 });
    const a = spool();
    expect(a.load()).toEqual([kept('g1', 'm1')]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(log).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(/mode 0600/),
        fields: { file, mode: '0644' },
      },
    ]);
    a.close();
    spool().load();
    expect(log).toHaveLength(1);
  });

  it('skips a torn last line (a crash cut the write) with a warning', () => {
    const a = spool();
    a.load();
    a.add(kept('g1', 'm1'));
    appendFileSync(file, '{"kept":{"key":"wechat::g1:m2","claimed":fal');
    expect(spool().load()).toEqual([kept('g1', 'm1')]);
    expect(log).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringMatching(/torn/) })]);
    expect(lines()).toHaveLength(1);
  });

  it('skips, and logs as an error, a line that is not JSON or not a kept message', () => {
    const bad = { kept: { ...kept('g1', 'm2'), message: { ...kept('g1', 'm2').message, platform: 'fax' } } };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(
      file,
      [
        JSON.stringify({ kept: kept('g1', 'm1') }),
        'not json at all',
        JSON.stringify(bad),
        JSON.stringify({ done: 42 }),
        JSON.stringify({ kept: kept('g1', 'm3') }),
        '',
      ].join('\n'),
      { mode: 0o600 }, // as the spool writes it: no mode change to report
    );
    expect(spool().load()).toEqual([kept('g1', 'm1'), kept('g1', 'm3')]);
    expect(log.map((e) => [e.level, e.fields?.line])).toEqual([
      ['error', 2],
      ['error', 3],
      ['error', 4],
    ]);
  });

  it('never grows past its bound: it compacts first, then refuses to spool (logged)', () => {
    const one = kept('g1', 'm1', 'x'.repeat(300));
    const size = Buffer.byteLength(`${JSON.stringify({ kept: one })}\n`);
    const a = spool(size * 2 + 10);
    a.load();
    a.add(one);
    a.remove(one.key); // the file goes: nothing is kept
    const [two, three, four] = ['m2', 'm3', 'm4'].map((id) => kept('g1', id, 'x'.repeat(300)));
    a.add(two!);
    a.add(three!);
    a.remove(two!.key); // a done record: the journal is now over two records long
    a.add(four!); // would pass the bound: the journal is rewritten with three and four
    expect(lines().map((l) => JSON.parse(l).kept.key)).toEqual([three!.key, four!.key]);
    expect(statSync(file).size).toBeLessThanOrEqual(size * 2 + 10);
    a.add(kept('g1', 'm5', 'x'.repeat(300))); // three live records would not fit: not spooled
    expect(log).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/spool full/) }),
    ]);
    expect(spool(size * 2 + 10).load()).toEqual([three, four]);
  });

  it('reads a journal larger than its bound only up to it, and sets the file aside', () => {
    mkdirSync(path.dirname(file), { recursive: true });
    const records = ['m1', 'm2', 'm3'].map((id) => `${JSON.stringify({ kept: kept('g1', id) })}\n`);
    writeFileSync(file, records.join(''));
    const bound = Buffer.byteLength(records[0]! + records[1]!) + 5; // the third is cut by the bound
    expect(spool(bound).load()).toEqual([kept('g1', 'm1'), kept('g1', 'm2')]);
    expect(readFileSync(`${file}.oversize`, 'utf8')).toBe(records.join(''));
    expect(statSync(`${file}.oversize`).mode & 0o777).toBe(0o600); // customers' words too
    expect(log).toEqual([
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/mode 0600/) }),
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/larger than its bound/) }),
    ]);
  });

  it('logs a write the disk refuses, carries on, and writes everything once it can again', () => {
    mkdirSync(file, { recursive: true }); // a directory where the journal should be: every write fails
    const a = spool();
    expect(a.load()).toEqual([]);
    expect(log).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/unreadable/) }),
    ]);
    log = [];
    rmSync(file, { recursive: true });
    const b = spool();
    b.load();
    mkdirSync(file);
    expect(() => b.add(kept('g1', 'm1'))).not.toThrow();
    expect(() => b.add(kept('g1', 'm2'))).not.toThrow();
    expect(log).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(/could not write/) }),
    ]); // once, not once per message
    rmSync(file, { recursive: true });
    b.close(); // the last chance at stop: everything kept is written
    expect(spool().load()).toEqual([kept('g1', 'm1'), kept('g1', 'm2')]);
    expect(log.at(-1)).toEqual(
      expect.objectContaining({ level: 'warn', message: 'outage spool: writing again' }),
    );
  });
});
