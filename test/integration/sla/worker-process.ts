/**
 * A bot process for the exactly-once tests: opens the shared SQLite file, builds the real
 * desk with a messenger that prints one JSON line per delivery, and runs scheduler ticks:
 * at the times in its arguments, or at each time read from stdin (answering `{"done":t}`
 * after each, so a test can keep two processes in step, as synchronised clocks keep real
 * instances). With `killAfterClaim` it SIGKILLs itself right after its first non-empty
 * claim, before anything is sent: the crash the lease must survive.
 * Run as `node <tsx cli> worker-process.ts '<json args>'`.
 */
import path from 'node:path';
import readline from 'node:readline';
import { loadConfig } from '../../../config/load';
import { createDesk } from '../../../src/app';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import { openSqliteStore } from '../../../src/store/sqlite';

interface Args {
  readonly file: string;
  readonly owner: string;
  readonly times?: readonly number[];
  readonly killAfterClaim?: boolean;
}

const print = (record: object) => process.stdout.write(`${JSON.stringify(record)}\n`);

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as Args;
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config'),
    GROUPDESK_CACHE_TTL_MS: '0',
  });
  const store = openSqliteStore(args.file, { busyTimeoutMs: 20_000 });
  const clock = new ManualClock(0);
  const desk = createDesk({
    config: { ...config, sla: { ...config.sla, digest: { ...config.sla.digest, enabled: false } } },
    store,
    clock,
    logger: silentLogger,
    messenger: {
      async send(message) {
        // Platform latency, so that the two processes' batches interleave.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
        print({ owner: args.owner, chatId: message.chatId, text: message.text });
        return { messageId: 'x' };
      },
    },
    sla: {
      owner: args.owner,
      afterClaim: (claimed) => {
        if (args.killAfterClaim && claimed.length > 0) process.kill(process.pid, 'SIGKILL');
      },
    },
  });
  const tick = async (at: number) => {
    clock.set(at);
    await desk.sla.scheduler!.tick(at);
  };
  if (args.times) {
    for (const at of args.times) await tick(at);
  } else {
    for await (const line of readline.createInterface({ input: process.stdin })) {
      if (!line.trim()) continue;
      await tick(Number(line));
      print({ done: Number(line) });
    }
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
