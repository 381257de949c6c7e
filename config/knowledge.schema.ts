/**
 * config/knowledge/*.json: the vendor's question patterns → documentation links, per
 * locale (src/core/knowledge.ts). Checked at start; a bad file stops it, naming the key.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../src/core/errors';
import { LOCALES } from '../src/core/i18n';
import { Knowledge, type KnowledgeEntry } from '../src/core/knowledge';
import { formatIssues } from './schema';

const link = z
  .object({
    title: z.string().trim().min(1).max(200),
    url: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//i.test(u), { message: 'expected an http(s) address' }),
  })
  .strict();

const entry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'expected a short id: a-z, 0-9, - or _' }),
    locale: z.enum(LOCALES),
    patterns: z.array(z.string().trim().min(2).max(200)).min(1).max(50),
    links: z.array(link).min(1).max(5),
  })
  .strict();

export const knowledgeFileSchema = z.object({ entries: z.array(entry).max(2000) }).strict();

/** Every `*.json` in the directory, in name order (none when it is missing); ids unique across files. */
export function readKnowledge(dir: string): Knowledge {
  if (!existsSync(dir)) return new Knowledge([]);
  const entries: KnowledgeEntry[] = [];
  const seen = new Map<string, string>();
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = path.join(dir, name);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const parsed = knowledgeFileSchema.safeParse(value);
    if (!parsed.success) throw new ConfigError(formatIssues(parsed.error.issues, undefined, file));
    parsed.data.entries.forEach((e, i) => {
      const first = seen.get(e.id);
      if (first) throw new ConfigError(`${file}: entries.${i}.id="${e.id}": already used in ${first}`);
      seen.set(e.id, name);
      entries.push(e);
    });
  }
  return new Knowledge(entries);
}
