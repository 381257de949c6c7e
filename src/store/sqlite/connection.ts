/**
 * Opening the SQLite file with the settings GroupDesk relies on, and a cache of prepared
 * statements for SQL whose shape depends on the call.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import type { Logger } from '../../core/logger';
import { flushAllBatches } from './group-commit';
import { MIGRATIONS, type Migration, migrate } from './migrations';

export type Db = Database.Database;

export interface ConnectionOptions {
  /** How long a statement waits for another process's write lock before failing (ms). */
  readonly busyTimeoutMs: number;
  /**
   * `normal` (default): in WAL mode a commit is written to the WAL before it returns, so it
   * survives the process being killed at any moment; only an OS crash or power loss can
   * lose the last commits (the file stays consistent). `full` also fsyncs the WAL on every
   * commit, which survives power loss but costs a disk flush per message (milliseconds on
   * ordinary disks), far below the 5,000 messages/s GroupDesk aims for.
   */
  readonly synchronous: 'normal' | 'full';
  /** Hears, at info level, when opening made existing files private (see `makePrivate`). */
  readonly logger?: Pick<Logger, 'info'>;
}

/** Opens (creating it and its directory if missing) and migrates the database. */
export function openDatabase(
  file: string,
  options: ConnectionOptions,
  migrations: readonly Migration[] = MIGRATIONS,
): Db {
  const onDisk = file !== ':memory:';
  // Customers' words are confidential: a new data dir is the owner's alone.
  if (onDisk) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Opening may have to migrate (take the write lock): commit this process's open batches first.
  flushAllBatches();
  const db = new Database(file);
  try {
    // Pragmas take no bound parameters; both values are checked numbers/enums, not user text.
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    // WAL: readers never block the writer and a commit is one append; it stays on for the file.
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // Checkpoint every ~40 MB of WAL instead of 4 MB: at ~11 pages per ticket the default
    // checkpointed every ~90 messages, which put a checkpoint in every p99 latency.
    db.pragma('wal_autocheckpoint = 10000');
    // After journal_mode: the -wal and -shm files exist by now.
    if (onDisk) makePrivate(file, options.logger);
    migrate(db, file, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The database and its -wal/-shm files hold every customer's words, so they are mode 0600
 * whatever existed before (an empty file made by `touch` or a migrate `--to` target is
 * 0644 under the usual umask, and SQLite gives new -wal/-shm files the database's mode).
 * A change is logged once per open, naming the files and the modes they had.
 */
function makePrivate(file: string, logger: Pick<Logger, 'info'> | undefined): void {
  const files: string[] = [];
  const modes: string[] = [];
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    let mode: number;
    try {
      mode = statSync(f).mode & 0o777;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if (mode === 0o600) continue;
    chmodSync(f, 0o600);
    files.push(f);
    modes.push(`0${mode.toString(8)}`);
  }
  if (files.length > 0)
    logger?.info('made the database files private (mode 0600): they hold customers’ words', { files, modes });
}

/**
 * A prepared statement that stays usable after a failed step. libsql 0.5.29 never resets a
 * statement whose step failed (a unique or foreign-key violation, a RAISE in a trigger, a
 * full disk): every later use of it answers the same error again, and one still "in progress"
 * makes the group commit's COMMIT fail for every write in its batch. So a failure renews the
 * statement (prepared again, from the same SQL) before the error is passed on; success, the
 * common path, costs one extra call.
 */
export class Statement {
  private statement: Database.Statement;

  constructor(
    private readonly db: Db,
    readonly sql: string,
  ) {
    this.statement = prepareRaw(db, sql);
  }

  /** Whether it returns rows (SELECT, or a write with RETURNING): then rows are arrays (raw mode). */
  get reader(): boolean {
    return this.statement.reader;
  }

  get(...params: unknown[]): unknown {
    try {
      return this.statement.get(...params);
    } catch (error) {
      this.renew();
      throw error;
    }
  }

  run(...params: unknown[]): Database.RunResult {
    try {
      return this.statement.run(...params);
    } catch (error) {
      this.renew();
      throw error;
    }
  }

  /** Streams rows (exports only: see rows.listSql for why lists are read with get()). */
  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.statement.iterate(...params);
  }

  private renew(): void {
    // A closed connection cannot prepare: the store answers STORE_CLOSED from then on anyway.
    if (this.db.open) this.statement = prepareRaw(this.db, this.sql);
  }
}

/** Prepares `sql`, in raw mode (rows as arrays, see rows.ts) when it returns rows. */
export function prepare(db: Db, sql: string): Statement {
  return new Statement(db, sql);
}

function prepareRaw(db: Db, sql: string): Database.Statement {
  const statement = db.prepare(sql);
  return statement.reader ? statement.raw(true) : statement;
}

/** Prepared statements for SQL whose shape depends on the call (filters, patch fields). */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  /** `key` must identify the SQL `build` returns; it is built and prepared once per key. */
  get(key: string, build: () => string): Statement {
    let statement = this.statements.get(key);
    if (statement === undefined) {
      statement = prepare(this.db, build());
      this.statements.set(key, statement);
    }
    return statement;
  }
}
