/**
 * Online backup and restore of the embedded store (`groupdesk backup`, `groupdesk restore`).
 *
 * A backup is SQLite's `VACUUM INTO`: one read transaction, so a consistent snapshot of the
 * file while the bot keeps writing (WAL lets readers and the writer run together), written
 * compacted into a new file. It goes to `<target>.partial-<pid>` (created empty with mode 0600
 * first: VACUUM INTO accepts an empty file), is checked (`integrity_check`), flushed to disk,
 * then renamed into place beside a `<target>.sha256` line in sha256sum's format.
 *
 * A restore replaces the data directory's database with a backup only when the bot is not
 * running there (the outage spool's lock names a live pid while it runs), the backup's
 * checksum (when its .sha256 is beside it) and integrity check pass, and its schema is not
 * newer than this build's. The file it replaces is kept, renamed, after its WAL is folded in.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { spoolOwner } from '../../spool/file-spool';
import { SCHEMA_VERSION } from './migrations';
import { sqliteFileIn } from './sqlite.config';

const MODE = 0o600;
/** The names `groupdesk backup` gives, and the only files its rotation ever deletes. */
const BACKUP_NAME = /^groupdesk-\d{8}-\d{6}(-\d+)?\.sqlite$/;

export interface BackupFacts {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly tickets: number;
  readonly ms: number;
}

/** Every reason a backup or restore is refused; each names a locale key `cli.backup.<reason>`. */
export const BACKUP_REFUSALS = [
  'no_source',
  'exists',
  'corrupt',
  'checksum',
  'newer',
  'running',
  'not_sqlite',
] as const;

/** Why a backup or restore did not happen; `reason` names a locale key `cli.backup.<reason>`. */
export class BackupRefused extends Error {
  constructor(
    readonly reason: (typeof BACKUP_REFUSALS)[number],
    readonly target: string,
    readonly detail = '',
  ) {
    super(`backup refused (${reason}): ${target}${detail ? `: ${detail}` : ''}`);
    this.name = 'BackupRefused';
  }
}

/** `20261206-221500` (UTC) for `at`: in backup names and the name of a replaced database. */
const stampOf = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** `groupdesk-20261206-221500.sqlite` in `dir`, for `at`. */
export function defaultBackupFile(dir: string, at: Date): string {
  const stamp = stampOf(at);
  let file = path.join(dir, `groupdesk-${stamp}.sqlite`);
  for (let n = 1; existsSync(file); n++) file = path.join(dir, `groupdesk-${stamp}-${n}.sqlite`);
  return file;
}

