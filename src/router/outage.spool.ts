/** The guard around the outage spool (the BacklogSpool port, src/core/backlog.ts). */

import type { BacklogSpool } from '../core/backlog';
import type { Logger } from '../core/logger';

/**
 * The spool as the backlog uses it: a failure (disk full, EACCES, a bug) is logged at error
 * level and goes no further — the backlog carries on in memory and message handling never
 * breaks because of the spool. Implementations should not throw; this is the guarantee.
 */
export function guardedSpool(spool: BacklogSpool, logger: Logger): Required<BacklogSpool> {
  const guard = <T>(what: string, fallback: T, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      logger.error(`outage spool: ${what} failed (kept messages stay in memory only)`, {
        error: String(error),
      });
      return fallback;
    }
  };
  return {
    add: (item) => guard('add', undefined, () => spool.add(item)),
    remove: (key) => guard('remove', undefined, () => spool.remove(key)),
    load: () => guard('load', [], () => spool.load()),
    close: () => guard('close', undefined, () => spool.close?.()),
  };
}
