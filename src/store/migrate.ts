/**
 * `groupdesk migrate`: copies every record from one store to another (SQLite file or
 * MongoDB, either way) and proves the copy: per kind, the count and a SHA-256 over the
 * canonical JSON line of each record, in export order, must be the same when the
 * destination is exported afterwards. Both stores export in the same order (natural keys;
 * events by ticket, time and insertion), so equal data gives equal checksums.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import type { ExportRecord, Store } from '../core/ports';
import { invalidValue } from './errors';
import { EXPORT_KINDS, type ExportKind, type Importable } from './importable';
import { MongoStore, openMongoStore } from './mongo';
import { openSqliteStore } from './sqlite';
import type { ConnectionOptions } from './sqlite/connection';

/** Count and checksum of one kind. */
export interface KindDigest {
  readonly count: number;
  /** Hex SHA-256 of the kind's canonical JSON lines, each followed by `\n`. */
  readonly sha256: string;
}
export type Digest = { readonly [K in ExportKind]: KindDigest };

export interface MigrationReport {
  readonly source: Digest;
  readonly destination: Digest;
  /** Kinds whose count or checksum differ (empty: the copy is verified). */
  readonly mismatched: readonly ExportKind[];
  /** Kinds the source changed while it was copied (someone wrote to it, or the copy emptied it). */
  readonly sourceChanged: readonly ExportKind[];
  /** Undelivered outbox messages copied into the destination's outbox (in order per chat). */
  readonly outboxCopied: number;
}

/** Why a migration did not start. */
export class MigrationRefused extends Error {
  constructor(
    readonly reason: 'not_empty' | 'same_store' | 'no_source',
    readonly target: string,
  ) {
    super(`migration refused (${reason}): ${target}`);
    this.name = 'MigrationRefused';
  }
}

export type Endpoint = Store & Importable;

export interface EndpointOptions {
  readonly sqlite: Partial<ConnectionOptions>;
  readonly mongoTimeoutMs: number;
}

/** `mongodb://…` or `mongodb+srv://…` opens MongoDB; anything else is a SQLite file path. */
export function isMongoUri(spec: string): boolean {
  return /^mongodb(\+srv)?:\/\//.test(spec);
}

/** Opens a source (which must exist) or a destination (created if missing). */
export async function openEndpoint(spec: string, role: 'source' | 'destination', options: EndpointOptions) {
  if (isMongoUri(spec))
    return openMongoStore({ uri: spec, serverSelectionTimeoutMS: options.mongoTimeoutMs });
  if (role === 'source' && !existsSync(spec)) throw new MigrationRefused('no_source', spec);
  return openSqliteStore(spec, options.sqlite);
}

/**
 * Refuses --from and --to naming the same database (the copy would delete or double it),
 * before anything is opened: SQLite files by device and inode (any spelling, symbolic or hard
 * link, a linked directory), MongoDB URIs by their normalised hosts, replica set and database.
 * Two URIs that still name one database (a host alias, a DNS name) are caught once both are
 * open, by assertDistinctOpen.
 */
export function assertDistinct(from: string, to: string): void {
  const [a, b] = [identityOf(from), identityOf(to)];
  if (a !== undefined && a === b) throw new MigrationRefused('same_store', to);
}

/** After opening: two MongoDB endpoints that are one database, however spelled. */
export async function assertDistinctOpen(from: Endpoint, to: Endpoint, target: string): Promise<void> {
  if (from instanceof MongoStore && to instanceof MongoStore && (await to.sameDatabaseAs(from)))
    throw new MigrationRefused('same_store', target);
}

/** What names one database: undefined for a SQLite path that does not exist (it cannot be the other). */
export function identityOf(spec: string): string | undefined {
  if (isMongoUri(spec)) return mongoIdentity(spec);
  try {
    const { dev, ino } = statSync(spec);
    return `sqlite:${dev}:${ino}`;
  } catch {
    return undefined;
  }
}

