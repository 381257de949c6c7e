/**
 * GitLab as an upstream tracker, through the same port as GitHub (issue 16). All optional:
 * without a token, `gitlab:` references are answered "not configured". A bad value stops
 * the start with a message naming the key; the token and the webhook token are never echoed.
 */
import { z } from 'zod';
import { envKey } from '../adapters/kit/config';
import { ConfigError } from '../src/core/errors';
import { formatIssues } from './schema';

const SECRET_KEYS = ['GROUPDESK_GITLAB_TOKEN', 'GROUPDESK_GITLAB_WEBHOOK_TOKEN'] as const;

export const gitlabConfigSchema = z
  .object({
    /** A personal, group or project access token with the `api` scope (glpat-…). */
    GROUPDESK_GITLAB_TOKEN: envKey(
      z
        .string()
        .regex(/^[A-Za-z0-9_.-]{20,255}$/, {
          message: 'expected a GitLab access token (glpat-…): User settings → Access tokens, scope api',
        })
        .optional(),
    ),
    /** The instance: https://gitlab.com, or a self-managed one. Tests point it at a local fake. */
    GROUPDESK_GITLAB_URL: envKey(
      z
        .string()
        .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, { message: 'expected an http:// or https:// address' })
        .default('https://gitlab.com'),
    ),
    /** The secret token GitLab sends in X-Gitlab-Token with each webhook delivery. */
    GROUPDESK_GITLAB_WEBHOOK_TOKEN: envKey(
      z.string().min(16, { message: 'expected at least 16 characters' }).optional(),
    ),
    /** Minutes between polls of the linked GitLab issues and their releases; 0 (default): webhooks only. */
    GROUPDESK_GITLAB_POLL_MINUTES: envKey(z.coerce.number().int().min(0).max(1440).default(0)),
  })
  .superRefine((env, ctx) => {
    if (env.GROUPDESK_GITLAB_TOKEN !== undefined) return;
    if (env.GROUPDESK_GITLAB_WEBHOOK_TOKEN !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['GROUPDESK_GITLAB_WEBHOOK_TOKEN'],
        message: 'set GROUPDESK_GITLAB_TOKEN too',
      });
    if (env.GROUPDESK_GITLAB_POLL_MINUTES > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['GROUPDESK_GITLAB_POLL_MINUTES'],
        message: 'set GROUPDESK_GITLAB_TOKEN too',
      });
  });

export interface GitlabConfig {
  readonly token: string;
  /** The instance's address, without a trailing slash (the API is under /api/v4). */
  readonly url: string;
  readonly webhookToken?: string;
  /** Minutes between polls; 0: none. */
  readonly pollMinutes: number;
}

/** The GitLab settings, undefined when no token is set; throws a ConfigError naming the bad key. */
export function gitlabConfig(raw: Record<string, unknown>): GitlabConfig | undefined {
  const parsed = gitlabConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const shown: Record<string, unknown> = { ...raw };
    for (const key of SECRET_KEYS) if (shown[key] !== undefined) shown[key] = '[redacted]';
    throw new ConfigError(formatIssues(parsed.error.issues, shown, 'environment'));
  }
  const env = parsed.data;
  if (env.GROUPDESK_GITLAB_TOKEN === undefined) return undefined;
  return {
    token: env.GROUPDESK_GITLAB_TOKEN,
    url: env.GROUPDESK_GITLAB_URL.replace(/\/+$/, ''),
    pollMinutes: env.GROUPDESK_GITLAB_POLL_MINUTES,
    ...(env.GROUPDESK_GITLAB_WEBHOOK_TOKEN !== undefined && {
      webhookToken: env.GROUPDESK_GITLAB_WEBHOOK_TOKEN,
    }),
  };
}
