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
 */

import type Database from 'libsql';
import { StoreError } from '../errors';

type Db = Database.Database;

interface Waiter {
  readonly settle: () => void;
  readonly fail: (error: unknown) => void;
}

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

  constructor(private readonly db: Db) {}

  /**
   * Runs `fn` now inside the current batch (opening one if needed). `atomic` wraps it in a
   * savepoint, for writes made of several statements.
   */
  write<T>(fn: () => T, atomic = false): Promise<T> {
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
    const result = fn();
    const waiters = this.waiters;
    if (waiters === undefined) return Promise.resolve(result);
    return new Promise<T>((resolve, reject) => waiters.push({ settle: () => resolve(result), fail: reject }));
  }

  /** Commits the open batch now, then settles its callers. */
  flush(): void {
    const waiters = this.waiters;
    if (waiters === undefined) return;
    this.waiters = undefined;
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
