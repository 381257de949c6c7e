/**
 * Scheduled backups inside the bot: the real node-cron job writes a snapshot of the embedded
 * store into the data dir's backups, rotates them, and logs each outcome (a failure too).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { ConfigError } from '../../src/core/errors';
import type { Logger } from '../../src/core/logger';
import { scheduledBackups } from '../../src/store/open';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';
import { event, newTicket } from '../contract/store.fixtures';

function recording(): { logger: Logger; lines: Array<[string, string, unknown]> } {
  const lines: Array<[string, string, unknown]> = [];
  const at = (level: string) => (message: string, fields?: unknown) => {
    lines.push([level, message, fields]);
  };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

describe('scheduled backups', () => {
  let dir: string;
  const config = (env: Record<string, string>) =>
    loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../config'),
      ...env,
    });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-backup-schedule-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are off unless GROUPDESK_BACKUP_CRON is set', () => {
    expect(scheduledBackups(config({}), recording().logger)).toBeUndefined();
  });

  it('refuse a bad expression, and a schedule with MongoDB, naming the key', () => {
    expect(() =>
      scheduledBackups(config({ GROUPDESK_BACKUP_CRON: 'every night' }), recording().logger),
    ).toThrow(/GROUPDESK_BACKUP_CRON="every night": expected a cron expression/);
    const mongo = config({
      GROUPDESK_BACKUP_CRON: '30 3 * * *',
      MONGODB_URI: 'mongodb://127.0.0.1:1/groupdesk',
    });
    expect(() => scheduledBackups(mongo, recording().logger)).toThrow(ConfigError);
    expect(() => scheduledBackups(mongo, recording().logger)).toThrow(/use mongodump/);
  });

  it('write a snapshot on schedule, keep the newest N, and log each outcome', async () => {
    const store = openSqliteStore(sqliteFileIn(dir));
    await store.createTicket(newTicket({ sourceKey: 'one' }), event());
    const { logger, lines } = recording();
    // Every second (node-cron's six-field form), keeping two.
    const schedule = scheduledBackups(
      config({ GROUPDESK_BACKUP_CRON: '* * * * * *', GROUPDESK_BACKUP_KEEP: '2' }),
      logger,
    )!;
    await schedule.start();
    const written = () => lines.filter(([, message]) => message === 'backup written').length;
    const deadline = Date.now() + 15_000;
    while (written() < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await schedule.stop();
    await store.close();
    expect(written()).toBeGreaterThanOrEqual(3);
    expect(lines.find(([, message]) => message === 'backup written')?.[2]).toMatchObject({ tickets: 1 });
    const files = readdirSync(path.join(dir, 'backups')).filter((name) => name.endsWith('.sqlite'));
    const newest = lines
      .filter(([, message]) => message === 'backup written')
      .slice(-2)
      .map(([, , fields]) => path.basename((fields as { file: string }).file));
    expect(files.sort()).toEqual(newest.sort()); // the two newest, even within one second

    rmSync(sqliteFileIn(dir)); // the database gone: the failure is logged, nothing thrown
    schedule.runOnce();
    expect(lines.at(-1)).toEqual(['error', 'backup failed', { error: expect.stringContaining('no_source') }]);
  }, 30_000);
});
