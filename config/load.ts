/**
 * Loads and validates everything at start: environment switches and the data files in
 * the config directory. The only module that reads `process.env`. A bad value throws a
 * ConfigError whose message names the key, the value and what was expected.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../src/core/errors';
import type { Catalog, Locale } from '../src/core/i18n';
import { LOCALES, PLURAL_CATEGORIES } from '../src/core/i18n';
import type { Knowledge } from '../src/core/knowledge';
import type { PlanCatalog } from '../src/core/plans';
import { CalendarConfigError, parseCalendar, type WorkCalendar } from '../src/core/sla/calendar.schema';
import type { SlaRules } from '../src/core/sla/rules';
import { type GithubConfig, githubConfig } from './github.config';
import { type GitlabConfig, gitlabConfig } from './gitlab.config';
import { readKnowledge } from './knowledge.schema';
import { type CoreEnv, coreEnvSchema, formatIssues, planCatalogSchema } from './schema';
import { slaConfigSchema } from './sla.schema';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedConfig {
  readonly env: CoreEnv;
  readonly raw: Env;
  readonly plans: PlanCatalog;
  readonly catalogs: Readonly<Record<Locale, Catalog>>;
  /** Business calendars from `calendars/*.json`, by id (= file name). */
  readonly calendars: ReadonlyMap<string, WorkCalendar>;
  /** Reminder rules from `sla.json` (defaults when the file is absent). */
  readonly sla: SlaRules;
  /** The upstream tracker (GitHub); undefined when GROUPDESK_GITHUB_TOKEN is unset. */
  readonly github: GithubConfig | undefined;
  /** GitLab through the same port; undefined when GROUPDESK_GITLAB_TOKEN is unset. */
  readonly gitlab: GitlabConfig | undefined;
  /** Question patterns → documentation links from `knowledge/*.json` (none when the folder is absent). */
  readonly knowledge: Knowledge;
}

/** The process environment, with `.env` from the working directory merged under it when present. */
export function processEnv(): Env {
  const file = path.resolve('.env');
  if (existsSync(file)) process.loadEnvFile(file);
  return process.env;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(formatIssues(result.error.issues, value as Record<string, unknown>, where));
  }
  return result.data;
}

export function loadConfig(raw: Env): LoadedConfig {
  const env = parseWith(coreEnvSchema, blanksRemoved(raw), 'environment');
  const dir = path.resolve(env.GROUPDESK_CONFIG_DIR);
  const plans = parseWith(planCatalogSchema, readJson(path.join(dir, 'plans.json')), `${dir}/plans.json`);
  const catalogs = Object.fromEntries(
    LOCALES.map((locale) => [locale, readCatalog(path.join(dir, 'locales', `${locale}.json`))]),
  ) as Record<Locale, Catalog>;
  const calendars = readCalendars(path.join(dir, 'calendars'));
  checkPlanCalendars(plans, calendars, `${dir}/plans.json`);
  const slaFile = path.join(dir, 'sla.json');
  const sla: SlaRules = parseWith(slaConfigSchema, existsSync(slaFile) ? readJson(slaFile) : {}, slaFile);
  const github = githubConfig(blanksRemoved(raw));
  const gitlab = gitlabConfig(blanksRemoved(raw));
  const knowledge = readKnowledge(path.join(dir, 'knowledge'));
  return { env, raw, plans, catalogs, calendars, sla, github, gitlab, knowledge };
}

/** Every `<id>.json` in the directory (none when it is missing); the id must match the file name. */
function readCalendars(dir: string): Map<string, WorkCalendar> {
  const calendars = new Map<string, WorkCalendar>();
  if (!existsSync(dir)) return calendars;
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = path.join(dir, name);
    let calendar: WorkCalendar;
    try {
      calendar = parseCalendar(readJson(file), file);
    } catch (error) {
      if (error instanceof CalendarConfigError) throw new ConfigError(error.message);
      throw error;
    }
    const id = name.slice(0, -'.json'.length);
    if (calendar.id !== id)
      throw new ConfigError(`${file}: id="${calendar.id}": expected "${id}", the file's name without .json`);
    calendars.set(id, calendar);
  }
  return calendars;
}

function checkPlanCalendars(plans: PlanCatalog, calendars: ReadonlyMap<string, WorkCalendar>, where: string) {
  plans.plans.forEach((plan, i) => {
    if (plan.calendar === undefined || calendars.has(plan.calendar)) return;
    const known = [...calendars.keys()].join(', ') || 'none';
    throw new ConfigError(
      `${where}: plans.${i}.calendar="${plan.calendar}": no calendars/${plan.calendar}.json; expected one of: ${known}`,
    );
  });
}

/** `KEY=` in a .env file means "not set", not "set to the empty string". */
export function blanksRemoved(raw: Env): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''),
  );
}

function readJson(file: string): unknown {
  if (!existsSync(file))
    throw new ConfigError(
      `${file}: file not found (GROUPDESK_CONFIG_DIR must contain plans.json and locales/)`,
    );
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function readCatalog(file: string): Catalog {
  const data = readJson(file);
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ConfigError(`${file}: expected an object of "key": "text"`);
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string' && !isPluralMessage(value))
      throw new ConfigError(
        `${file}: ${key}=${JSON.stringify(value)}: expected a string, or plural forms like ` +
          `{ "plural": "count", "one": "{count} ticket", "other": "{count} tickets" }`,
      );
  }
  return data as Catalog;
}

const FORM_KEYS: ReadonlySet<string> = new Set(['plural', ...PLURAL_CATEGORIES]);

function isPluralMessage(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    typeof (value as { plural?: unknown }).plural === 'string' &&
    typeof (value as { other?: unknown }).other === 'string' &&
    entries.every(([k, v]) => FORM_KEYS.has(k) && typeof v === 'string')
  );
}
