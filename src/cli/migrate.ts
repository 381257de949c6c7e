/**
 * `groupdesk migrate --from <src> --to <dst> [--force]`: the admin side of
 * src/store/migrate.ts — opens both ends from the command line (the configured store is
 * not involved), copies, verifies and prints a localised summary. Exit codes: 0 copied and
 * verified; 1 refused (non-empty destination, same database, missing source) or a count or
 * checksum that differs; 2 usage.
 */
import { parseArgs } from 'node:util';
import { blanksRemoved, type LoadedConfig, parseWith } from '../../config/load';
import { UserError } from '../core/errors';
import type { Params } from '../core/i18n';
import { EXPORT_KINDS } from '../store/importable';
import {
  assertDistinct,
  assertDistinctOpen,
  type Endpoint,
  MigrationRefused,
  type MigrationReport,
  migrate,
  openEndpoint,
} from '../store/migrate';
import { mongoEnvSchema } from '../store/mongo/mongo.config';
import { redactedUri } from '../store/open';
import { sqliteEnvSchema, sqliteOptionsFrom } from '../store/sqlite';
import { type Io, UsageError } from './io';

export const MIGRATE_USAGE = 'cli.usage.migrate';

export interface MigrateContext {
  readonly config: LoadedConfig;
  readonly io: Io;
  readonly t: (key: string, params?: Params) => string;
}

export async function runMigrate(args: string[], { config, io, t }: MigrateContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const { from, to, force } = values;
  if (!from || !to || positionals.length > 0) throw new UsageError();
  const env = blanksRemoved(config.raw);
  const options = {
    sqlite: sqliteOptionsFrom(parseWith(sqliteEnvSchema, env, 'environment')),
    mongoTimeoutMs: parseWith(mongoEnvSchema, env, 'environment').GROUPDESK_MONGODB_TIMEOUT_MS,
  };
  const shown = { from: redactedUri(from), to: redactedUri(to) };
  let source: Endpoint | undefined;
  let destination: Endpoint | undefined;
  try {
    assertDistinct(from, to);
    source = await openEndpoint(from, 'source', options);
    destination = await openEndpoint(to, 'destination', options);
    await assertDistinctOpen(source, destination, to);
    io.out(`${t('cli.migrate.copying', shown)}\n`);
    const report = await migrate(source, destination, { force, target: shown.to });
    return summarise(report, io, t);
  } catch (error) {
    if (error instanceof MigrationRefused) {
      throw new UserError(`cli.migrate.${error.reason}`, { ...shown, target: redactedUri(error.target) });
    }
    throw error;
  } finally {
    await Promise.all([source?.close(), destination?.close()]);
  }
}

function summarise(report: MigrationReport, io: Io, t: MigrateContext['t']): number {
  for (const kind of EXPORT_KINDS) {
    const [before, after] = [report.source[kind], report.destination[kind]];
    const ok = !report.mismatched.includes(kind);
    const row = t('cli.migrate.row', {
      kind: t(`cli.migrate.kind.${kind}`),
      source: before.count,
      destination: after.count,
      checksum: ok
        ? before.sha256.slice(0, 16)
        : `${before.sha256.slice(0, 16)} ≠ ${after.sha256.slice(0, 16)}`,
      verdict: t(ok ? 'cli.migrate.ok' : 'cli.migrate.mismatch'),
    });
    io.out(`  ${row}\n`);
  }
  if (report.mismatched.length === 0) {
    const total = EXPORT_KINDS.reduce((sum, kind) => sum + report.source[kind].count, 0);
    io.out(`${t('cli.migrate.verified', { total })}\n`);
    if (report.outboxCopied > 0) io.out(`${t('cli.migrate.outbox', { count: report.outboxCopied })}\n`);
    return 0;
  }
  const names = (kinds: readonly string[]) => kinds.map((kind) => t(`cli.migrate.kind.${kind}`)).join(', ');
  if (report.sourceChanged.length > 0)
    io.err(`${t('cli.migrate.source_changed', { kinds: names(report.sourceChanged) })}\n`);
  io.err(`${t('cli.migrate.failed', { kinds: names(report.mismatched) })}\n`);
  return 1;
}
