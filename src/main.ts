/**
 * The composition root: the only file that wires configuration, store, adapters and the
 * core together. With no chat platform configured it opens the console playground on the
 * embedded store.
 */
import { rmSync } from 'node:fs';
import type { ChatAdapter } from '../adapters/adapter';
import { ConsoleAdapter } from '../adapters/console/console.adapter';
import { checkDataDir } from '../config/data-dir';
import { type LoadedConfig, loadConfig, processEnv } from '../config/load';
import { createDesk, type Desk } from './app';
import { backupControl } from './control/backup.control';
import { type ControlServer, startControlServer } from './control/control.socket';
import type { Platform } from './core/chat';
import { OffsetClock } from './core/clock';
import { ConnectionBoard } from './core/connections';
import { ConfigError, StoreUnavailableError } from './core/errors';
import type { Logger } from './core/logger';
import type { Store } from './core/ports';
import {
  clockFileIn,
  demoSignInLinks,
  playgroundNames,
  resumedClockOffset,
  saveClockOffset,
  seedDemo,
} from './demo';
import { scrubCredentials, stderrLogger } from './logger';
import { PrometheusMetrics } from './metrics/prometheus';
import { configuredAdapters, membershipSyncPlatforms } from './platforms';
import { FileSpool, spoolFileIn } from './spool/file-spool';
import { embeddedDatabase, openStore, scheduledBackups } from './store/open';
import type { BackupSchedule } from './store/sqlite/backup.schedule';
import type * as WebModule from './web/server';
import type { WebServer } from './web/server';

async function main(): Promise<number> {
  let config: LoadedConfig;
  let store: Store;
  let adapters: ChatAdapter[];
  let syncMembers: Platform[];
  let logger: Logger;
  let backups: BackupSchedule | undefined;
  // The adapters are built before the level and format are known (they decide whether this is
  // the playground): they get a logger that forwards to the final one once it exists.
  let current = stderrLogger('warn');
  const early: Logger = {
    debug: (message, fields) => current.debug(message, fields),
    info: (message, fields) => current.info(message, fields),
    warn: (message, fields) => current.warn(message, fields),
    error: (message, fields) => current.error(message, fields),
  };
  try {
    config = loadConfig(processEnv());
    // Whichever store: the outage spool (and WeChat's session) live in the data dir.
    checkDataDir(config.env.GROUPDESK_DATA_DIR);
    adapters = configuredAdapters(config.raw, { dataDir: config.env.GROUPDESK_DATA_DIR, logger: early });
    syncMembers = membershipSyncPlatforms(config.raw);
    const playground = adapters.length === 0;
    logger = stderrLogger(config.env.GROUPDESK_LOG_LEVEL ?? (playground ? 'warn' : 'info'), {
      format: playground ? 'pretty' : 'json',
    });
    current = logger;
    backups = scheduledBackups(config, logger);
    store = await openStore(config, logger);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`groupdesk: configuration error\n${scrubCredentials(error.message)}\n`);
      return 2;
    }
    if (error instanceof StoreUnavailableError) {
      process.stderr.write(`groupdesk: the database is unreachable\n${scrubCredentials(error.message)}\n`);
      return 1;
    }
    throw error;
  }
  const playground = adapters.length === 0;
  const clock = new OffsetClock();
  if (playground) {
    // The playground's data outlives it, and so do its `:clock` moves (kept in the data dir).
    const file = clockFileIn(config.env.GROUPDESK_DATA_DIR);
    clock.advance(await resumedClockOffset(file, store, clock.now()));
    saveClockOffset(file, clock.offsetMs);
  }
  // Messages kept during a store outage survive a restart in the data dir (the playground too:
  // the same promise is made there, and it costs nothing until an outage).
  const spool = new FileSpool({ file: spoolFileIn(config.env.GROUPDESK_DATA_DIR), logger });
  // One set of counters for the process: the playground's `:reset` keeps counting on them.
  const metrics = new PrometheusMetrics();
  // Each configured platform is "not connected" until its adapter reports up (/healthz).
  const connections = new ConnectionBoard();
  for (const adapter of adapters) connections.expect(adapter.platform, clock.now());
  const build = (on: Store) =>
    createDesk({ config, store: on, clock, logger, syncMembers, outage: { spool }, metrics, connections });
  const desk = build(store);
  desk.sla.warnAboutCalendars(clock.now());
  // The CLI asks this process for snapshots instead of opening the file from a second process.
  const database = embeddedDatabase(config);
  const control =
    database === undefined
      ? undefined
      : await startControlServer(config.env.GROUPDESK_DATA_DIR, backupControl(database), logger);
  return playground
    ? runPlayground(config, { desk, store, build, database }, clock, logger, control, { metrics })
    : runPlatforms(config, desk, store, adapters, logger, backups, control, { metrics, connections });
}

/** What the process keeps for /metrics and /healthz beyond the desk. */
interface WebOps {
  readonly metrics: PrometheusMetrics;
  readonly connections?: ConnectionBoard;
}

/**
 * The web console on the desk's services (docs/web.md): on GROUPDESK_WEB_PORT, or 8080 in the
 * playground, where a port already taken is reported and the chat goes on without it.
 */
