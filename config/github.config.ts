/**
 * The upstream tracker's environment keys (GitHub). All optional: without a token the
 * upstream commands answer that no tracker is configured. A bad value stops the start with
 * a message naming the key; the token and the webhook secret are never echoed back.
 */
import { z } from 'zod';
import { envKey } from '../adapters/kit/config';
import { ConfigError } from '../src/core/errors';
import { isRepoName } from '../src/core/tracker';
import { formatIssues } from './schema';

const SECRET_KEYS = ['GROUPDESK_GITHUB_TOKEN', 'GROUPDESK_GITHUB_WEBHOOK_SECRET'] as const;

export const githubConfigSchema = z
  .object({
    /** A fine-grained or classic token with Issues read/write (and Contents read for releases). */
    GROUPDESK_GITHUB_TOKEN: envKey(
      z
        .string()
        .regex(/^(gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})$/, {
          message:
            'expected a GitHub token (ghp_…, github_pat_…, ghs_…): Settings → Developer settings → Personal access tokens',
        })
        .optional(),
    ),
    /** The REST API base; GitHub Enterprise Server is https://HOST/api/v3. Tests point it at a local fake. */
    GROUPDESK_GITHUB_API_URL: envKey(
      z
        .string()
        .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, { message: 'expected an http:// or https:// address' })
        .default('https://api.github.com'),
    ),
    /** The repository `/issue #N` opens issues in when none is named. */
    GROUPDESK_GITHUB_REPO: envKey(
      z.string().refine(isRepoName, { message: 'expected owner/repo, e.g. acme/framework' }).optional(),
    ),
    /** The secret the webhook deliveries are signed with (X-Hub-Signature-256). */
    GROUPDESK_GITHUB_WEBHOOK_SECRET: envKey(
      z.string().min(16, { message: 'expected at least 16 characters' }).optional(),
    ),
    /** Poll linked issues and releases every this many minutes where webhooks cannot reach the bot; 0 = off. */
    GROUPDESK_GITHUB_POLL_MINUTES: envKey(z.coerce.number().int().min(0).max(1440).default(0)),
  })
  .superRefine((env, ctx) => {
    if (env.GROUPDESK_GITHUB_TOKEN !== undefined) return;
    for (const key of ['GROUPDESK_GITHUB_REPO', 'GROUPDESK_GITHUB_WEBHOOK_SECRET'] as const) {
      if (env[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'set GROUPDESK_GITHUB_TOKEN too' });
    }
    if (env.GROUPDESK_GITHUB_POLL_MINUTES > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['GROUPDESK_GITHUB_POLL_MINUTES'],
        message: 'set GROUPDESK_GITHUB_TOKEN too',
      });
  });

export interface GithubConfig {
  readonly token: string;
  readonly apiUrl: string;
  readonly defaultRepo?: string;
  readonly webhookSecret?: string;
  /** 0 = polling off. */
  readonly pollMinutes: number;
}

/** The GitHub settings, undefined when no token is set; throws a ConfigError naming the bad key. */
export function githubConfig(raw: Record<string, unknown>): GithubConfig | undefined {
  const parsed = githubConfigSchema.safeParse(raw);
  if (!parsed.success) {
    // Never print a secret's value, even a malformed one: it may be a real secret pasted in the wrong key.
    const shown: Record<string, unknown> = { ...raw };
    for (const key of SECRET_KEYS) if (shown[key] !== undefined) shown[key] = '[redacted]';
    throw new ConfigError(formatIssues(parsed.error.issues, shown, 'environment'));
  }
  const env = parsed.data;
  if (env.GROUPDESK_GITHUB_TOKEN === undefined) return undefined;
  return {
    token: env.GROUPDESK_GITHUB_TOKEN,
    apiUrl: env.GROUPDESK_GITHUB_API_URL.replace(/\/+$/, ''),
    pollMinutes: env.GROUPDESK_GITHUB_POLL_MINUTES,
    ...(env.GROUPDESK_GITHUB_REPO !== undefined && { defaultRepo: env.GROUPDESK_GITHUB_REPO }),
    ...(env.GROUPDESK_GITHUB_WEBHOOK_SECRET !== undefined && {
      webhookSecret: env.GROUPDESK_GITHUB_WEBHOOK_SECRET,
    }),
  };
}
