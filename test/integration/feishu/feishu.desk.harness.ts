/**
 * The whole desk on Feishu, in-process: createDesk over a real SQLite file, the real router
 * and commands, the real FeishuAdapter in HTTP mode (its callback receiver on 127.0.0.1:0)
 * or over the long connection (test/fakes/feishu-socket.ts)
 * and the real SDK talking to a fake open platform on 127.0.0.1 through FEISHU_DOMAIN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeishuAdapter } from '../../../adapters/feishu/feishu.adapter';
import { feishuConfigSchema } from '../../../adapters/feishu/feishu.config';
import type { FeishuTiming } from '../../../adapters/feishu/feishu.sender';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import { ManualClock } from '../../../src/core/clock';
import type { Logger } from '../../../src/core/logger';
import type { Ticket } from '../../../src/core/model';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import {
  APP_ID,
  APP_SECRET,
  BOT_OPEN_ID,
  type DeliverOptions,
  type Delivery,
  ENCRYPT_KEY,
  FeishuPeer,
  VERIFICATION_TOKEN,
} from '../../fakes/feishu-peer';
import { FeishuSocket } from '../../fakes/feishu-socket';
import { SettlingHost } from '../../fakes/settling-host';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
const START = Date.parse('2026-11-23T02:00:00Z');

/** Feishu ids of the people and chats in the scenario. */
export const FEISHU = {
  bot: BOT_OPEN_ID,
  alice: 'ou_alice', // acme subscriber
  bob: 'ou_bob', // engineer
  zed: 'ou_zed', // nobody GroupDesk knows
  acme: 'oc_acme',
  staff: 'oc_staff',
} as const;

/** Every log line, to wait on and to show what was refused. */
export class LogLines implements Logger {
  readonly lines: string[] = [];
  private waiters: Array<() => boolean> = [];
  debug = (m: string) => this.add(`debug ${m}`);
  info = (m: string) => this.add(`info ${m}`);
  warn = (m: string) => this.add(`warn ${m}`);
  error = (m: string, f?: Record<string, unknown>) => this.add(`error ${m} ${f ? JSON.stringify(f) : ''}`);

  /** Resolves once `count` lines (one by default) match `pattern`. */
  waitFor(pattern: RegExp, ms = 5000, count = 1): Promise<void> {
    const seen = () => this.lines.filter((l) => pattern.test(l)).length >= count;
    if (seen()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no log line like ${pattern}:\n${this.lines.join('\n')}`)),
        ms,
      );
      this.waiters.push(() => {
        if (!seen()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }

  private add(line: string): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((done) => !done());
  }
}

export interface FeishuDesk {
  readonly peer: FeishuPeer;
  /** The long connection's side of the fake, in ws mode. */
  readonly socket?: FeishuSocket;
  readonly desk: Desk;
  readonly store: SqliteStore;
  readonly clock: ManualClock;
  readonly host: SettlingHost;
  readonly log: LogLines;
  readonly adapter: FeishuAdapter;
  /** The adapter's request URL. */
  readonly url: string;
  /** Encrypts, signs and posts a callback payload; returns the HTTP answer. */
  deliver(payload: Record<string, unknown>, options?: DeliverOptions): Promise<Delivery>;
  /** `from` says `text` in `chat` (mentioning the bot when `atBot`); resolves once the desk has handled it. */
  say(
    from: string,
    chat: string,
    text: string,
    options?: { atBot?: boolean; rootId?: string; messageId?: string },
  ): Promise<string>;
  ticket(number: number): Promise<Ticket | undefined>;
  close(): Promise<void>;
}

let counter = 0;

export async function startFeishuDesk(
  timing: Partial<FeishuTiming> = {},
  mode: 'http' | 'ws' = 'http',
): Promise<FeishuDesk> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-feishu-'));
  const clock = new ManualClock(START);
  const peer = await FeishuPeer.start(() => clock.now());
  const socket = mode === 'ws' ? FeishuSocket.attach(peer) : undefined;
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const deskLog = new LogLines();
  const desk = createDesk({ config, store, clock, logger: deskLog });
  await seed(desk);
  const host = new SettlingHost(desk.host);
  const log = new LogLines();
  const adapter = new FeishuAdapter(
    feishuConfigSchema.parse({
      FEISHU_APP_ID: APP_ID,
      FEISHU_APP_SECRET: APP_SECRET,
      FEISHU_DOMAIN: peer.url,
      FEISHU_MODE: mode,
      ...(mode === 'http'
        ? {
            FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
            FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
            FEISHU_HOST: '127.0.0.1',
            FEISHU_PORT: '0',
          }
        : {}),
    }),
    { logger: log, timing: { perChatMs: 0, ...timing }, now: () => clock.now() },
  );
  desk.addAdapter(adapter);
  await adapter.start(host);
  const url = `http://127.0.0.1:${adapter.port}/feishu/events`;
  const deliver = async (payload: Record<string, unknown>, options?: DeliverOptions): Promise<Delivery> => {
    if (socket === undefined) return peer.deliver(url, payload, options);
    // Over the long connection there is no HTTP answer: the client answers in a frame.
    socket.push(payload);
    return { status: 200, body: '{}' };
  };
  return {
    peer,
    ...(socket !== undefined ? { socket } : {}),
    desk,
    store,
    clock,
    host,
    log,
    adapter,
    url,
    deliver,
    async say(from, chat, text, options = {}) {
      counter += 1;
      const messageId = options.messageId ?? `om_person_${counter}`;
      const before = host.handled.length;
      const answer = await deliver(
        peer.messageEvent({
          eventId: `ev_${counter}`,
          messageId,
          from,
          chatId: chat,
          text: options.atBot ? `@_user_1 ${text}` : text,
          ...(options.atBot
            ? { mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: 'GroupDesk' }] }
            : {}),
          ...(options.rootId !== undefined
            ? { rootId: options.rootId, threadId: `omt_${options.rootId}` }
            : {}),
        }),
      );
      if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${answer.body}`);
      await host.waitHandled(before + 1);
      return messageId;
    },
    ticket: (n) => store.getTicket(n),
    async close() {
      await adapter.stop();
      await desk.router.idle();
      await socket?.close();
      await peer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One customer with its Feishu group, the staff group, one subscriber, one engineer. */
async function seed(desk: Desk): Promise<void> {
  const { directory } = desk.services;
  await directory.addCustomer('acme', 'ACME Corp');
  await directory.addSubscription('acme', 'basic', 12);
  await directory.bindGroup('feishu', FEISHU.acme, 'acme', 'acme-support');
  await directory.bindGroup('feishu', FEISHU.staff, 'staff', 'support-staff');
  await directory.addSubscriber('feishu', FEISHU.alice, 'acme', 'alice');
  await directory.setStaff('feishu', FEISHU.bob, 'engineer', 'bob');
}
