import { z } from 'zod';
import { envKey, unsetIfBlank } from '../kit/config';
import { listenHost } from '../listen-host';

const required = (key: string, what: string) =>
  envKey(
    z.string({ error: (issue) => (issue.input === undefined ? `${key} is required (${what})` : undefined) }),
  );

const optional = <T extends z.ZodType>(schema: T) => envKey(schema.optional());

/**
 * The Slack adapter's environment keys. HTTP mode (Events API request URL) needs
 * `SLACK_SIGNING_SECRET`; setting `SLACK_APP_TOKEN` switches to Socket Mode instead.
 * Parses to a {@link SlackConfig}; every issue names the key to fix.
 * See https://docs.slack.dev/apis/events-api/using-socket-mode for the two modes.
 */
export const slackConfigSchema = z
  .object({
    SLACK_BOT_TOKEN: required('SLACK_BOT_TOKEN', 'the Bot User OAuth Token, xoxb-…').refine(
      (v) => v.startsWith('xoxb-'),
      'SLACK_BOT_TOKEN must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)',
    ),
    SLACK_SIGNING_SECRET: optional(
      z
        .string()
        .regex(
          /^[0-9a-f]{16,}$/i,
          'SLACK_SIGNING_SECRET must be the hex Signing Secret from Basic Information',
        ),
    ),
    /** HTTP mode: interface the receiver listens on; Slack reaches it from the internet. */
    SLACK_HOST: listenHost(
      '0.0.0.0',
      'SLACK_HOST must be an IP address or a host name to listen on, e.g. 0.0.0.0 or 127.0.0.1 behind a proxy (no scheme or port)',
    ),
    SLACK_PORT: envKey(
      z.coerce
        .number({ error: 'SLACK_PORT must be a port number (0-65535)' })
        .int('SLACK_PORT must be a whole number')
        .min(0, 'SLACK_PORT must be between 0 and 65535')
        .max(65535, 'SLACK_PORT must be between 0 and 65535')
        .default(3000),
    ),
    SLACK_APP_TOKEN: optional(
      z
        .string()
        .startsWith(
          'xapp-',
          'SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)',
        ),
    ),
    SLACK_API_URL: optional(
      z.url({
        protocol: /^https?$/,
        error: 'SLACK_API_URL must be an http(s) URL such as https://slack.com/api/',
      }),
    ),
    SLACK_COMMAND: z.preprocess(
      (v) => (typeof unsetIfBlank(v) === 'string' ? (v as string).trim().toLowerCase() : undefined),
      z
        .string()
        .regex(
          /^\/[a-z0-9_-]{1,31}$/,
          'SLACK_COMMAND must be a slash command such as /gd (lowercase letters, digits, - or _, at most 32 characters)',
        )
        .default('/gd'),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'SLACK_SIGNING_SECRET is required in HTTP mode; set it (Basic Information → Signing Secret), ' +
          'or set SLACK_APP_TOKEN (xapp-…) to use Socket Mode instead',
      });
    }
  })
  .transform((env): SlackConfig => {
    const common = {
      botToken: env.SLACK_BOT_TOKEN,
      command: env.SLACK_COMMAND,
      ...(env.SLACK_API_URL !== undefined ? { apiUrl: env.SLACK_API_URL } : {}),
    };
    if (env.SLACK_APP_TOKEN !== undefined)
      return { ...common, mode: 'socket', appToken: env.SLACK_APP_TOKEN };
    // superRefine guarantees the secret in HTTP mode.
    return {
      ...common,
      mode: 'http',
      signingSecret: env.SLACK_SIGNING_SECRET!,
      host: env.SLACK_HOST,
      port: env.SLACK_PORT,
    };
  });

interface SlackCommonConfig {
  /** Bot User OAuth Token (`xoxb-…`). */
  readonly botToken: string;
  /** The one slash command, e.g. `/gd`. */
  readonly command: string;
  /** Web API base URL; Slack's own when absent. */
  readonly apiUrl?: string;
}

/** Parsed Slack settings: HTTP mode (Events API request URL) or Socket Mode. */
export type SlackConfig =
  | (SlackCommonConfig & {
      readonly mode: 'http';
      readonly signingSecret: string;
      /** Interface the HTTP receiver listens on. */
      readonly host: string;
      readonly port: number;
    })
  | (SlackCommonConfig & { readonly mode: 'socket'; readonly appToken: string });
