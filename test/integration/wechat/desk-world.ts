/**
 * The whole desk over WeChat: createDesk on a real SQLite file, the real router and
 * commands, the real WechatAdapter on real Wechaty over `wechaty-puppet-mock`. People are
 * mock contacts who speak in mock rooms; what the bot says is read back from the rooms.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import type { ChatAdapter } from '../../../adapters/adapter';
import { WechatAdapter } from '../../../adapters/wechat/wechat.adapter';
import type { WechatConfig } from '../../../adapters/wechat/wechat.config';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import type { OutboundMessage, Platform, SentMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import type { Store } from '../../../src/core/ports';
import { seedDemo } from '../../../src/demo';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { SettlingHost } from '../../fakes/settling-host';
import { Outbox, RecordingLogger, testConfig, Waiters } from './mock-world';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
export const START = Date.parse('2026-11-23T02:00:00Z');
/** WeChat puts U+2005 after an @mention it inserts. */
export const AT = '\u2005';

type ContactMock = ReturnType<mock.Mocker['createContact']>;
export type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** A stand-in for another platform's adapter (the console) that records what it was asked to send. */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly sent: OutboundMessage[] = [];
  private readonly waiters = new Waiters();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(message: OutboundMessage): Promise<SentMessage> {
    this.sent.push(message);
    this.waiters.notify();
    return { messageId: `console-${this.sent.length}` };
  }
  waitFor(count: number): Promise<void> {
    return this.waiters.wait(() => this.sent.length >= count, `${count} console messages`);
  }
}

export interface DeskWorldOptions {
  /** As createDesk takes it: `true`, or the platforms to sync. */
  readonly syncMembers?: boolean | readonly Platform[];
  readonly wechat?: Partial<WechatConfig>;
  /** Puts something between the desk and the SQLite store (e.g. an outage switch). */
  readonly wrapStore?: (store: Store) => Store;
}

/**
 * Acme (basic plan) has a WeChat room with Alice and Bob; the staff room holds Erin
 * (engineer) and Mia (manager); a community room and an unbound room hold Zed, a stranger.
 */
export async function deskWorld(options: DeskWorldOptions = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'groupdesk-wechat-desk-'));
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
  });
  const store: SqliteStore = openSqliteStore(sqliteFileIn(dir));
  const clock = new ManualClock(START);
  const desk: Desk = createDesk({
    config,
    store: options.wrapStore?.(store) ?? store,
    clock,
    logger: silentLogger,
    syncMembers: options.syncMembers ?? false,
  });
  await seedDemo(desk.services); // customers acme and globex, console groups

  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const logger = new RecordingLogger();
  const adapter = new WechatAdapter(
    // Tiny intervals: the limiter still queues and spaces, the tests stay fast.
    { ...testConfig, sendIntervalMs: 2, globalSendIntervalMs: 1, ...options.wechat },
    { dataDir: path.join(dir, 'wechat'), puppet, logger },
  );
  const host = new SettlingHost(desk.host);
  desk.addAdapter(adapter);
  await adapter.start(host);

  const person = (name: string) => mocker.createContact({ name });
  const bot = person('DeskBot');
  const alice = person('Alice Wang');
  const bob = person('Bob Li');
  const erin = person('Erin Chen');
  const mia = person('Mia Zhou');
  const zed = person('Zed');
  const room = (topic: string, members: readonly ContactMock[]) =>
    mocker.createRoom({ topic, memberIdList: [bot.id, ...members.map((m) => m.id)] });
  const rooms = {
    acme: room('ACME support', [alice, bob]),
    staff: room('GroupDesk staff', [erin, mia]),
    community: room('Framework community', [zed, alice]),
    unbound: room('New customer', [mia, zed]),
  };
  mocker.login(bot);
  await host.waitFor(() => host.health.some((h) => h.state === 'up'), 'login');

  const { directory } = desk.services;
  await directory.bindGroup('wechat', rooms.acme.id, 'acme', 'ACME support');
  await directory.bindGroup('wechat', rooms.staff.id, 'staff', 'GroupDesk staff');
  await directory.bindGroup('wechat', rooms.community.id, 'community', 'Framework community');
  await directory.setStaff('wechat', erin.id, 'engineer', 'Erin');
  await directory.setStaff('wechat', mia.id, 'manager', 'Mia');

  const outboxes = new Map<string, Outbox>();
  for (const r of Object.values(rooms)) outboxes.set(r.id, new Outbox(r, bot));
  let said = 0;

  return {
    dir,
    desk,
    store,
    clock,
    mocker,
    puppet,
    adapter,
    host,
    logger,
    bot,
    alice,
    bob,
    erin,
    mia,
    zed,
    rooms,
    person,
    room,
    /** Says `text` in `where`; `mention` puts "@DeskBot" in front, picked as WeChat does it. */
    say(who: ContactMock, where: RoomMock, text: string, mention = false): void {
      said++;
      if (mention) who.say(`@DeskBot${AT}${text}`, [bot]).to(where);
      else who.say(text).to(where);
    },
    /** Resolves once the desk has handled everything said so far, replies included. */
    settled(ms?: number): Promise<void> {
      return host.waitFor(() => host.handled.length >= said, `${said} handled messages`, ms);
    },
    /** What the bot said in a room (kept from the start). */
    outbox(where: RoomMock): Outbox {
      let box = outboxes.get(where.id);
      if (!box) {
        box = new Outbox(where, bot);
        outboxes.set(where.id, box);
      }
      return box;
    },
    async close(): Promise<void> {
      await adapter.stop();
      await desk.router.idle();
      desk.router.stop();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type DeskWorld = Awaited<ReturnType<typeof deskWorld>>;
