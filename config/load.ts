/**
 * Loads and validates everything at start: environment switches and the data files in
 * the config directory. The only module that reads `process.env`. A bad value throws a
 * ConfigError whose message names the key, the value and what was expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../src/core/errors';
import type { Catalog, Locale } from '../src/core/i18n';
import { LOCALES } from '../src/core/i18n';
import type { PlanCatalog } from '../src/core/plans';
import { type CoreEnv, coreEnvSchema, formatIssues, planCatalogSchema } from './schema';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedConfig {
  readonly env: CoreEnv;
  readonly raw: Env;
  readonly plans: PlanCatalog;
  readonly catalogs: Readonly<Record<Locale, Catalog>>;
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
  return { env, raw, plans, catalogs };
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
    if (typeof value !== 'string')
      throw new ConfigError(`${file}: ${key}=${JSON.stringify(value)}: expected a string`);
  }
  return data as Catalog;
}
