/**
 * `groupdesk` — the admin CLI: customers, subscriptions, staff, group bindings, export,
 * and migrate (between SQLite and MongoDB, ./migrate.ts).
 * Works on the same store as the running bot (SQLite in WAL mode allows both at once;
 * the bot sees changes within GROUPDESK_CACHE_TTL_MS).
 */
import { parseArgs } from 'node:util';
import { type LoadedConfig, loadConfig, processEnv } from '../../config/load';
import { composeServices } from '../compose';
import { PLATFORMS, type Platform } from '../core/chat';
import { systemClock } from '../core/clock';
import { ConfigError, isStoreUnavailable, UserError } from '../core/errors';
import { type Locale, Translator } from '../core/i18n';
import type { Store } from '../core/ports';
import { type SignInLinks, SignInRefused } from '../desk/signin';
import { stderrLogger } from '../logger';
import { openStore } from '../store/open';
import { BACKUP_USAGE, RESTORE_USAGE, runBackup, runRestore } from './backup';
import {
  type CustomerContext,
  customerList,
  customerOf,
  customerShow,
  monthsOf,
  subAdd,
  subEnd,
  subPlan,
} from './customers';
import { InputError, type Io, UsageError } from './io';
import { MIGRATE_USAGE, type MigrateContext, runMigrate } from './migrate';
import { outboxDrop, outboxList, outboxRetry } from './outbox';

type Say = (key: string, p?: Record<string, string | number>) => void;
type Handler = (
  args: string[],
  ctx: CustomerContext & { io: Io; say: Say; signIn: SignInLinks },
) => Promise<void>;

/**
 * A command on the configured store, or one that opens what it needs itself (`alone`).
 * `usage` is a locale key (`cli.usage.*`): the usage lines speak the deployment's language.
 */