async function startWeb(
  config: LoadedConfig,
  desk: () => Desk,
  logger: Logger,
  playground: boolean,
  ops: WebOps,
  backups?: BackupSchedule,
): Promise<{ server?: WebServer; failure?: string }> {
  const port = config.env.GROUPDESK_WEB_PORT ?? (playground ? 8080 : undefined);
  if (port === undefined) return {};
  // Loaded only when the console runs (as the platform SDKs in platforms.ts): Fastify and its plugins take about 0.2 s.
  const { startWebServer } = require('./web/server') as typeof WebModule;
  try {
    const server = await startWebServer({
      desk: () => desk().services,
      registry: desk().registry,
      logger,
      host: config.env.GROUPDESK_WEB_HOST,
      port,
      secure: config.env.GROUPDESK_WEB_URL?.startsWith('https://') === true,
      // /healthz reports the last scheduled backup (none yet: not reported).
      health: () => (backups?.lastOutcome ? { backup: backups.lastOutcome } : {}),
      metrics: ops.metrics,
      ...(ops.connections && { connections: ops.connections }),
      ...(config.env.GROUPDESK_METRICS_TOKEN !== undefined && {
        metricsToken: config.env.GROUPDESK_METRICS_TOKEN,
      }),
    });
    return { server };
  } catch (error) {
    if (!playground) throw error;
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

/** The playground guide's lines about the console: its address and a sign-in link per demo person. */
async function playgroundWebLines(
  config: LoadedConfig,
  desk: Desk,
  web: { server?: WebServer; failure?: string },
): Promise<string> {
  const say = (key: string, p: Record<string, string>) =>
    desk.translator.t(config.env.GROUPDESK_LOCALE, key, p);
  if (web.failure !== undefined) return `\n${say('web.playground_off', { error: web.failure })}`;
  if (!web.server) return '';
  const lines = [say('web.playground', { url: web.server.url })];
  for (const { name, url } of await demoSignInLinks(desk.services))
    lines.push(say('web.playground_person', { name, url }));
  return `\n${lines.join('\n')}`;
}

async function runPlatforms(
  config: LoadedConfig,
  desk: Desk,
  store: Store,
  adapters: ChatAdapter[],
  logger: Logger,
  backups: BackupSchedule | undefined,
  control: ControlServer | undefined,
  ops: WebOps,
): Promise<number> {
  // Before the adapters: new messages of a resumed chat queue behind its resumed ones.
  desk.router.resumeKept();
  for (const adapter of adapters) {
    desk.addAdapter(adapter);
    await adapter.start(desk.host);
    logger.info(`${adapter.platform} adapter started`);
  }
  // Retried, and the scheduler started, after the adapters so that replies have somewhere to go;
  // the scheduler is stopped first.
  desk.router.retryKept();
  await desk.sla.scheduler?.start();
  await backups?.start();
  const web = (await startWeb(config, () => desk, logger, false, ops, backups)).server;
  if (web) logger.info('web console started', { url: web.url });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info('stopping');
  await web?.close();
  await control?.close();
  await backups?.stop();
  await desk.sla.scheduler?.stop();
  await Promise.allSettled(adapters.map((a) => a.stop()));
  await desk.router.idle();
  desk.router.stop();
  await store.close();
  return 0;
}

async function runPlayground(
  config: LoadedConfig,
  first: { desk: Desk; store: Store; build: (store: Store) => Desk; database: string | undefined },
  clock: OffsetClock,
  logger: Logger,
  control: ControlServer | undefined,
  ops: WebOps,
): Promise<number> {
  let { desk, store } = first;
  const { database } = first;
  await seedDemo(desk.services);
  // Started before the guide is printed, which then names its address and sign-in links.
  const started = await startWeb(config, () => desk, logger, true, ops);
  const web = started.server;
  const adapter: ConsoleAdapter = new ConsoleAdapter({
    input: process.stdin,
    output: process.stdout,
    guide:
      desk.translator.t(config.env.GROUPDESK_LOCALE, 'console.guide', {
        speaker: 'alice',
        group: 'acme',
      }) + (await playgroundWebLines(config, desk, started)),
    known: () => playgroundNames(store),
    say: (key, params) => desk.translator.t(config.env.GROUPDESK_LOCALE, key, params),
    // `:reset yes`: the embedded file is deleted and a fresh desk seeded on a new one.
    ...(database !== undefined && {
      reset: async () => {
        await desk.sla.scheduler?.stop();
        await desk.router.idle();
        desk.router.stop();
        await store.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
        store = await openStore(config, logger);
        desk = first.build(store);
        desk.addAdapter(adapter);
        await seedDemo(desk.services);
        await desk.sla.scheduler?.start();
        return desk.host;
      },
    }),
    // The scheduler sees the moved clock at once: `:clock +25h` shows the reminders and the breach alert.
    advanceClock: async (ms) => {
      clock.advance(ms);
      saveClockOffset(clockFileIn(config.env.GROUPDESK_DATA_DIR), clock.offsetMs);
      logger.info('clock moved', { now: new Date(clock.now()).toISOString() });
      await desk.sla.scheduler?.tick(clock.now());
    },
  });
  desk.addAdapter(adapter);
  desk.router.resumeKept();
  await adapter.start(desk.host);
  desk.router.retryKept();
  await desk.sla.scheduler?.start();
  const stop = async () => {
    await web?.close();
    await control?.close();
    await desk.sla.scheduler?.stop();
    await adapter.stop();
    await desk.router.idle();
    desk.router.stop();
    await store.close();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  await adapter.finished;
  await stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `groupdesk: failed to start: ${scrubCredentials(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    process.exit(1);
  },
);
