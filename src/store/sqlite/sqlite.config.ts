/**
 * Environment keys of the embedded store. config/ merges this schema into the
 * application's and passes the parsed values to openSqliteStore; nothing here reads
 * process.env.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { ConnectionOptions } from './connection';

export const sqliteEnvSchema = z.object({
  /** `normal`: durable when the process is killed; `full`: also across power loss, much slower. */
  GROUPDESK_SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  /** How long a write waits for another process holding the file's write lock. */
  GROUPDESK_SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
});
export type SqliteEnv = z.infer<typeof sqliteEnvSchema>;

/** The database file's name inside GROUPDESK_DATA_DIR. */
export const SQLITE_FILE_NAME = 'groupdesk.sqlite';

export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, SQLITE_FILE_NAME);
}

export function sqliteOptionsFrom(env: SqliteEnv): ConnectionOptions {
  return {
    synchronous: env.GROUPDESK_SQLITE_SYNCHRONOUS,
    busyTimeoutMs: env.GROUPDESK_SQLITE_BUSY_TIMEOUT_MS,
  };
}
