/**
 * Environment keys of the MongoDB store. config/ merges this schema into the
 * application's; nothing here reads process.env.
 */
import { z } from 'zod';
import type { MongoStoreOptions } from './mongo.connect';

export const mongoEnvSchema = z.object({
  /** When set, GroupDesk stores everything in this MongoDB instead of the SQLite file. */
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'a MongoDB connection string (mongodb:// or mongodb+srv://)')
    .optional(),
  /** How long an operation waits for a reachable server before failing with "unavailable". */
  GROUPDESK_MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
});
export type MongoEnv = z.infer<typeof mongoEnvSchema>;

/** Store options from the parsed environment, or undefined when MongoDB is not configured. */
export function mongoOptionsFrom(env: MongoEnv): MongoStoreOptions | undefined {
  if (env.MONGODB_URI === undefined) return undefined;
  return { uri: env.MONGODB_URI, serverSelectionTimeoutMS: env.GROUPDESK_MONGODB_TIMEOUT_MS };
}