type Command =
  | { usage: string; run: Handler }
  | { usage: string; alone: (args: string[], ctx: MigrateContext) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  'customer add': {
    usage: 'cli.usage.customer_add',
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
  'customer list': { usage: 'cli.usage.customer_list', run: customerList },
  'customer show': { usage: 'cli.usage.customer_show', run: customerShow },
  'sub add': { usage: 'cli.usage.sub_add', run: subAdd },
  'sub extend': {
    usage: 'cli.usage.sub_extend',
    run: async (args, ctx) => {
      const { values, positionals } = parseArgs({
        args,
        options: { months: { type: 'string' } },
        allowPositionals: true,
      });
      if (!values.months) throw new UsageError();
      const customer = await customerOf(ctx.directory, one(positionals));
      const s = await ctx.directory.extendSubscription(customer.id, monthsOf(values.months));
      const plan = ctx.plans.get(s.plan)?.name[ctx.locale] ?? s.plan;
      ctx.say('cli.sub_saved', { customer: s.customerId, plan, end: ctx.fmt.date(s.endsAt) });
    },
  },
  'sub plan': { usage: 'cli.usage.sub_plan', run: subPlan },
  'sub end': { usage: 'cli.usage.sub_end', run: subEnd },
  'staff add': {
    usage: 'cli.usage.staff_add',
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
    usage: 'cli.usage.subscriber_add',
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
    usage: 'cli.usage.bind',
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
  'web-link': {
    usage: 'cli.usage.web_link',
    run: async (args, { store, signIn, say }) => {
      const who = one(args);
      const people = await store.listPeople({});
      const person = people.find((p) => p.id === who) ?? people.find((p) => p.name === who);
      if (!person) throw new UserError('cli.web_link_unknown', { who });
      try {
        say('cli.web_link', { name: person.name, url: await signIn.link(person) });
      } catch (error) {
        if (error instanceof SignInRefused) throw new UserError('web.link_refused');
        throw error;
      }
    },
  },
  export: {
    usage: 'cli.usage.export',
    run: async (args, { store, io }) => {
      if (args.length) throw new UsageError();
      for await (const record of store.exportAll()) io.out(`${JSON.stringify(record)}\n`);
    },
  },
  outbox: { usage: 'cli.usage.outbox', run: outboxList },
  'outbox retry': { usage: 'cli.usage.outbox_retry', run: outboxRetry },
  'outbox drop': { usage: 'cli.usage.outbox_drop', run: outboxDrop },
  migrate: { usage: MIGRATE_USAGE, alone: runMigrate },
  backup: { usage: BACKUP_USAGE, alone: runBackup },
  restore: { usage: RESTORE_USAGE, alone: runRestore },
};

/**
 * The core's refusals that mean a bad argument value rather than a refusal of the current
 * state: like a usage error they exit 2 (1 stays for "refused": exists, no subscription…).
 */
const BAD_VALUE = new Set([
  'customer.unknown',
  'customer.bad_id',
  'plan.unknown',
  'sub.bad_months',
  'lang.unknown',
]);

/** The first words of two-word commands (`sub`, `customer`…): `sub --help` lists the `sub` ones. */
const GROUPS = new Set(Object.keys(COMMANDS).flatMap((n) => (n.includes(' ') ? [n.split(' ')[0]!] : [])));

export async function runCli(argv: string[], io: Io, env = processEnv()): Promise<number> {
  const name = COMMANDS[`${argv[0]} ${argv[1]}`] ? `${argv[0]} ${argv[1]}` : (argv[0] ?? '');
  const command = COMMANDS[name];
  const rest = argv.slice(name.split(' ').length);
  const help = (rest.includes('--help') || rest.includes('-h')) && name !== '';
  let config: LoadedConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    return cannotStart(error, io);
  }
  const locale: Locale = config.env.GROUPDESK_LOCALE;
  const translator = new Translator(config.catalogs, locale);
  const t = (key: string, p: Record<string, string | number> = {}) => translator.t(locale, key, p);
  if (!command || help) {
    // `groupdesk`, `groupdesk --help`, `groupdesk sub --help` and `groupdesk sub add --help`
    // are questions (stdout, 0); an unknown command or a group without one is a usage error.
    const group = GROUPS.has(argv[0] ?? '') ? `${argv[0]} ` : undefined;
    const asked = help || argv.length === 0 || argv[0] === '--help' || argv[0] === '-h';
    const lines = command
      ? [command.usage]
      : Object.entries(COMMANDS)
          .filter(([n]) => !group || n.startsWith(group))
          .map(([, c]) => c.usage);
    const text =
      lines.length === 1
        ? t('cli.usage', { usage: t(lines[0]!) })
        : t('cli.usage_all', { usage: lines.map((k) => `  ${t(k)}`).join('\n') });
    io[asked ? 'out' : 'err'](`${text}\n`);
    return asked ? 0 : 2;
  }
  const usage = () => io.err(`${t('cli.usage', { usage: t(command.usage) })}\n`);
  const failed = (error: unknown): number => {
    if (error instanceof InputError || (error instanceof UserError && BAD_VALUE.has(error.key))) {
      io.err(`${t(error.key, error.params)}\n`);
      usage();
      return 2;
    }
    if (error instanceof UserError) {
      io.err(`${t(error.key, error.params)}\n`);
      return 1;
    }
    // A driver's error may carry a numeric code (MongoServerError), so the type is checked.
    const code = (error as { code?: unknown } | undefined)?.code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      usage();
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
  // The same services the bot runs on; the CLI reads and writes the store directly and
  // sends nothing (a running bot tells the groups what changed when it next speaks).
  const { services } = composeServices({
    config,
    store,
    clock: systemClock,
    logger: stderrLogger('warn'),
    messenger: { send: async () => undefined },
    cache: false,
  });
  const { directory, plans, format } = services;
  const say = (key: string, p: Record<string, string | number> = {}) => io.out(`${t(key, p)}\n`);
  try {
    await command.run(rest, {
      directory,
      store,
      plans,
      locale,
      now: systemClock.now(),
      say,
      t,
      io,
      fmt: format,
      signIn: services.signIn,
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
function three(p: string[]): [string, string, string] {
  if (p.length !== 3) throw new UsageError();
  return [p[0]!, p[1]!, p[2]!];
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
