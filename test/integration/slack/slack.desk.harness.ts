/**
 * The whole desk on Slack, in-process: createDesk over a real SQLite file, the real router
 * and commands, the real SlackAdapter (Bolt's HTTPReceiver on 127.0.0.1:0, signed requests)
 * and the Web API faked on 127.0.0.1 through SLACK_API_URL.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { SlackAdapter } from '../../../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../../../adapters/slack/slack.config';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import { ManualClock } from '../../../src/core/clock';
import type { Logger } from '../../../src/core/logger';
import type { Ticket } from '../../../src/core/model';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { SettlingHost } from '../../fakes/settling-host';
import { FakeSlackApi } from '../../fakes/slack-api';
import {
  commandForm,
  eventEnvelope,
  FORM,
  interactionForm,
  MemoryLogger,
  type PostOptions,
  SIGNING_SECRET,
  signedPost,
} from './slack.harness';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
const START = Date.parse('2026-11-23T02:00:00Z');

/** Slack ids of the people and channels in the scenario. */
export const SLACK = {
  bot: 'UBOT',
  alice: 'UALICE', // acme subscriber
  erin: 'UERIN', // globex subscriber
  bob: 'UBOB', // engineer
  zed: 'UZED', // nobody GroupDesk knows
  acme: 'CACME',
  globex: 'CGLOBEX',
  staff: 'CSTAFF',
  aliceDm: 'DALICE',
} as const;

/** A logger that can be waited on (the adapter logs what it drops). */
export class WatchedLogger extends MemoryLogger {
  private waiters: Array<() => boolean> = [];
  constructor() {
    super();
    for (const level of ['debug', 'info', 'warn', 'error'] as const) {
      const write = this[level];
      this[level] = (message: string, fields?: Record<string, unknown>) => {
        write(message, fields);
        this.waiters = this.waiters.filter((done) => !done());
      };
    }
  }

  waitFor(pattern: RegExp, ms = 5000): Promise<void> {
    const seen = () => this.lines.some((l) => pattern.test(l.text));
    return until(
      seen,
      ms,
      () => `no log line like ${pattern}`,
      (check) => this.waiters.push(check),
    );
  }
}

/** The desk's own log, kept to show why something went wrong. */
class DeskLog implements Logger {
  readonly lines: string[] = [];
  debug = () => {};
  info = () => {};
  warn = (m: string, f?: Record<string, unknown>) => this.lines.push(`warn ${m} ${JSON.stringify(f)}`);
  error = (m: string, f?: Record<string, unknown>) => this.lines.push(`error ${m} ${JSON.stringify(f)}`);
}

export interface SlackDesk {
  readonly fake: FakeSlackApi;
  readonly desk: Desk;
  readonly store: SqliteStore;
  readonly clock: ManualClock;
  readonly adapter: SlackAdapter;
  readonly host: SettlingHost;
  readonly log: WatchedLogger;
  readonly deskLog: DeskLog;
  /** Posts a signed Events API envelope; returns the HTTP answer. */
  event(event: Record<string, unknown>, eventId?: string, options?: PostOptions): Promise<Answer>;
  /** Runs `/gd <text>` as `user` in `channel`; replies to it go to response_url `/response/<id>`. */
  command(user: string, channel: string, text: string, id: string): Promise<Answer>;
  /** Clicks button `button` of a message the bot posted (a chat.postMessage call). */
  click(
    user: string,
    posted: { channel: string; ts: string; blocks: unknown },
    button: number,
    id: string,
  ): Promise<Answer>;
  ticket(number: number): Promise<Ticket | undefined>;
  /** Inbound keys the router has claimed (its persistent de-duplication). */
  inboundKeys(): number;
  /** Stops the adapter and starts a fresh one (empty in-memory caches) on the same desk. */
  restartAdapter(): Promise<void>;
  close(): Promise<void>;
}

type Answer = { status: number; text: string };

