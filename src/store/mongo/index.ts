/** The MongoDB store (set MONGODB_URI): several bot processes can share it. */
export { type MongoEnv, mongoEnvSchema, mongoOptionsFrom } from './mongo.config';
export { type MongoStoreOptions, openMongoStore } from './mongo.connect';
export { MongoStore } from './mongo.sla';
