/**
 * Group commit for the SQLite store. Writes issued while the microtask queue is still
 * running (typically many messages handled concurrently, each reaching its next store
 * call in the same turn) share one transaction, committed by a microtask queued with the
 * first of them. Each call's promise settles only after that COMMIT, so "resolved means
 * durable" still holds; one COMMIT (one WAL append of the pages touched) then serves
 * many writes instead of one, which is what makes thousands of tickets a second possible.
 *
 * Calls made one after another (each awaited before the next) commit one by one, exactly
 * as without batching. Every write is atomic on its own: a multi-statement write runs in
 * a SAVEPOINT and a failure rolls back only that write.
 *
 * A unit of work (`unit`) makes several awaited writes one: one message's inbound key,
 * ticket, event, link and outbox rows. Its writes and reads run at once and resolve at once
 * (inside the unit's SAVEPOINT), and the unit resolves after the COMMIT that holds all of
 * them, or rolls back all of them when its work throws. Units hold the SAVEPOINT one at a
 * time (their work is store calls, microseconds each); a unit waiting for the holder and the
 * writes made outside any unit meanwhile run right after it, in the same batch, which
 * commits once no unit holds or waits (or after MAX_UNITS units, to bound latency).
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'libsql';
import { StoreError } from '../errors';

type Db = Database.Database;

interface Waiter {
  readonly settle: () => void;
  readonly fail: (error: unknown) => void;
}

/** One unit of work; `ended` once it released its SAVEPOINT (what its context does next is outside it). */
interface Unit {
  ended: boolean;
}

/** Units in one batch before it commits although more wait: the wait for a COMMIT stays short. */
const MAX_UNITS = 64;

/**
 * Batches open in this process, over every connection. SQLite has one write lock per file:
 * a second connection waiting for it inside a synchronous call would wait for a COMMIT
 * that can only run after that call returns. So before any connection takes the lock,
 * every other open batch in the process is committed first.
 */
const openBatches = new Set<GroupCommit>();

/** Commits every open batch in this process (before opening a connection, for example). */
export function flushAllBatches(except?: GroupCommit): void {
  for (const batch of openBatches) if (batch !== except) batch.flush();
}

export class GroupCommit {
  private waiters: Waiter[] | undefined;
  private readonly context = new AsyncLocalStorage<Unit>();
  /** The unit holding the SAVEPOINT, if any. */
  private holder: Unit | undefined;
  /** What waits for the holder to end: units to start, writes and reads made outside units. */
  private readonly queue: Array<{ readonly unit: boolean; readonly run: () => void }> = [];
  private unitsInBatch = 0;

  constructor(private readonly db: Db) {}

  /**
   * Runs `work` as one unit of work: everything it writes through this batch commits
   * together, or — when it throws — nothing does. Resolves after that COMMIT. Inside a unit
   * (not ended yet) it simply runs `work` as part of it.
   */
  async unit<T>(work: () => Promise<T>): Promise<T> {
    const current = this.context.getStore();
    if (current !== undefined && !current.ended) return work();
    // Woken in line when the holder ends; the first to run takes the SAVEPOINT, the others wait again.
    while (this.holder !== undefined || (this.unitsInBatch >= MAX_UNITS && this.waiters !== undefined))
      await new Promise<void>((resolve) => this.queue.push({ unit: true, run: resolve }));
    const committed = this.join();
    const unit: Unit = { ended: false };
    this.db.exec('SAVEPOINT unit');
    this.holder = unit;
    this.unitsInBatch++;
    let result: T;
    try {
      result = await this.context.run(unit, work);
    } catch (error) {
      if (!unit.ended) this.end(unit, false);
      committed.catch(() => undefined);
      throw error;
    }
    if (!unit.ended) this.end(unit, true);
    await committed;
    return result;
  }

  /**
   * Ends the current unit here (before something leaves the process: a message to a
   * platform must not announce a change that could still roll back) and resolves once what
   * it wrote is committed; what its context does next runs outside it. Outside a unit: at once.
   */
  async commitUnit(): Promise<void> {
    const unit = this.context.getStore();
    if (unit === undefined || unit.ended) return;
    const committed = this.join();
    this.end(unit, true);
    await committed;
  }