export async function startSlackDesk(): Promise<SlackDesk> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-slack-'));
  const fake = await FakeSlackApi.start();
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const clock = new ManualClock(START);
  const deskLog = new DeskLog();
  const desk = createDesk({ config, store, clock, logger: deskLog });
  await seed(desk);
  const host = new SettlingHost(desk.host);
  const log = new WatchedLogger();
  const slackConfig = slackConfigSchema.parse({
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_HOST: '127.0.0.1',
    SLACK_PORT: '0',
    SLACK_API_URL: fake.apiUrl,
  });
  const newAdapter = async () => {
    const a = new SlackAdapter(slackConfig, { logger: log, timing: { perChannelMs: 0 } });
    desk.addAdapter(a);
    await a.start(host);
    return a;
  };
  let adapter = await newAdapter();
  let eventCount = 0;
  const post = (body: string, options?: PostOptions) => signedPost(adapter.port!, body, options);
  return {
    fake,
    desk,
    store,
    clock,
    get adapter() {
      return adapter;
    },
    host,
    log,
    deskLog,
    event: (event, eventId = `EvDesk${++eventCount}`, options) =>
      post(eventEnvelope(event, eventId), options),
    command: (user, channel, text, id) =>
      post(
        commandForm({
          user_id: user,
          user_name: user.slice(1).toLowerCase(),
          channel_id: channel,
          channel_name: channel.startsWith('D') ? 'directmessage' : channel.slice(1).toLowerCase(),
          text,
          trigger_id: `trigger.${id}`,
          response_url: fake.responseUrl(id),
        }),
        { contentType: FORM },
      ),
    click: (user, posted, button, id) => {
      const actions = (posted.blocks as Array<{ type: string; elements?: unknown[] }>).find(
        (b) => b.type === 'actions',
      );
      const element = actions?.elements?.[button] as Record<string, unknown>;
      return post(
        interactionForm({
          type: 'block_actions',
          trigger_id: `trigger.${id}`,
          team: { id: 'T1', domain: 'vendor' },
          user: {
            id: user,
            username: user.slice(1).toLowerCase(),
            name: user.slice(1).toLowerCase(),
            team_id: 'T1',
          },
          api_app_id: 'A1',
          token: 'legacy',
          container: {
            type: 'message',
            message_ts: posted.ts,
            channel_id: posted.channel,
            is_ephemeral: false,
          },
          channel: { id: posted.channel, name: posted.channel.slice(1).toLowerCase() },
          message: { type: 'message', ts: posted.ts, user: SLACK.bot, bot_id: 'BBOT', blocks: posted.blocks },
          response_url: fake.responseUrl(id),
          actions: [{ ...element, block_id: 'b', action_ts: '1800000000.000001' }],
        }),
        { contentType: FORM },
      );
    },
    ticket: (number) => store.getTicket(number),
    inboundKeys: () => {
      const db = new Database(sqliteFileIn(dir), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM inbound').get() as { n: number }).n;
      } finally {
        db.close();
      }
    },
    async restartAdapter() {
      await adapter.stop();
      adapter = await newAdapter();
    },
    async close() {
      await adapter.stop();
      await desk.router.idle();
      await fake.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two customers with their Slack channels, the staff channel, one subscriber each, one engineer. */
async function seed(desk: Desk): Promise<void> {
  const { directory } = desk.services;
  await directory.addCustomer('acme', 'ACME Corp');
  await directory.addSubscription('acme', 'basic', 12);
  await directory.addCustomer('globex', 'Globex');
  await directory.addSubscription('globex', 'enterprise', 12);
  await directory.bindGroup('slack', SLACK.acme, 'acme', 'acme-support');
  await directory.bindGroup('slack', SLACK.globex, 'globex', 'globex-support');
  await directory.bindGroup('slack', SLACK.staff, 'staff', 'support-staff');
  await directory.addSubscriber('slack', SLACK.alice, 'acme', 'alice');
  await directory.addSubscriber('slack', SLACK.erin, 'globex', 'erin');
  await directory.setStaff('slack', SLACK.bob, 'engineer', 'bob');
}

/** Resolves when `done()` holds, re-checked whenever `subscribe`'s source changes; rejects after `ms`. */
function until(
  done: () => boolean,
  ms: number,
  why: () => string,
  subscribe: (check: () => boolean) => void,
): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${why()}`)), ms);
    subscribe(() => {
      if (!done()) return false;
      clearTimeout(timer);
      resolve();
      return true;
    });
  });
}

let tsCounter = 0;

/** A fresh Slack `ts` for a message a person posts. */
export function nextTs(): string {
  tsCounter += 1;
  return `1800000${String(tsCounter).padStart(3, '0')}.000200`;
}

/** A channel message event from `user` in `channel` (override any field). */
export function said(user: string, channel: string, text: string, fields: Record<string, unknown> = {}) {
  const ts = (fields.ts as string | undefined) ?? nextTs();
  return {
    type: 'message',
    channel,
    channel_type: channel.startsWith('D') ? 'im' : 'channel',
    user,
    text,
    ts,
    event_ts: ts,
    ...fields,
  };
}
