/**
 * The GroupDesk process of qq.killed.test.ts (run with node and the tsx loader): the QQ desk
 * on an existing data directory, printing `port N` once the adapter listens, then `waiting N`
 * once N messages wait in its outbox, and then nothing: it is killed with SIGKILL.
 */
import { startQqDesk } from './desk.harness';

async function main(): Promise<void> {
  const [dir, target] = process.argv.slice(2);
  if (dir === undefined || target === undefined) throw new Error('usage: qq.killed.worker.ts DIR WAITING');
  const qq = await startQqDesk(
    { ONEBOT_ACTION_TIMEOUT_MS: '300' },
    {},
    { dir, keepDir: true, outbox: { baseDelayMs: 50, maxDelayMs: 200, sendTimeoutMs: 1000, pollMs: 60_000 } },
  );
  process.stdout.write(`port ${qq.adapter.port}\n`);
  for (;;) {
    const { waiting } = await qq.store.outboxDepth();
    if (waiting >= Number(target)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.stdout.write(`waiting ${(await qq.store.outboxDepth()).waiting}\n`);
  await new Promise(() => undefined); // until killed
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
