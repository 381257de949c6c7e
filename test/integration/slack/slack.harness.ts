import { createHmac } from 'node:crypto';
import { SlackAdapter, type SlackAdapterOptions } from '../../../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../../../adapters/slack/slack.config';
import type { InboundMessage } from '../../../src/core/chat';
import type { Logger } from '../../../src/core/logger';
import { RecordingHost } from '../../fakes/recording-host';
import { FakeSlackApi } from '../../fakes/slack-api';

export const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';

/** Keeps test output quiet while letting tests look at what was logged. */
export class MemoryLogger implements Logger {
  readonly lines: Array<{ level: string; text: string }> = [];
  debug = (message: string, fields?: Record<string, unknown>) => this.push('debug', message, fields);
  info = (message: string, fields?: Record<string, unknown>) => this.push('info', message, fields);
  warn = (message: string, fields?: Record<string, unknown>) => this.push('warn', message, fields);
  error = (message: string, fields?: Record<string, unknown>) => this.push('error', message, fields);
  private push(level: string, message: string, fields: Record<string, unknown> | undefined): void {
    // As a JSON-lines logger prints it: an Error object among the fields would show as {}.
    this.lines.push({ level, text: fields === undefined ? message : `${message} ${JSON.stringify(fields)}` });
  }
}

export interface Harness {
  readonly fake: FakeSlackApi;
  readonly adapter: SlackAdapter;
  readonly host: RecordingHost;
  readonly logger: MemoryLogger;
  /** POSTs a signed request to the adapter's HTTP receiver. */
  post(body: string, options?: PostOptions): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface PostOptions {
  readonly contentType?: string;
  /** Seconds since epoch to sign with (default now). */
  readonly timestamp?: number;
  readonly secret?: string;
  readonly headers?: Record<string, string>;
}

/** Starts a fake Web API and an HTTP-mode adapter on 127.0.0.1:0 wired to it. */
export async function startHttpHarness(
  onMessage?: (message: InboundMessage, adapter: SlackAdapter) => Promise<void>,
  options: SlackAdapterOptions = {},
): Promise<Harness> {
  const fake = await FakeSlackApi.start();
  const logger = new MemoryLogger();
  const config = slackConfigSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_HOST: '127.0.0.1',
    SLACK_PORT: '0',
    SLACK_API_URL: fake.apiUrl,
  });
  const adapter = new SlackAdapter(config, {
    logger,
    timing: { perChannelMs: 0, retryAfterUnitMs: 20 },
    ...options,
  });
  const host = new RecordingHost(onMessage ? { onMessage: (m) => onMessage(m, adapter) } : {});
  try {
    await adapter.start(host);
  } catch (error) {
    await fake.close();
    throw error;
  }
  const post = (body: string, opts: PostOptions = {}) => signedPost(adapter.port!, body, opts);
  const close = async () => {
    await adapter.stop();
    await fake.close();
  };
  return { fake, adapter, host, logger, post, close };
}

export async function signedPost(
  port: number,
  body: string,
  options: PostOptions = {},
): Promise<{ status: number; text: string }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

let eventCounter = 0;

/** An Events API envelope around `event`, as Slack posts it. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${++eventCounter}`): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: 1700000000,
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
    event,
  });
}

/** A channel message event (override any field). */
export function messageEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    channel: 'C1',
    channel_type: 'channel',
    user: 'UALICE',
    text: 'Build fails on Node 20',
    ts: '1700000000.000001',
    event_ts: '1700000000.000001',
    ...fields,
  };
}

/** A slash command form body. */
export function commandForm(fields: Record<string, string>): string {
  return new URLSearchParams({
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'vendor',
    channel_id: 'CSTAFF',
    channel_name: 'support-staff',
    user_id: 'UBOB',
    user_name: 'bob',
    command: '/gd',
    text: '',
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    trigger_id: '111.222.abc',
    ...fields,
  }).toString();
}

/** An interactivity form body (`payload=<json>`). */
export function interactionForm(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export const FORM = 'application/x-www-form-urlencoded';

/** A promise to resolve from inside a handler (RecordingHost counts a message before its handler ends). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
