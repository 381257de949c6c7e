/**
 * `groupdesk backup [--to FILE|DIR] [--keep N]` and `groupdesk restore FILE`: the admin side of
 * src/store/sqlite/backup.ts, on the configured data directory's embedded store. Exit codes:
 * 0 done; 1 refused (nothing written or replaced: the message says why); 2 usage or
 * configuration. With MongoDB configured both point at mongodump/mongorestore instead.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { blanksRemoved, parseWith } from '../../config/load';
import { askBot, ControlUnavailable } from '../control/control.socket';
import { UserError } from '../core/errors';
import { spoolOwner } from '../spool/file-spool';
import { mongoEnvSchema } from '../store/mongo/mongo.config';
import { sqliteFileIn } from '../store/sqlite';
import {
  BACKUP_REFUSALS,
  type BackupFacts,
  BackupRefused,
  backupSqlite,
  defaultBackupFile,
  restoreSqlite,
  rotateBackups,
} from '../store/sqlite/backup';
import { UsageError } from './io';
import type { MigrateContext } from './migrate';

export const BACKUP_USAGE = 'cli.usage.backup';
/** How long a running bot has to answer for its snapshot (a large store takes minutes). */
const DEFAULT_TIMEOUT_S = 600;
export const RESTORE_USAGE = 'cli.usage.restore';

/** Where backups go unless --to says otherwise. */
export function backupDirIn(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

function assertEmbedded(ctx: MigrateContext): void {
  const mongo = parseWith(mongoEnvSchema, blanksRemoved(ctx.config.raw), 'environment');
  if (mongo.MONGODB_URI !== undefined) throw new UserError('cli.backup.mongo');
}

function refused(error: unknown): never {
  if (error instanceof BackupRefused)
    throw new UserError(`cli.backup.${error.reason}`, { target: error.target, detail: error.detail });
  throw error;
}

export async function runBackup(args: string[], ctx: MigrateContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { to: { type: 'string' }, keep: { type: 'string' }, timeout: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError();
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) throw new UsageError();
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(values.timeout);
  if (!(Number.isFinite(timeout) && timeout > 0)) throw new UsageError();
  assertEmbedded(ctx);
  const dataDir = ctx.config.env.GROUPDESK_DATA_DIR;
  const to = values.to ?? backupDirIn(dataDir);
  const isDir =
    values.to === undefined || to.endsWith(path.sep) || (existsSync(to) && statSync(to).isDirectory());
  const target = path.resolve(isDir ? defaultBackupFile(to, new Date()) : to);
  try {
    const facts = await snapshot(dataDir, target, timeout * 1000);
    ctx.io.out(
      `${ctx.t('cli.backup.done', {
        file: facts.file,
        size: megabytes(facts.bytes),
        tickets: facts.tickets,
        sha: facts.sha256.slice(0, 16),
        ms: facts.ms,
      })}\n`,
    );
    if (keep !== undefined) {
      const removed = rotateBackups(path.dirname(target), keep);
      if (removed.length > 0) {
        // Two counts, each with its own plural form ("1 older backup; the newest 2 are kept").
        const kept = ctx.t('cli.backup.kept', { keep });
        ctx.io.out(`${ctx.t('cli.backup.rotated', { count: removed.length, kept })}\n`);
      }
    }
    return 0;
  } catch (error) {
    return refused(error);
  }
}

/**
 * While a bot runs on `dataDir` it owns the database: it takes the snapshot in its own process
 * (a second process opening the file can wedge its writer, docs/operations.md). Otherwise here.
 */
async function snapshot(dataDir: string, target: string, timeoutMs: number): Promise<BackupFacts> {
  const owner = spoolOwner(dataDir);
  if (owner === undefined) return backupSqlite(sqliteFileIn(dataDir), target);
  let answer: Awaited<ReturnType<typeof askBot>>;
  try {
    answer = await askBot(dataDir, { command: 'backup', target }, timeoutMs);
  } catch (error) {
    if (error instanceof ControlUnavailable)
      throw new UserError(`cli.backup.bot_${error.reason}`, {
        pid: owner,
        file: error.file,
        seconds: Math.round(timeoutMs / 1000),
      });
    throw error;
  }
  if (answer.ok) return answer.result as BackupFacts;
  if (REFUSALS.has(answer.error))
    throw new BackupRefused(
      answer.error as BackupRefused['reason'],
      answer.target ?? target,
      answer.detail ?? '',
    );
  throw new UserError('cli.backup.bot_failed', { pid: owner, detail: answer.detail ?? answer.error });
}

const REFUSALS: ReadonlySet<string> = new Set(BACKUP_REFUSALS);

export async function runRestore(args: string[], ctx: MigrateContext): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError();
  assertEmbedded(ctx);
  try {
    const facts = restoreSqlite(positionals[0]!, ctx.config.env.GROUPDESK_DATA_DIR, new Date());
    ctx.io.out(
      `${ctx.t('cli.restore.done', {
        file: facts.file,
        backup: positionals[0]!,
        tickets: facts.tickets,
        checksum: ctx.t(`cli.restore.checksum_${facts.checksum}`),
      })}\n`,
    );
    if (facts.kept !== undefined) ctx.io.out(`${ctx.t('cli.restore.kept', { kept: facts.kept })}\n`);
    return 0;
  } catch (error) {
    return refused(error);
  }
}

const megabytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