/** `scheme|hosts sorted, lower-case, default port|replica set|database`; credentials and other options ignored. */
export function mongoIdentity(uri: string): string {
  const srv = uri.startsWith('mongodb+srv://');
  const rest = uri.slice(srv ? 'mongodb+srv://'.length : 'mongodb://'.length);
  const slash = rest.search(/[/?]/);
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? '' : rest.slice(slash);
  const hostList = authority.slice(authority.lastIndexOf('@') + 1);
  const hosts = hostList
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean)
    .map((host) => (srv || /:\d+$/.test(host) ? host : `${host}:27017`))
    .sort();
  const [path = '', query = ''] = tail.split('?');
  const database = decodeURIComponent(path.replace(/^\//, '')) || 'test';
  const replicaSet = new URLSearchParams(query).get('replicaSet') ?? '';
  return `${srv ? 'srv' : 'mongodb'}|${hosts.join(',')}|${replicaSet}|${database}`;
}

/**
 * Copies `from` into `to` in batches and verifies the result. A destination that holds
 * records is refused unless `force`, which deletes them first.
 */
export async function migrate(
  from: Store,
  to: Endpoint,
  options: { readonly force: boolean; readonly target: string; readonly batchSize?: number },
): Promise<MigrationReport> {
  // The source's digest is taken before anything is deleted: were the destination the source
  // after all, the copy could then never be called verified.
  const before = await digestOf(from);
  if (!(await to.isEmpty())) {
    if (!options.force) throw new MigrationRefused('not_empty', options.target);
    await to.clearAll();
  }
  const batchSize = options.batchSize ?? 500;
  const copied = new Digester();
  let batch: ExportRecord[] = [];
  for await (const record of from.exportAll()) {
    copied.add(record);
    batch.push(record);
    if (batch.length >= batchSize) {
      await to.importRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await to.importRecords(batch);
  const during = copied.digest();
  const after = await digestOf(to);
  const differ = (x: Digest, y: Digest) =>
    EXPORT_KINDS.filter((kind) => x[kind].count !== y[kind].count || x[kind].sha256 !== y[kind].sha256);
  const sourceChanged = differ(before, during);
  const mismatched = [...new Set([...differ(before, after), ...sourceChanged])];
  const outboxCopied = mismatched.length === 0 ? await copyWaitingOutbox(from, to) : 0;
  return { source: before, destination: after, mismatched, sourceChanged, outboxCopied };
}

/** Rows read per chat of the source's outbox; a chat with more waiting is refused, not cut. */
const OUTBOX_ROWS_PER_CHAT = 500;

/**
 * The messages the source's bot had not delivered yet (a platform down when it stopped) go on
 * waiting in the destination: each chat's waiting rows, in their order, appended to the
 * destination's outbox with their expiry. Delivered and given-up rows are history, not copied.
 * The source keeps its rows (a migration never changes it): start the bot on the destination only.
 */
async function copyWaitingOutbox(from: Store, to: Endpoint): Promise<number> {
  const waiting = ['queued', 'sending'] as const;
  const chats = new Set((await from.listOutbound({ states: waiting, limit: 500 })).map((r) => r.chat));
  const perChat = [];
  for (const chat of chats) {
    const rows = await from.listOutbound({ states: waiting, chat, limit: OUTBOX_ROWS_PER_CHAT });
    if (rows.length >= OUTBOX_ROWS_PER_CHAT)
      throw invalidValue('outbox', `at most ${OUTBOX_ROWS_PER_CHAT - 1} waiting messages per chat`, chat);
    perChat.push(rows);
  }
  // Every waiting row seen (the first listing is capped): else refuse before copying any.
  const seen = perChat.reduce((sum, rows) => sum + rows.length, 0);
  const { waiting: total } = await from.outboxDepth();
  if (seen !== total) throw invalidValue('outbox', `all ${total} waiting messages read at once`, seen);
  let copied = 0;
  for (const rows of perChat) {
    const entries = rows.map((r) => ({
      message: r.message,
      expiresAt: r.expiresAt,
      ...(r.after !== undefined && { after: r.after }),
    }));
    const now = Math.min(...rows.map((r) => r.createdAt));
    copied += (await to.enqueueOutbound(entries, now)).length;
  }
  return copied;
}

/** The digest of everything a store exports. */
export async function digestOf(store: Store): Promise<Digest> {
  const digester = new Digester();
  for await (const record of store.exportAll()) digester.add(record);
  return digester.digest();
}

class Digester {
  private readonly hashes = new Map<string, { hash: Hash; count: number }>(
    EXPORT_KINDS.map((kind) => [kind, { hash: createHash('sha256'), count: 0 }]),
  );

  add({ kind, record }: ExportRecord): void {
    const entry = this.hashes.get(kind);
    // A kind this build does not know cannot be verified: refuse rather than skip it.
    if (entry === undefined) throw invalidValue('record.kind', 'a kind this GroupDesk can verify', kind);
    entry.hash.update(`${canonicalJson(record)}\n`);
    entry.count += 1;
  }

  digest(): Digest {
    return Object.fromEntries(
      [...this.hashes].map(([kind, { hash, count }]) => [kind, { count, sha256: hash.digest('hex') }]),
    ) as unknown as Digest;
  }
}

/** JSON with object keys sorted at every level, so equal records give equal lines whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
