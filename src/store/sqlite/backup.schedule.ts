/**
 * Scheduled backups of the embedded store, inside the bot process (`GROUPDESK_BACKUP_CRON`):
 * the same snapshot as `groupdesk backup` into `GROUPDESK_DATA_DIR/backups`, rotated to the
 * newest `GROUPDESK_BACKUP_KEEP`, each outcome logged. In-process on purpose: a snapshot
 * taken by another process can wedge the bot's writer (libsql fault, docs/operations.md).
 */
import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { z } from 'zod';
import type { Logger } from '../../core/logger';
import { backupSqlite, defaultBackupFile, rotateBackups } from './backup';

export const backupEnvSchema = z.object({
  /** node-cron expression in the vendor's time zone; unset: no scheduled backups. */
  GROUPDESK_BACKUP_CRON: z
    .string()
    .refine((value) => cron.validate(value), 'expected a cron expression such as "30 3 * * *"')
    .optional(),
  GROUPDESK_BACKUP_KEEP: z.coerce.number().int().min(1).max(1000).default(7),
});
export type BackupEnv = z.infer<typeof backupEnvSchema>;

export interface BackupScheduleOptions {
  readonly cron: string;
  readonly keep: number;
  readonly database: string;
  readonly timezone: string;
  readonly logger: Logger;
}

/** The last scheduled backup's outcome, for /healthz. */
export interface BackupOutcome {
  readonly at: number;
  readonly ok: boolean;
  readonly file?: string;
  readonly error?: string;
}

export class BackupSchedule {
  private task: ScheduledTask | undefined;
  private last: BackupOutcome | undefined;

  /** The last backup this schedule ran, if any since the start. */
  get lastOutcome(): BackupOutcome | undefined {
    return this.last;
  }

  constructor(private readonly o: BackupScheduleOptions) {}

  async start(): Promise<void> {
    if (this.task) return;
    this.task = cron.createTask(this.o.cron, () => this.runOnce(), {
      name: 'groupdesk-backup',
      noOverlap: true,
      timezone: this.o.timezone,
    });
    await this.task.start();
    this.o.logger.info('backup schedule started', { cron: this.o.cron, keep: this.o.keep });
  }

  async stop(): Promise<void> {
    const task = this.task;
    this.task = undefined;
    if (task) await task.destroy();
  }

  /** One backup and rotation now; never throws (the outcome is in the log). */
  runOnce(): void {
    const dir = path.join(path.dirname(this.o.database), 'backups');
    try {
      const facts = backupSqlite(this.o.database, defaultBackupFile(dir, new Date()));
      const removed = rotateBackups(dir, this.o.keep);
      this.last = { at: Date.now(), ok: true, file: facts.file };
      this.o.logger.info('backup written', {
        file: facts.file,
        bytes: facts.bytes,
        tickets: facts.tickets,
        sha256: facts.sha256,
        ms: facts.ms,
        removed: removed.length,
      });
    } catch (error) {
      this.last = { at: Date.now(), ok: false, error: String(error) };
      this.o.logger.error('backup failed', { error: String(error) });
    }
  }
}
