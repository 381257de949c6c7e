/**
 * Zod schemas for everything GroupDesk reads at start: `.env` switches and the data
 * files in `config/`. A bad value stops the start with one message naming the key, the
 * value and what was expected (see `formatIssues`).
 */
import { z } from 'zod';
import { LOCALES } from '../src/core/i18n';
import { CATEGORIES, PRIORITIES } from '../src/core/model';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The core switches; each platform adds its own sub-schema (adapters/<platform>/<platform>.config.ts). */
export const coreEnvSchema = z.object({
  GROUPDESK_LOCALE: z.enum(LOCALES).default('zh-CN'),
  GROUPDESK_TIMEZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isTimeZone, { message: 'expected an IANA time zone such as Asia/Shanghai' }),
  GROUPDESK_DATA_DIR: z.string().min(1).default('./data'),
  GROUPDESK_CONFIG_DIR: z.string().min(1).default('./config'),
  GROUPDESK_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  /** A requester's messages within this many minutes of their last one attach to the same ticket. */
  GROUPDESK_FOLLOWUP_MINUTES: positiveInt(30),
  GROUPDESK_MERGE_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  /** A customer message on a resolved ticket within this many days reopens it. */
  GROUPDESK_REOPEN_DAYS: positiveInt(7),
  /** How long groups, people and plans are cached per process; other instances see changes within this time. 0 = off. */
  GROUPDESK_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** The web console's port; unset: off (the playground then uses 8080). 0 = any free port. */
  GROUPDESK_WEB_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Where the web console listens; never beyond 127.0.0.1 unless configured. */
  GROUPDESK_WEB_HOST: z.string().min(1).default('127.0.0.1'),
  /** The console's public address behind a proxy (sign-in links point there). */
  GROUPDESK_WEB_URL: z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, { message: 'expected an http:// or https:// address' })
    .optional(),
  /** Signs sign-in links and sessions; unset: generated once and kept in the data dir. */
  GROUPDESK_WEB_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  /** A bearer token for GET /metrics from beyond this machine; unset: loopback only, without a proxy header. */
  GROUPDESK_METRICS_TOKEN: z.string().min(16, { message: 'expected at least 16 characters' }).optional(),
  /** An outbound message its platform has not accepted within this many hours fails, with a notice to staff. */
  GROUPDESK_OUTBOX_EXPIRE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, { message: 'expected a mongodb:// or mongodb+srv:// URI' })
    .optional(),
});
export type CoreEnv = z.infer<typeof coreEnvSchema>;

const localisedName = z.object(
  Object.fromEntries(LOCALES.map((l) => [l, z.string().min(1)])) as {
    [K in (typeof LOCALES)[number]]: z.ZodString;
  },
);

/** Hours of a promise: positive, at most 30 days; null = not promised. */
const targetHours = (max: number) =>
  z
    .number({ error: 'expected a positive number of hours, or null for no target' })
    .positive({ error: 'expected a positive number of hours, or null for no target' })
    .max(max, { error: `expected at most ${max} hours` })
    .nullable();

/** The plan keys that state a promise; any other `…Hours` key is an unknown metric. */
const METRIC_KEYS = ['firstResponseHours', 'nextResponseHours', 'resolutionHours'] as const;

const priorityFactors = z.strictObject(
  Object.fromEntries(
    PRIORITIES.map((p) => [
      p,
      z
        .number({ error: 'expected a factor above 0 and at most 1, e.g. 0.25 for a quarter of the window' })
        .gt(0, { error: 'expected a factor above 0 and at most 1, e.g. 0.25 for a quarter of the window' })
        .max(1, { error: 'expected a factor above 0 and at most 1, e.g. 0.25 for a quarter of the window' })
        .optional(),
    ]),
  ) as { [K in (typeof PRIORITIES)[number]]: z.ZodOptional<z.ZodNumber> },
  { error: () => `unknown priority; expected ${PRIORITIES.join(', ')}` },
);

export const planSchema = z.strictObject(
  {
    id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'expected a lowercase id like "basic"' }),
    name: localisedName,
    price: z.number().nonnegative().nullable(),
    listPrice: z.number().nonnegative().nullable(),
    firstResponseHours: targetHours(24 * 30),
    /** Absent: the first-response hours. */
    nextResponseHours: targetHours(24 * 30).optional(),
    /** Absent: no resolution target. */
    resolutionHours: targetHours(24 * 365).optional(),
    priorityFactors: priorityFactors.optional(),
    priorityResponse: z.boolean(),
    trainingSessions: z.number().int().min(0).max(100),
    categories: z.array(z.enum(CATEGORIES)),
    calendar: z.string().min(1).optional(),
  },
  {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const metrics = issue.keys.filter((k) => k.endsWith('Hours'));
      return metrics.length > 0
        ? `unknown SLA metric ${metrics.map((k) => `"${k}"`).join(', ')}; expected ${METRIC_KEYS.join(', ')}`
        : undefined;
    },
  },
);

export const planCatalogSchema = z
  .strictObject({
    currency: z.string().min(1),
    graceDays: z.number().int().min(0).max(365),
    freeChannels: z.record(z.string(), z.string().min(1)),
    plans: z.array(planSchema).min(2),
  })
  .superRefine((catalog, ctx) => {
    const first = catalog.plans[0];
    const promises =
      first && [first.nextResponseHours, first.resolutionHours].some((h) => h !== undefined && h !== null);
    if (first && (first.firstResponseHours !== null || first.categories.length > 0 || promises)) {
      ctx.addIssue({
        code: 'custom',
        path: ['plans', 0],
        message:
          'the first plan must be the free community plan (firstResponseHours null, no other targets, no categories)',
      });
    }
    const seen = new Set<string>();
    catalog.plans.forEach((p, i) => {
      if (seen.has(p.id))
        ctx.addIssue({ code: 'custom', path: ['plans', i, 'id'], message: `duplicate plan id "${p.id}"` });
      seen.add(p.id);
    });
  });

/** Keys whose value is a credential: never printed, even malformed (it may be a real secret pasted in the wrong key). */
const SECRET_KEY = /TOKEN|SECRET|PASSWORD|PASSPHRASE|CREDENTIAL|ENCRYPT_KEY|API_KEY|PRIVATE_KEY/i;

/** What an error may show of a bad value: secrets hidden, a password inside an address masked. */
function shownValue(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key)) return '[redacted]';
  return typeof value === 'string' ? value.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, '$1:***@') : value;
}

/** Renders zod issues as `KEY=value: expected …` lines (a secret's value hidden). */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  source: Record<string, unknown> | undefined,
  where: string,
): string {
  return issues
    .map((issue) => {
      const key = issue.path.map(String).join('.') || '(root)';
      const name = String(issue.path[0] ?? '');
      const value = source && issue.path.length === 1 ? source[name] : undefined;
      const shown = value === undefined ? '' : `=${JSON.stringify(shownValue(name, value))}`;
      return `${where}: ${key}${shown}: ${issue.message}`;
    })
    .join('\n');
}
