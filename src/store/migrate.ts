/**
 * `groupdesk migrate`: copies every record from one store to another (SQLite file or
 * MongoDB, either way) and proves the copy: per kind, the count and a SHA-256 over the
 * canonical JSON line of each record, in export order, must be the same when the
 * destination is exported afterwards. Both stores export in the same order (natural keys;
 * events by ticket, time and insertion), so equal data gives equal checksums.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExportRecord, Store } from '../core/ports';
import { invalidValue } from './errors';
import { EXPORT_KINDS, type ExportKind, type Importable } from './importable';
import { openMongoStore } from './mongo';
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

/** Refuses --from and --to naming the same database (the copy would delete or double it). */
export function assertDistinct(from: string, to: string): void {
  const same = isMongoUri(from) || isMongoUri(to) ? from === to : resolve(from) === resolve(to);
  if (same) throw new MigrationRefused('same_store', to);
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
  if (!(await to.isEmpty())) {
    if (!options.force) throw new MigrationRefused('not_empty', options.target);
    await to.clearAll();
  }
  const batchSize = options.batchSize ?? 500;
  const source = new Digester();
  let batch: ExportRecord[] = [];
  for await (const record of from.exportAll()) {
    source.add(record);
    batch.push(record);
    if (batch.length >= batchSize) {
      await to.importRecords(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await to.importRecords(batch);
  const before = source.digest();
  const after = await digestOf(to);
  const mismatched = EXPORT_KINDS.filter(
    (kind) => before[kind].count !== after[kind].count || before[kind].sha256 !== after[kind].sha256,
  );
  return { source: before, destination: after, mismatched };
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
