/** Opens the configured store: MongoDB when MONGODB_URI is set, the embedded SQLite file otherwise. */
import { blanksRemoved, type LoadedConfig, parseWith } from '../../config/load';
import { ConfigError } from '../core/errors';
import type { Store } from '../core/ports';
import { openSqliteStore, sqliteEnvSchema, sqliteFileIn, sqliteOptionsFrom } from './sqlite';

export async function openStore(config: LoadedConfig): Promise<Store> {
  if (config.env.MONGODB_URI) {
    throw new ConfigError(
      'MONGODB_URI: the MongoDB store is not available yet; unset MONGODB_URI to use the embedded SQLite store.',
    );
  }
  const sqliteEnv = parseWith(sqliteEnvSchema, blanksRemoved(config.raw), 'environment');
  return openSqliteStore(sqliteFileIn(config.env.GROUPDESK_DATA_DIR), sqliteOptionsFrom(sqliteEnv));
}
