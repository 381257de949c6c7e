/**
 * The composition root: the only file that wires configuration, store, adapters and the
 * core together. With no chat platform configured it opens the console playground on the
 * embedded store.
 */
import { ConsoleAdapter } from '../adapters/console/console.adapter';
import { type LoadedConfig, loadConfig, processEnv } from '../config/load';
import { createDesk } from './app';
import { OffsetClock } from './core/clock';
import { ConfigError } from './core/errors';
import { seedDemo } from './demo';
import { stderrLogger } from './logger';
import { openStore } from './store/open';

async function main(): Promise<number> {
  let config: LoadedConfig;
  try {
    config = loadConfig(processEnv());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`groupdesk: configuration error\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = stderrLogger(config.env.GROUPDESK_LOG_LEVEL ?? 'warn');
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`groupdesk: configuration error\n${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const clock = new OffsetClock();
  const interactive = Boolean(process.stdin.isTTY);
  const desk = createDesk({ config, store, clock, logger });
  const adapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    guide: desk.translator.t(config.env.GROUPDESK_LOCALE, 'console.guide', {
      speaker: 'alice',
      group: 'acme',
    }),
    advanceClock: async (ms) => {
      clock.advance(ms);
      logger.info('clock moved', { now: new Date(clock.now()).toISOString() });
    },
  });
  desk.addAdapter(adapter);
  await seedDemo(desk.services);
  await adapter.start(desk.host);
  const stop = async () => {
    await adapter.stop();
    await desk.router.idle();
    await store.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  await adapter.finished;
  await stop();
  if (!interactive) logger.debug('transcript finished');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `groupdesk: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
