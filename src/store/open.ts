/**
 * Opens the configured store: MongoDB when MONGODB_URI is set, the embedded SQLite file
 * otherwise. A MongoDB that does not answer within GROUPDESK_MONGODB_TIMEOUT_MS stops the
 * start with a StoreUnavailableError (exit code 1: the configuration may be right and the
 * server merely down, so a supervisor's restart can succeed), never a stack trace.
 */
import { checkDataDir } from '../../config/data-dir';
import { blanksRemoved, type LoadedConfig, parseWith } from '../../config/load';
import { ConfigError, isStoreUnavailable, StoreUnavailableError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Store } from '../core/ports';
import { mongoEnvSchema, mongoOptionsFrom } from './mongo/mongo.config';
import type * as MongoConnect from './mongo/mongo.connect';
import { openSqliteStore, sqliteEnvSchema, sqliteFileIn, sqliteOptionsFrom } from './sqlite';
import { BackupSchedule, backupEnvSchema } from './sqlite/backup.schedule';

/** `logger` hears, once at info level, which fallbacks a MongoDB-compatible server needs. */
export async function openStore(config: LoadedConfig, logger?: Pick<Logger, 'info'>): Promise<Store> {
  const env = blanksRemoved(config.raw);
  const mongo = mongoOptionsFrom(parseWith(mongoEnvSchema, env, 'environment'));
  if (mongo !== undefined) {
    try {
      // mongoose (0.35 s to load) only when MongoDB is the store.
      const { openMongoStore } = require('./mongo/mongo.connect') as typeof MongoConnect;
      return await openMongoStore({ ...mongo, ...(logger !== undefined && { logger }) });
    } catch (error) {
      // A URI that passes the schema's prefix check but that the driver cannot parse.
      if (isUriRefusal(error)) {
        throw new ConfigError(
          `environment: MONGODB_URI=${JSON.stringify(redactedUri(mongo.uri))}: ${(error as Error).message}`,
        );
      }
      // Wrong user or password: the server answered, so retrying cannot help.
      if (isAuthRefusal(error)) {
        throw new ConfigError(
          `environment: MONGODB_URI=${JSON.stringify(redactedUri(mongo.uri))}: the server refused these ` +
            'credentials (authentication failed). Check the user name, the password and authSource.',
        );
      }
      if (!isStoreUnavailable(error)) throw error;
      throw new StoreUnavailableError(
        `MongoDB at ${redactedUri(mongo.uri)} did not answer within ${mongo.serverSelectionTimeoutMS} ms ` +
          '(GROUPDESK_MONGODB_TIMEOUT_MS). Check that it is running and reachable from here; ' +
          `the driver said: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  const sqliteEnv = parseWith(sqliteEnvSchema, env, 'environment');
  // The CLI opens the store without main.ts's check; checking again in main costs a stat.
  checkDataDir(config.env.GROUPDESK_DATA_DIR);
  return openSqliteStore(sqliteFileIn(config.env.GROUPDESK_DATA_DIR), {
    ...sqliteOptionsFrom(sqliteEnv),
    ...(logger !== undefined && { logger }),
  });
}

/** The URI without its password, for messages and logs. */
export function redactedUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

/** The driver's refusal of the connection string itself (a configuration error, not an outage). */
/** MongoDB's AuthenticationFailed (18), as the driver raises it during the handshake. */
function isAuthRefusal(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const { code, codeName, message, cause } = error as Record<string, unknown>;
  if (code === 18 || codeName === 'AuthenticationFailed') return true;
  if (typeof message === 'string' && /authentication failed/i.test(message)) return true;
  return isAuthRefusal(cause, depth + 1);
}

function isUriRefusal(error: unknown): boolean {
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name === 'MongoParseError' || name === 'MongoAPIError') return true;
  return name === 'MongoRuntimeError' && typeof message === 'string' && /unable to parse/i.test(message);
}

/**
 * The bot's scheduled backups (GROUPDESK_BACKUP_CRON), or undefined when none are asked for.
 * Checked at start with the rest of the configuration: a bad expression, or a schedule with
 * MongoDB (back that up with mongodump), stops the start naming the key.
 */
export function scheduledBackups(config: LoadedConfig, logger: Logger): BackupSchedule | undefined {
  const env = blanksRemoved(config.raw);
  const { GROUPDESK_BACKUP_CRON: cron, GROUPDESK_BACKUP_KEEP: keep } = parseWith(
    backupEnvSchema,
    env,
    'environment',
  );
  if (cron === undefined) return undefined;
  if (parseWith(mongoEnvSchema, env, 'environment').MONGODB_URI !== undefined) {
    throw new ConfigError(
      `environment: GROUPDESK_BACKUP_CRON=${JSON.stringify(cron)}: scheduled backups are for the embedded store; ` +
        'with MongoDB use mongodump (docs/operations.md)',
    );
  }
  const database = sqliteFileIn(config.env.GROUPDESK_DATA_DIR);
  return new BackupSchedule({ cron, keep, database, timezone: config.env.GROUPDESK_TIMEZONE, logger });
}

/** The embedded store's database file, or undefined when the store is MongoDB. */
export function embeddedDatabase(config: LoadedConfig): string | undefined {
  const env = blanksRemoved(config.raw);
  if (parseWith(mongoEnvSchema, env, 'environment').MONGODB_URI !== undefined) return undefined;
  return sqliteFileIn(config.env.GROUPDESK_DATA_DIR);
}
