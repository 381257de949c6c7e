/**
 * What the server behind the URI can do, decided at open from its own answers (never from
 * the URI or a switch), so that one store runs on MongoDB and on the MongoDB-compatible
 * engines (FerretDB 1.x among them) without weakening either:
 *
 * - partial indexes: each is created as declared; a server that answers NotImplemented
 *   gets a full index of the same name instead, with the partial filter's equality fields
 *   put first (a full index over `{ nextAt }` would walk every sent reminder; one over
 *   `{ status, nextAt }` reads only the pending ones). Only non-unique indexes are
 *   partial here, so a full one can hold no fewer documents and refuse nothing more.
 * - `$cond` in `$addFields` (the queue's "no deadline last" key): probed once; without
 *   it the queue is read as two sorted queries merged in order (mongo.tickets.ts).
 * - transactions: only a replica set or mongos can have them, and a server that says it
 *   is one must also prove it, by aborting a transaction and finding nothing written
 *   (FerretDB 1.x accepts and ignores transaction fields).
 */
import type { Collection } from 'mongodb';
import type { Connection, Model } from 'mongoose';
import type { Logger } from '../../core/logger';

export interface MongoFeatures {
  /** Multi-document writes can run in a transaction. */
  readonly transactions: boolean;
  /** `createIndexes` accepts `partialFilterExpression`. */
  readonly partialIndexes: boolean;
  /** `$cond` works inside `$addFields`. */
  readonly condInAddFields: boolean;
}

/** MongoDB's NotImplemented (FerretDB answers it for options and operators it lacks). */
const NOT_IMPLEMENTED = 238;

function notImplemented(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === NOT_IMPLEMENTED || (typeof message === 'string' && /not implemented/i.test(message));
}

type Keys = Record<string, 1 | -1>;
type IndexOptions = Record<string, unknown> & { name?: string; unique?: boolean };

/** The full index that stands in for a partial one: its equality fields first, then its keys. */
export function fullIndexFor(keys: Keys, partial: Record<string, unknown>): Keys {
  const equality = Object.entries(partial).filter(
    ([field, value]) => !(field in keys) && (typeof value !== 'object' || value === null),
  );
  return { ...Object.fromEntries(equality.map(([field]) => [field, 1 as const])), ...keys };
}

/**
 * Creates every index a model's schema declares. Returns the names of the partial indexes
 * created full instead (none where the server has partial indexes).
 */
export async function createIndexes(model: Model<never>): Promise<string[]> {
  await model.createCollection().catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== 48) throw error; // 48: NamespaceExists
  });
  const replaced: string[] = [];
  for (const [keys, options] of model.schema.indexes() as Array<[Keys, IndexOptions]>) {
    try {
      await model.collection.createIndex(keys, options);
    } catch (error) {
      const partial = options.partialFilterExpression as Record<string, unknown> | undefined;
      if (partial === undefined || options.unique === true || !notImplemented(error)) throw error;
      const { partialFilterExpression: _, ...full } = options;
      await model.collection.createIndex(fullIndexFor(keys, partial), full);
      replaced.push(options.name ?? JSON.stringify(keys));
    }
  }
  return replaced;
}

/** A document of this process's own in a probe collection, removed after `fn`. */
async function withProbe<T>(
  connection: Connection,
  fn: (probe: Collection<{ _id: string }>, id: string) => Promise<T>,
): Promise<T> {
  const probe = connection.db!.collection<{ _id: string }>('feature_probe');
  const id = `probe-${process.pid}-${Date.now()}-${Math.random()}`;
  try {
    return await fn(probe, id);
  } finally {
    await probe.deleteOne({ _id: id }).catch(() => undefined);
  }
}

/** Whether `$cond` inside `$addFields` is understood (a server may only notice with a document to apply it to). */
function hasCondInAddFields(connection: Connection): Promise<boolean> {
  return withProbe(connection, async (probe, id) => {
    await probe.insertOne({ _id: id });
    try {
      const [doc] = await probe
        .aggregate([
          { $match: { _id: id } },
          { $addFields: { probe: { $cond: [{ $eq: [{ $type: '$_id' }, 'missing'] }, 1, 0] } } },
        ])
        .toArray();
      return doc?.probe === 0;
    } catch (error) {
      if (notImplemented(error)) return false;
      throw error;
    }
  });
}

/** A replica set or mongos that really rolls back: an aborted insert must leave nothing. */
async function hasTransactions(connection: Connection): Promise<boolean> {
  const admin = connection.getClient().db().admin();
  const hello = (await admin.command({ hello: 1 })) as { setName?: string; msg?: string };
  if (hello.setName === undefined && hello.msg !== 'isdbgrid') return false;
  return withProbe(connection, async (probe, id) => {
    const session = connection.getClient().startSession();
    try {
      session.startTransaction();
      await probe.insertOne({ _id: id }, { session });
      await session.abortTransaction();
      return (await probe.findOne({ _id: id })) === null;
    } catch {
      return false; // a server that refuses transactions outright has none
    } finally {
      await session.endSession();
    }
  });
}

/** Creates the indexes of every model and learns the server's features, logging each fallback once. */
export async function prepare(
  connection: Connection,
  models: ReadonlyArray<Model<never>>,
  logger: Pick<Logger, 'info'>,
): Promise<MongoFeatures> {
  const replaced: string[] = [];
  for (const model of models) replaced.push(...(await createIndexes(model)));
  const features: MongoFeatures = {
    partialIndexes: replaced.length === 0,
    condInAddFields: await hasCondInAddFields(connection),
    transactions: await hasTransactions(connection),
  };
  if (replaced.length > 0) {
    logger.info('MongoDB: the server has no partial indexes; created full indexes instead', {
      indexes: replaced,
    });
  }
  if (!features.condInAddFields) {
    logger.info('MongoDB: the server has no $cond in $addFields; the queue is read as two sorted queries');
  }
  if (!features.transactions) {
    logger.info(
      'MongoDB: no transactions (not a replica set, or it ignores them); writes follow the standalone path',
    );
  }
  return features;
}