/** A consistent snapshot of `source` (the live database) into `target`, which must not exist. */
export function backupSqlite(source: string, target: string): BackupFacts {
  const started = process.hrtime.bigint();
  if (!existsSync(source)) throw new BackupRefused('no_source', source);
  if (existsSync(target)) throw new BackupRefused('exists', target);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  const partial = `${target}.partial-${process.pid}`;
  closeSync(openSync(partial, 'wx', MODE));
  try {
    const db = new Database(source, { timeout: 5000 } as never);
    try {
      db.exec(`VACUUM INTO '${partial.replace(/'/g, "''")}'`);
    } finally {
      db.close();
    }
    chmodSync(partial, MODE);
    const tickets = checkDatabase(partial);
    flush(partial);
    const sha256 = sha256Of(partial);
    renameSync(partial, target);
    writeFileSync(`${target}.sha256`, `${sha256}  ${path.basename(target)}\n`, { mode: MODE });
    flush(path.dirname(target));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { file: target, bytes: statSync(target).size, sha256, tickets, ms: Math.round(ms) };
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Deletes the oldest backups GroupDesk named in `dir` beyond the newest `keep`; returns what it deleted. */
export function rotateBackups(dir: string, keep: number): string[] {
  // By time, then by the -N a second backup within the same second got (plain sort puts it first).
  const order = (name: string) =>
    name.replace(/(-\d+)?\.sqlite$/, (_, n?: string) => `-${(n ?? '-0').slice(1).padStart(6, '0')}`);
  const names = readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const name of old) {
    rmSync(path.join(dir, name), { force: true });
    rmSync(path.join(dir, `${name}.sha256`), { force: true });
  }
  return old.map((name) => path.join(dir, name));
}

export interface RestoreFacts {
  readonly file: string;
  readonly tickets: number;
  /** Where the database it replaced was kept (undefined: there was none). */
  readonly kept: string | undefined;
  readonly checksum: 'verified' | 'absent';
}

/** Replaces the database of the (stopped) data directory `dataDir` with `backup`. */
export function restoreSqlite(backup: string, dataDir: string, at: Date): RestoreFacts {
  if (!existsSync(backup)) throw new BackupRefused('no_source', backup);
  const owner = spoolOwner(dataDir);
  if (owner !== undefined) throw new BackupRefused('running', dataDir, String(owner));
  const checksum = verifyChecksum(backup);
  const tickets = checkDatabase(backup);
  const target = sqliteFileIn(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const incoming = `${target}.restoring-${process.pid}`;
  try {
    copyFileSync(backup, incoming, constants.COPYFILE_EXCL);
    chmodSync(incoming, MODE);
    flush(incoming);
    let kept: string | undefined;
    if (existsSync(target)) {
      foldWal(target);
      kept = `${target}.before-restore-${stampOf(at)}`;
      renameSync(target, kept);
      for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    }
    renameSync(incoming, target);
    flush(dataDir);
    return { file: target, tickets, kept, checksum };
  } finally {
    rmSync(incoming, { force: true });
  }
}

/** Compares the file with its `.sha256` line when there is one. */
function verifyChecksum(file: string): 'verified' | 'absent' {
  let line: string;
  try {
    line = readFileSync(`${file}.sha256`, 'utf8');
  } catch {
    return 'absent';
  }
  const expected = /^([0-9a-f]{64})\b/.exec(line.trim())?.[1];
  const actual = sha256Of(file);
  if (expected !== actual) throw new BackupRefused('checksum', file, `${expected ?? '?'} ≠ ${actual}`);
  return 'verified';
}

/** Opens `file` read-only: a GroupDesk database, intact, not newer than this build. Returns its ticket count. */
function checkDatabase(file: string): number {
  const facts = sqliteChild('check', file) as {
    integrity?: string;
    version?: number;
    tickets?: number | null;
  };
  if (facts.integrity !== 'ok') throw new BackupRefused('corrupt', file, String(facts.integrity));
  if ((facts.version ?? 0) > SCHEMA_VERSION) throw new BackupRefused('newer', file, String(facts.version));
  if (facts.tickets === null || facts.tickets === undefined)
    throw new BackupRefused('not_sqlite', file, 'no tickets table');
  return facts.tickets;
}

/**
 * The checks of a backup or restore, in a short-lived child process: libsql's close() does
 * not release a connection's file descriptors or locks (checked on libsql 0.5), and a file
 * this process keeps open could not be replaced cleanly. A child's exit releases everything.
 * The snapshot itself runs here, on a connection in the writer's own process, which is the
 * arrangement that does not wedge a writer (docs/operations.md); it leaves that one
 * connection's descriptors open until this process ends.
 */
function sqliteChild(mode: 'check' | 'fold', file: string): unknown {
  const result = spawnSync(process.execPath, ['-e', CHILD, require.resolve('libsql'), mode, file], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
    maxBuffer: 1 << 20,
  });
  const answer = (result.stdout ?? '').trim().split('\n').pop() ?? '';
  let parsed: { error?: string } & Record<string, unknown>;
  try {
    parsed = JSON.parse(answer);
  } catch {
    throw new BackupRefused(
      'not_sqlite',
      file,
      (result.stderr || String(result.error ?? 'no answer')).trim(),
    );
  }
  if (parsed.error !== undefined) throw new BackupRefused('not_sqlite', file, parsed.error);
  return parsed;
}

const CHILD = `
const [libsql, mode, file] = process.argv.slice(1);
const Database = require(libsql);
try {
  if (mode === 'fold') {
    new Database(file).pragma('wal_checkpoint(TRUNCATE)');
    console.log('{}');
  } else {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const integrity = db.pragma('integrity_check', { simple: true });
    const version = db.pragma('user_version', { simple: true });
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'tickets'").get();
    const tickets = table ? db.prepare('SELECT count(*) AS n FROM tickets').get().n : null;
    const plain = (v, key) => (v !== null && typeof v === 'object' ? v[key] : v);
    console.log(JSON.stringify({ integrity: plain(integrity, 'integrity_check'), version: plain(version, 'user_version'), tickets }));
  }
} catch (error) {
  console.log(JSON.stringify({ error: String(error && error.message || error) }));
}
`;

/** Folds a stopped database's WAL into the file, so that the file alone is the whole database. */
function foldWal(file: string): void {
  sqliteChild('fold', file);
}

/** Read in 1 MiB chunks: a backup of a million tickets is larger than one would hold in memory. */
function sha256Of(file: string): string {
  const hash = createHash('sha256');
  const chunk = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function flush(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