  /**
   * Runs `fn` now inside the current batch (opening one if needed). `atomic` wraps it in a
   * savepoint, for writes made of several statements.
   */
  write<T>(fn: () => T, atomic = false): Promise<T> {
    const inUnit = this.inUnit();
    if (!inUnit && this.holder !== undefined) return this.afterHolder(() => this.write(fn, atomic));
    if (inUnit) {
      try {
        return Promise.resolve(atomic ? this.inSavepoint(fn) : fn());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const waiters = this.begin();
    let result: T;
    try {
      result = atomic ? this.inSavepoint(fn) : fn();
    } catch (error) {
      if (!this.db.inTransaction) this.abandon(error); // SQLite rolled the whole batch back (I/O error, full disk)
      return Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => waiters.push({ settle: () => resolve(result), fail: reject }));
  }

  /**
   * Runs `fn` now. While a batch is open its result may include that batch's writes, so it
   * is delivered only once they are committed (and never if they are not).
   */
  read<T>(fn: () => T): Promise<T> {
    const inUnit = this.inUnit();
    if (!inUnit && this.holder !== undefined) return this.afterHolder(() => this.read(fn));
    const result = fn();
    // A unit reads what it wrote itself (or what commits in the same batch as it).
    if (inUnit) return Promise.resolve(result);
    const waiters = this.waiters;
    if (waiters === undefined) return Promise.resolve(result);
    return new Promise<T>((resolve, reject) => waiters.push({ settle: () => resolve(result), fail: reject }));
  }

  /** Commits the open batch now, then settles its callers (not while a unit holds its SAVEPOINT: when it ends). */
  flush(): void {
    const waiters = this.waiters;
    if (waiters === undefined || this.holder !== undefined) return;
    this.waiters = undefined;
    this.unitsInBatch = 0;
    openBatches.delete(this);
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const waiter of waiters) waiter.fail(error);
      return;
    }
    for (const waiter of waiters) waiter.settle();
  }

  private begin(): Waiter[] {
    if (this.waiters !== undefined) return this.waiters;
    flushAllBatches(this);
    // IMMEDIATE takes the write lock first, waiting through busy_timeout for other processes.
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error;
      throw new StoreError('STORE_UNAVAILABLE', 'the database file stayed locked by another process', {
        cause: error,
      });
    }
    const waiters: Waiter[] = [];
    this.waiters = waiters;
    openBatches.add(this);
    queueMicrotask(() => this.flush());
    return waiters;
  }

  private inUnit(): boolean {
    const unit = this.context.getStore();
    return unit !== undefined && !unit.ended && unit === this.holder;
  }

  private afterHolder<T>(run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.queue.push({ unit: false, run: () => void run().then(resolve, reject) }),
    );
  }

  /** Joins (or opens) the batch: the promise settles with its COMMIT. */
  private join(): Promise<void> {
    const waiters = this.begin();
    return new Promise<void>((resolve, reject) => waiters.push({ settle: resolve, fail: reject }));
  }

  /** Releases (or rolls back) the unit's SAVEPOINT; then the next in line runs, or the batch commits. */
  private end(unit: Unit, keep: boolean): void {
    unit.ended = true;
    this.holder = undefined;
    if (this.db.inTransaction) {
      if (!keep) this.db.exec('ROLLBACK TO unit');
      this.db.exec('RELEASE unit');
    } else {
      this.abandon(new StoreError('STORE_UNAVAILABLE', 'the database rolled the batch back'));
    }
    const waiting = this.queue.splice(0);
    // A unit in line joins this batch and commits it when it ends; otherwise commit now.
    if (this.unitsInBatch >= MAX_UNITS || !waiting.some((w) => w.unit)) queueMicrotask(() => this.flush());
    for (const next of waiting) next.run();
  }

  private inSavepoint<T>(fn: () => T): T {
    this.db.exec('SAVEPOINT write');
    try {
      const result = fn();
      this.db.exec('RELEASE write');
      return result;
    } catch (error) {
      if (this.db.inTransaction) {
        this.db.exec('ROLLBACK TO write');
        this.db.exec('RELEASE write');
      }
      throw error;
    }
  }

  private abandon(error: unknown): void {
    const waiters = this.waiters ?? [];
    this.waiters = undefined;
    openBatches.delete(this);
    for (const waiter of waiters) waiter.fail(error);
  }
}
