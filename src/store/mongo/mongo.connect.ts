/** Opening the MongoDB store: one mongoose connection, its models and their indexes. */
import mongoose, { type Model } from 'mongoose';
import type { Logger } from '../../core/logger';
import { silentLogger } from '../../core/logger';
import { toStoreError } from './mongo.errors';
import { prepare } from './mongo.features';
import { modelsOn } from './mongo.schemas';
import { MongoStore } from './mongo.sla';
import { fillQueueKeys } from './mongo.upgrade';

export interface MongoStoreOptions {
  readonly uri: string;
  /** Database name; defaults to the one in the URI. */
  readonly dbName?: string;
  /** How long an operation waits for a reachable server before failing (ms). */
  readonly serverSelectionTimeoutMS?: number;
  /** Where the fallbacks chosen for this server are logged (once, at info level). */
  readonly logger?: Pick<Logger, 'info'>;
}

/**
 * Connects, creates the collections and every declared index, learns what the server can
 * do (mongo.features.ts), fills in keys an older version did not write (mongo.upgrade.ts),
 * and returns the store.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<MongoStore> {
  const connection = mongoose.createConnection(options.uri, {
    ...(options.dbName !== undefined && { dbName: options.dbName }),
    // Fail fast while the server is away instead of queueing operations in memory.
    bufferCommands: false,
    // Indexes are created below, once, and awaited: not in the background at first use.
    autoIndex: false,
    // Belt and braces: a nested object with a `$` key in a filter becomes a plain `$eq`.
    sanitizeFilter: true,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
  });
  try {
    await connection.asPromise();
    const models = modelsOn(connection);
    const all = Object.values(models) as unknown as Array<Model<never>>;
    const features = await prepare(connection, all, options.logger ?? silentLogger);
    await fillQueueKeys(models.tickets);
    const store = new MongoStore(connection, models, features);
    await store.backfillLinks();
    return store;
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw toStoreError(error);
  }
}
