/**
 * `groupdesk` — the admin CLI: customers, subscriptions, staff, group bindings, export,
 * and migrate (between SQLite and MongoDB, ./migrate.ts).
 * Works on the same store as the running bot (SQLite in WAL mode allows both at once;
 * the bot sees changes within GROUPDESK_CACHE_TTL_MS).
 */
import { parseArgs } from 'node:util';
import { type LoadedConfig, loadConfig, processEnv } from '../../config/load';
import { PLATFORMS, type Platform } from '../core/chat';
import { systemClock } from '../core/clock';
import { Directory } from '../core/directory';
import { ConfigError, isStoreUnavailable, UserError } from '../core/errors';
import { type Locale, Translator } from '../core/i18n';
import { PlanBook } from '../core/plans';
import type { Store } from '../core/ports';
import { Formatter } from '../desk/format';
import { openStore } from '../store/open';
import { BACKUP_USAGE, RESTORE_USAGE, runBackup, runRestore } from './backup';
import { type Io, UsageError } from './io';
import { MIGRATE_USAGE, type MigrateContext, runMigrate } from './migrate';

type Handler = (
  args: string[],
  ctx: {
    directory: Directory;
    store: Store;
    fmt: Formatter;
    say: (key: string, p?: Record<string, string | number>) => void;
    io: Io;
  },
) => Promise<void>;

/** A command on the configured store, or one that opens what it needs itself (`alone`). */
type Command =
  | { usage: string; run: Handler }
  | { usage: string; alone: (args: string[], ctx: MigrateContext) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  'customer add': {
    usage: 'groupdesk customer add <id> [--name "Full name"]',
    run: async (args, { directory, say }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { name: { type: 'string' } },
        allowPositionals: true,
      });
      const c = await directory.addCustomer(one(positionals), values.name);
      say('cli.customer_added', { id: c.id, name: c.name });
    },
  },
  'sub add': {
    usage: 'groupdesk sub add <customer> <plan> [--months 12] [--start YYYY-MM-DD]',
    run: async (args, { directory, say, fmt }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { months: { type: 'string' }, start: { type: 'string' } },
        allowPositionals: true,
      });
      const [customer, plan] = two(positionals);
      const start = values.start ? Date.parse(`${values.start}T00:00:00Z`) : undefined;
      if (start !== undefined && Number.isNaN(start)) throw new UsageError();
      const s = await directory.addSubscription(customer, plan, months(values.months ?? '12'), start);
      say('cli.sub_saved', { customer: s.customerId, plan: s.plan, end: fmt.date(s.endsAt) });
    },
  },
  'sub extend': {
    usage: 'groupdesk sub extend <customer> --months N',
    run: async (args, { directory, say, fmt }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { months: { type: 'string' } },
        allowPositionals: true,
      });
      if (!values.months) throw new UsageError();
      const s = await directory.extendSubscription(one(positionals), months(values.months));
      say('cli.sub_saved', { customer: s.customerId, plan: s.plan, end: fmt.date(s.endsAt) });
    },
  },
  'staff add': {
    usage:
      'groupdesk staff add <platform> <user id> <engineer|manager|admin> [--name "Name"] [--locale zh-CN|en]',
    run: async (args, { directory, say }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { name: { type: 'string' }, locale: { type: 'string' } },
        allowPositionals: true,
      });
      const [platform, userId, role] = three(positionals);
      if (role !== 'engineer' && role !== 'manager' && role !== 'admin') throw new UsageError();
      const locale = values.locale !== undefined ? directory.localeOf(values.locale) : undefined;
      const p = await directory.setStaff(platformOf(platform), userId, role, values.name, locale);
      say('cli.staff_added', { name: p.name, role, platform, user: userId });
    },
  },
  'subscriber add': {
    usage: 'groupdesk subscriber add <platform> <user id> <customer> [--name "Name"] [--locale zh-CN|en]',
    run: async (args, { directory, say }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { name: { type: 'string' }, locale: { type: 'string' } },
        allowPositionals: true,
      });
      const [platform, userId, customer] = three(positionals);
      const locale = values.locale !== undefined ? directory.localeOf(values.locale) : undefined;
      const p = await directory.addSubscriber(platformOf(platform), userId, customer, values.name, locale);
      say('cli.subscriber_added', { name: p.name, customer: p.customerId ?? customer });
    },
  },
  bind: {
    usage:
      'groupdesk bind <platform> <chat id> <customer|staff|managers|community> [--title "Title"] [--locale zh-CN|en]',
    run: async (args, { directory, say }) => {
      const { values, positionals } = parseArgs({
        args,
        options: { title: { type: 'string' }, locale: { type: 'string' } },
        allowPositionals: true,
      });
      const [platform, chatId, target] = three(positionals);
      const locale = values.locale !== undefined ? directory.localeOf(values.locale) : undefined;
      const g = await directory.bindGroup(platformOf(platform), chatId, target, values.title, locale);
      say('cli.bound', { platform, chat: chatId, what: g.customerId ?? g.kind });
    },
  },
  export: {
    usage: 'groupdesk export > groupdesk.jsonl',
    run: async (args, { store, io }) => {
      if (args.length) throw new UsageError();
      for await (const record of store.exportAll()) io.out(`${JSON.stringify(record)}\n`);
    },
  },
  migrate: { usage: MIGRATE_USAGE, alone: runMigrate },
  backup: { usage: BACKUP_USAGE, alone: runBackup },
  restore: { usage: RESTORE_USAGE, alone: runRestore },
};

