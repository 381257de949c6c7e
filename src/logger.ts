/**
 * The core Logger written with pino: JSON lines on stderr in production (a platform is
 * configured), one readable line per entry in the playground. stdout stays for the console
 * playground. Secrets never reach the log: known secret keys are redacted by path (pino's
 * `redact`), and credentials inside any string (a URI's password, an access_token query
 * parameter, Slack and GitHub tokens, Authorization values) are masked wherever they appear.
 */
import pino from 'pino';
import type { Logger } from './core/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
/** `json`: one JSON object per line (production); `pretty`: `time LEVEL message {fields}` (playground). */
export type LogFormat = 'json' | 'pretty';

/** Keys whose values are secrets wherever they sit (env names, parsed config names, HTTP headers). */
export const SECRET_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'DISCORD_TOKEN',
  'ONEBOT_ACCESS_TOKEN',
  'WECHATY_PUPPET_SERVICE_TOKEN',
  'MONGODB_URI',
  'GROUPDESK_GITHUB_TOKEN',
  'GROUPDESK_GITHUB_WEBHOOK_SECRET',
  'GROUPDESK_GITLAB_TOKEN',
  'GROUPDESK_GITLAB_WEBHOOK_TOKEN',
  'webhookToken',
  'private-token',
  'webhookSecret',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'authorization',
  'Authorization',
  'access_token',
  'accessToken',
] as const;

const CENSOR = '[redacted]';
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** Masks credentials inside free text: an error message that embeds a URI, a header, a token. */
export function scrubCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*):[^@/\s]*@/gi, '$1:***@')
    .replace(/([?&](?:access_token|token|password)=)[^&#\s"']+/gi, '$1***')
    .replace(/\bx(?:ox[abprs]|app)-[A-Za-z0-9-]+/g, '***')
    .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,})/g, '***')
    .replace(/\b(Bot|Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***');
}

/** Plain data with every string scrubbed; errors become `{ type, message, stack }`. */
function scrubbed(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubCredentials(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) {
    const { cause } = value as { cause?: unknown };
    return {
      type: value.name,
      message: scrubCredentials(value.message),
      ...(value.stack !== undefined && { stack: scrubCredentials(value.stack) }),
      ...(cause !== undefined && { cause: scrubbed(cause, depth + 1, seen) }),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrubbed(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubbed(item, depth + 1, seen);
  return out;
}

/** The playground's line: the format the logger had before pino, so operators see no change. */
function prettyLine(line: string): string {
  const { level, time, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
  const extra = Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
  return `${String(time)} ${String(level).toUpperCase()} ${String(msg)}${extra}\n`;
}

export interface StderrLoggerOptions {
  readonly format?: LogFormat;
  /** Where lines go; stderr (synchronously, so nothing is lost at exit) by default. */
  readonly write?: (line: string) => void;
}

/**
 * A Logger at `level`. The playground's readable format is a small in-process formatter of
 * pino's own line rather than pino-pretty: no worker-thread transport (start stays fast),
 * no further dependencies, and exactly the line format the playground printed before.
 */
export function stderrLogger(level: LogLevel, options: StderrLoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const write = options.write ?? ((l: string) => process.stderr.write(l));
  const destination =
    format === 'pretty'
      ? { write: (line: string) => write(prettyLine(line)) }
      : options.write !== undefined
        ? { write }
        : pino.destination({ fd: 2, sync: true });
  const log = pino(
    {
      level,
      base: format === 'pretty' ? null : { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    destination,
  );
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
      if (!log.isLevelEnabled(method)) return;
      const text = scrubCredentials(message);
      // An Error passed as the fields (the SDKs' habit) has no own keys but is worth logging.
      if (fields !== undefined && (fields instanceof Error || Object.keys(fields).length > 0))
        log[method](scrubbed(fields) as object, text);
      else log[method](text);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
