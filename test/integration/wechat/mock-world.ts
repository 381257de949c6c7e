import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { WechatAdapter } from '../../../adapters/wechat/wechat.adapter';
import type { WechatConfig } from '../../../adapters/wechat/wechat.config';
import type { HealthEvent, InboundMessage } from '../../../src/core/chat';
import type { Logger } from '../../../src/core/logger';
import { RecordingHost } from '../../fakes/recording-host';

/** Resolves when `predicate` holds after one of `subscribe`'s notifications; rejects after `ms`. */
export class Waiters {
  private list: Array<{ check: () => boolean; resolve: () => void }> = [];

  wait(check: () => boolean, what: string, ms = 5000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      this.list.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  notify(): void {
    this.list = this.list.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }
}

/** A RecordingHost whose health and membership events can be awaited. */
export class EventedHost extends RecordingHost {
  private readonly events = new Waiters();

  override reportHealth(event: HealthEvent): void {
    super.reportHealth(event);
    this.events.notify();
  }

  override async membershipChanged(change: Parameters<RecordingHost['membershipChanged']>[0]): Promise<void> {
    await super.membershipChanged(change);
    this.events.notify();
  }

  waitForHealth(state: HealthEvent['state']): Promise<void> {
    return this.events.wait(() => this.health.some((h) => h.state === state), `health ${state}`);
  }

  waitForMembership(count: number): Promise<void> {
    return this.events.wait(() => this.membership.length >= count, `${count} membership changes`);
  }
}

/** Keeps log lines so that tests can assert on drops; awaitable like the host. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; message: string; meta: Readonly<Record<string, unknown>> }> = [];
  private readonly waiters = new Waiters();

  debug = this.record('debug');
  info = this.record('info');
  warn = this.record('warn');
  error = this.record('error');

  waitFor(message: string): Promise<void> {
    return this.waiters.wait(() => this.lines.some((l) => l.message === message), `log "${message}"`);
  }

  private record(level: string) {
    return (message: string, meta: Readonly<Record<string, unknown>> = {}) => {
      this.lines.push({ level, message, meta });
      this.waiters.notify();
    };
  }
}

export const testConfig: WechatConfig = {
  puppet: 'wechaty-puppet-mock',
  puppetOptions: {},
  name: 'test-bot',
  syncMembers: false,
  sendIntervalMs: 0,
  globalSendIntervalMs: 0,
  maxText: 1800,
};

type ContactMock = ReturnType<mock.Mocker['createContact']>;
type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** Texts the bot said into a room or to a contact, as the mock records them, with arrival times. */
export class Outbox {
  readonly texts: string[] = [];
  readonly times: number[] = [];
  private readonly waiters = new Waiters();

  constructor(where: RoomMock | ContactMock, bot: ContactMock) {
    where.on('message', (m) => {
      if (m.talker().id !== bot.id) return;
      this.texts.push(m.text() ?? '');
      this.times.push(performance.now());
      this.waiters.notify();
    });
  }

  waitFor(count: number, ms = 5000): Promise<void> {
    return this.waiters.wait(() => this.texts.length >= count, `${count} bot messages`, ms);
  }
}

/**
 * Real Wechaty over wechaty-puppet-mock: a logged-in bot, two customers (Alice, Bob) and
 * one room with all three. `stop()` stops the adapter and removes the data dir.
 */
export async function mockWorld(config: Partial<WechatConfig> = {}, login = true) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'groupdesk-wechat-'));
  const host = new EventedHost();
  const logger = new RecordingLogger();
  const qr: string[] = [];
  const adapter = new WechatAdapter(
    { ...testConfig, ...config },
    { dataDir, puppet, logger, qrOutput: { write: (t: string) => qr.push(t) } },
  );
  await adapter.start(host);
  const botUser = mocker.createContact({ name: 'DeskBot' });
  const alice = mocker.createContact({ name: 'Alice Wang' });
  const bob = mocker.createContact({ name: 'Bob Li' });
  const room = mocker.createRoom({
    topic: 'Acme support',
    memberIdList: [botUser.id, alice.id, bob.id],
  });
  if (login) {
    mocker.login(botUser);
    await host.waitForHealth('up');
  }
  return {
    mocker,
    puppet,
    adapter,
    host,
    logger,
    qr,
    dataDir,
    botUser,
    alice,
    bob,
    room,
    /** The first message the host received, failing clearly when none came. */
    first(): InboundMessage {
      const m = host.received[0];
      if (!m) throw new Error('no message received');
      return m;
    },
    async stop() {
      await adapter.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type MockWorld = Awaited<ReturnType<typeof mockWorld>>;
