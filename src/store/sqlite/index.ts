/** The embedded SQLite store (the default back end). */
export type { ConnectionOptions } from './connection';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations';
export {
  SQLITE_FILE_NAME,
  type SqliteEnv,
  sqliteEnvSchema,
  sqliteFileIn,
  sqliteOptionsFrom,
} from './sqlite.config';
export { openSqliteStore, SqliteStore } from './sqlite.sla';
export type { SqliteStoreOptions } from './sqlite.store';
