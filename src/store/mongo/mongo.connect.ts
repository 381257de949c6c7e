/** Opening the MongoDB store: one mongoose connection, its models and their indexes. */
import mongoose from 'mongoose';
import { toStoreError } from './mongo.errors';
import { modelsOn } from './mongo.schemas';
import { MongoStore } from './mongo.sla';

export interface MongoStoreOptions {
  readonly uri: string;
  /** Database name; defaults to the one in the URI. */
  readonly dbName?: string;
  /** How long an operation waits for a reachable server before failing (ms). */
  readonly serverSelectionTimeoutMS?: number;
}

/** Connects, creates the collections and every declared index, and returns the store. */
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
    await Promise.all(
      Object.values(models).map(async (model) => {
        await model.init();
        await model.createIndexes();
      }),
    );
    const hello = (await connection.getClient().db().admin().command({ hello: 1 })) as {
      setName?: string;
      msg?: string;
    };
    // Transactions need a replica set or mongos; a standalone server has neither.
    const transactions = hello.setName !== undefined || hello.msg === 'isdbgrid';
    return new MongoStore(connection, models, transactions);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw toStoreError(error);
  }
}
