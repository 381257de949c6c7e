/**
 * What the bot does for `groupdesk backup` over the control socket: the snapshot, in the bot's
 * own process (the arrangement that never wedges its writer), answered with the backup's facts
 * or the reason it was refused. The CLI does the rotation, as it does without a bot.
 */
import path from 'node:path';
import { BackupRefused, backupSqlite } from '../store/sqlite/backup';
import type { ControlAnswer, ControlHandler } from './control.socket';

export function backupControl(database: string): ControlHandler {
  return (request): ControlAnswer => {
    if (!path.isAbsolute(request.target))
      return { ok: false, error: 'bad_request', detail: 'target: expected an absolute path' };
    try {
      return { ok: true, result: backupSqlite(database, request.target) };
    } catch (error) {
      if (error instanceof BackupRefused)
        return { ok: false, error: error.reason, target: error.target, detail: error.detail };
      throw error;
    }
  };
}
