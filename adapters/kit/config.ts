import { z } from 'zod';

/**
 * The adapters' config style, after config/schema.ts: each adapter exports one zod schema of
 * its environment keys (adapters/<platform>/<platform>.config.ts); src/platforms.ts parses
 * it with config/load's parseWith, so a bad value is a ConfigError naming the key, the value
 * and what was expected, and the start stops with exit code 2.
 */

/** `.env` files turn `KEY=` (or spaces) into a string: read it as "not set", so defaults apply. */
export const unsetIfBlank = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** One environment key: a blank value is absent, then `schema` validates (and defaults) it. */
export const envKey = <T extends z.ZodType>(schema: T) => z.preprocess(unsetIfBlank, schema);

/** A key that must be set and not blank; `what` says where to find its value. */
export const requiredKey = (key: string, what: string) =>
  envKey(
    z
      .string({ error: (issue) => (issue.input === undefined ? `${key} is required (${what})` : undefined) })
      .trim()
      .min(1, `${key} must not be empty (${what})`),
  );

/** An absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