export async function runCli(argv: string[], io: Io, env = processEnv()): Promise<number> {
  const name = COMMANDS[`${argv[0]} ${argv[1]}`] ? `${argv[0]} ${argv[1]}` : (argv[0] ?? '');
  const command = COMMANDS[name];
  const rest = argv.slice(name.split(' ').length);
  if (!command || rest.includes('--help') || rest.includes('-h')) {
    io[command || argv[0] === '--help' || argv.length === 0 ? 'out' : 'err'](
      `${
        command
          ? `usage: ${command.usage}`
          : `usage:\n${Object.values(COMMANDS)
              .map((c) => `  ${c.usage}`)
              .join('\n')}`
      }\n`,
    );
    return command || argv[0] === '--help' || argv.length === 0 ? 0 : 2;
  }
  let config: LoadedConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    return cannotStart(error, io);
  }
  const locale: Locale = config.env.GROUPDESK_LOCALE;
  const translator = new Translator(config.catalogs, locale);
  const t = (key: string, p: Record<string, string | number> = {}) => translator.t(locale, key, p);
  const failed = (error: unknown): number => {
    if (error instanceof UserError) {
      io.err(`${t(error.key, error.params)}\n`);
      return 1;
    }
    // A driver's error may carry a numeric code (MongoServerError), so the type is checked.
    const code = (error as { code?: unknown } | undefined)?.code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`usage: ${command.usage}\n`);
      return 2;
    }
    return cannotStart(error, io);
  };
  if ('alone' in command) return command.alone(rest, { config, io, t }).catch(failed);
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    return cannotStart(error, io);
  }
  const directory = new Directory(store, systemClock, new PlanBook(config.plans));
  const say = (key: string, p: Record<string, string | number> = {}) => io.out(`${t(key, p)}\n`);
  try {
    await command.run(rest, {
      directory,
      store,
      say,
      io,
      fmt: new Formatter(translator, config.env.GROUPDESK_TIMEZONE),
    });
    return 0;
  } catch (error) {
    return failed(error);
  } finally {
    await store.close();
  }
}

/** A bad configuration (exit 2) or an unreachable database (exit 1); anything else is rethrown. */
function cannotStart(error: unknown, io: Io): number {
  if (error instanceof ConfigError) {
    io.err(`groupdesk: configuration error\n${error.message}\n`);
    return 2;
  }
  if (isStoreUnavailable(error)) {
    io.err(`groupdesk: the database is unreachable\n${(error as Error).message}\n`);
    return 1;
  }
  throw error;
}

function one(p: string[]): string {
  if (p.length !== 1) throw new UsageError();
  return p[0]!;
}
function two(p: string[]): [string, string] {
  if (p.length !== 2) throw new UsageError();
  return [p[0]!, p[1]!];
}
function three(p: string[]): [string, string, string] {
  if (p.length !== 3) throw new UsageError();
  return [p[0]!, p[1]!, p[2]!];
}
function months(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UserError('sub.bad_months', { months: value });
  return n;
}
function platformOf(value: string): Platform {
  if (!(PLATFORMS as readonly string[]).includes(value)) throw new UsageError();
  return value as Platform;
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `groupdesk: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
