/**
 * Small helpers of SqliteStore, kept apart so the store reads as its port: connection
 * options, the export's snapshot reader and row mapping, and foreign-key error translation.
 */
import Database from 'libsql';
import type { ExportRecord } from '../../core/ports';
import { StoreError } from '../errors';
import type { ConnectionOptions, Db } from './connection';
import * as rows from './rows';
import { EXPORT_SQL } from './statements';

export function connectionOptions(options: Partial<ConnectionOptions>): ConnectionOptions {
  return { busyTimeoutMs: options.busyTimeoutMs ?? 5000, synchronous: options.synchronous ?? 'normal' };
}

/**
 * Streams every record. For a file, the export reads through its own connection inside
 * one read transaction: a consistent snapshot (counts and checksums agree with each
 * other) that never blocks the bot's writes, thanks to WAL.
 */
export async function* exportSnapshot(
  store: Db,
  file: string,
  options: ConnectionOptions,
): AsyncIterable<ExportRecord> {
  const memory = file === ':memory:';
  const db = memory ? store : openSnapshotReader(file, options);
  try {
    if (!memory) db.exec('BEGIN');
    for (const [kind, sql] of Object.entries(EXPORT_SQL) as Array<[ExportRecord['kind'], string]>) {
      const toRecord = EXPORT_MAPPERS[kind];
      for (const row of db.prepare(sql).iterate()) yield { kind, record: toRecord(row) };
    }
  } finally {
    if (!memory) {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    }
  }
}

function openSnapshotReader(file: string, options: ConnectionOptions): Db {
  const db = new Database(file);
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
  return db;
}

// Rows from libsql are `unknown`; the casts below are the single place where a row is
// trusted to have the shape its table declares (STRICT tables guarantee the column types).
export const EXPORT_MAPPERS: { readonly [K in ExportRecord['kind']]: (row: unknown) => object } = {
  customer: (row) => rows.toCustomer(row as rows.CustomerRow),
  subscription: (row) => rows.toSubscription(row as rows.SubscriptionRow),
  person: (row) => rows.toPerson(row as rows.PersonRow),
  identity: (row) => rows.toIdentity(row as rows.IdentityRow),
  group: (row) => rows.toGroup(row as rows.GroupRow),
  ticket: (row) => rows.toTicket(row as rows.TicketRow),
  event: (row) => rows.toEvent(row as rows.EventRow),
  message_link: (row) => rows.toMessageLink(row as rows.MessageLinkRow),
};

export function mapOne<R, T>(row: unknown, map: (row: R) => T): T | undefined {
  return row === undefined ? undefined : map(row as R);
}

export function mapAll<R, T>(found: unknown[], map: (row: R) => T): T[] {
  return found.map((row) => map(row as R));
}

/** A foreign-key failure becomes the store-neutral "that ticket/person does not exist". */
export function translateMissingReference(write: () => unknown, parent: 'ticket' | 'person'): void {
  try {
    write();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new StoreError('STORE_MISSING_REFERENCE', `no such ${parent}`, { cause: error });
    }
    throw error;
  }
}
