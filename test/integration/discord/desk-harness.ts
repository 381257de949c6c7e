/**
 * The whole desk on Discord: createDesk over a real SQLite file, the real router and
 * commands, and the real DiscordAdapter logged in to the local REST + gateway peer. Tests
 * speak as customers and engineers through gateway dispatches and assert on the REST
 * calls the peer received and on the store.
 */
import { EventEmitter, once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiscordAdapter } from '../../../adapters/discord/discord.adapter';
import { type DiscordConfig, discordConfigSchema } from '../../../adapters/discord/discord.config';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import type { AdapterHost, InboundMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import type { Ticket } from '../../../src/core/model';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { DiscordPeer, type RestCall, snowflake, userJson } from '../../fakes/discord-peer';
import { MemoryLogger } from './harness';

export const APP = '110000000000000001';
export const BOT = '110000000000000002';
export const GUILD = '210000000000000001';
export const ACME = '310000000000000001';
export const GLOBEX = '310000000000000002';
export const STAFF = '310000000000000003';
export const ROLE = '510000000000000001';

/** The people on the server: two customers' engineers, a support engineer and a stranger. */
export const PEOPLE = {
  alice: userJson('410000000000000001', 'alice'),
  erin: userJson('410000000000000002', 'erin'),
  bob: userJson('410000000000000003', 'bob'),
  mallory: userJson('410000000000000004', 'mallory'),
  bot: userJson(BOT, 'GroupDesk', true),
} as const;
export type Who = keyof typeof PEOPLE;

const CHANNEL_NAMES: Record<string, string> = {
  [ACME]: 'acme-support',
  [GLOBEX]: 'globex-support',
  [STAFF]: 'staff',
};

/** Monday 2026-11-23 10:00 in Asia/Shanghai, as in the console e2e tests. */
const START = Date.parse('2026-11-23T02:00:00Z');

/** Counts what the adapter hands to the desk, so a test can wait for a message to be taken in. */
class WatchedHost extends EventEmitter implements AdapterHost {
  /** Ids of everything handed over, in order, repeats included. */
  readonly handed: string[] = [];
  constructor(private readonly inner: AdapterHost) {
    super();
  }
  handle(message: InboundMessage): Promise<void> {
    this.handed.push(message.messageId);
    this.emit('handed', message.messageId);
    return this.inner.handle(message);
  }
  commands: AdapterHost['commands'] = () => this.inner.commands();
  suggestTickets: AdapterHost['suggestTickets'] = (query) => this.inner.suggestTickets(query);
  reportHealth: AdapterHost['reportHealth'] = (event) => this.inner.reportHealth(event);
  membershipChanged: AdapterHost['membershipChanged'] = (change) => this.inner.membershipChanged(change);
}

const member = (name: string) => ({
  roles: [],
  nick: name,
  joined_at: new Date(0).toISOString(),
  deaf: false,
  mute: false,
  flags: 0,
});

const displayName = (who: Who) => PEOPLE[who].username.replace(/^./, (c) => c.toUpperCase());

export interface Said {
  readonly id: string;
  readonly channelId: string;
}

export class DiscordDesk {
  readonly logger = new MemoryLogger();
  adapter: DiscordAdapter;
  private host: WatchedHost;

  private constructor(
    readonly peer: DiscordPeer,
    readonly desk: Desk,
    readonly store: SqliteStore,
    readonly dir: string,
    private readonly config: DiscordConfig,
  ) {
    this.host = new WatchedHost(desk.host);
    this.adapter = new DiscordAdapter(config, { logger: this.logger });
  }

  static async start(): Promise<DiscordDesk> {
    const peer = await DiscordPeer.start({
      botId: BOT,
      applicationId: APP,
      guilds: [
        {
          id: GUILD,
          channels: Object.entries(CHANNEL_NAMES).map(([id, name]) => ({ id, name })),
        },
      ],
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-discord-'));
    const store = openSqliteStore(sqliteFileIn(dir));
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
    });
    const desk = createDesk({ config, store, clock: new ManualClock(START), logger: silentLogger });
    const { directory } = desk.services;
    await directory.addCustomer('acme', 'ACME Corp');
    await directory.addSubscription('acme', 'basic', 12);
    await directory.addCustomer('globex', 'Globex');
    await directory.addSubscription('globex', 'enterprise', 12);
    await directory.bindGroup('discord', ACME, 'acme', CHANNEL_NAMES[ACME]);
    await directory.bindGroup('discord', GLOBEX, 'globex', CHANNEL_NAMES[GLOBEX]);
    await directory.bindGroup('discord', STAFF, 'staff', CHANNEL_NAMES[STAFF]);
    await directory.addSubscriber('discord', PEOPLE.alice.id, 'acme', 'Alice');
    await directory.addSubscriber('discord', PEOPLE.erin.id, 'globex', 'Erin');
    await directory.setStaff('discord', PEOPLE.bob.id, 'engineer', 'Bob');
    const discord = discordConfigSchema.parse({
      DISCORD_TOKEN: 'test-token',
      DISCORD_APPLICATION_ID: APP,
      DISCORD_GUILD_IDS: GUILD,
      DISCORD_API_URL: peer.apiUrl,
    });
    const rig = new DiscordDesk(peer, desk, store, dir, discord);
    try {
      desk.addAdapter(rig.adapter);
      await rig.adapter.start(rig.host);
    } catch (error) {
      await rig.close();
      throw error;
    }
    return rig;
  }

  /** Stops the adapter and starts a fresh one (a process restart: nothing remembered in memory). */
  async restartAdapter(): Promise<void> {
    await this.adapter.stop();
    this.host = new WatchedHost(this.desk.host);
    this.adapter = new DiscordAdapter(this.config, { logger: this.logger });
    this.desk.addAdapter(this.adapter);
    await this.adapter.start(this.host);
  }

  /** A MESSAGE_CREATE from `who` in a channel or thread; `<@BOT>` in the text mentions the bot. */
  say(who: Who, channelId: string, content: string, options: { id?: string } = {}): Said {
    const payload = this.messagePayload(who, channelId, content, options.id ?? snowflake());
    this.peer.dispatch('MESSAGE_CREATE', payload);
    return { id: payload.id, channelId };
  }

  messagePayload(who: Who, channelId: string, content: string, id: string) {
    const mentioned = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1]);
    const users = Object.values(PEOPLE).filter((u) => mentioned.includes(u.id));
    return {
      id,
      type: 0,
      channel_id: channelId,
      // Discord says what kind of channel it is: discord.js needs it for channels it has not cached.
      channel_type: this.peer.parentOf(channelId) ? 11 : 0,
      guild_id: GUILD,
      member: member(displayName(who)),
      author: PEOPLE[who],
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: users.map((u) => ({ ...u, member: member(u.username) })),
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]),
      attachments: [],
      embeds: [],
      pinned: false,
    };
  }

  /** An INTERACTION_CREATE (2 = slash command, 3 = button, 4 = autocomplete) from `who`. */
  interact(who: Who, channelId: string, type: 2 | 3 | 4, data: Record<string, unknown>) {
    const id = snowflake();
    const parent = this.peer.parentOf(channelId);
    const channel = parent
      ? { id: channelId, type: 11, guild_id: GUILD, parent_id: parent, name: 'ticket' }
      : { id: channelId, type: 0, guild_id: GUILD, name: CHANNEL_NAMES[channelId] ?? 'other' };
    const payload = {
      id,
      application_id: APP,
      type,
      token: `token-${id}`,
      version: 1,
      guild_id: GUILD,
      channel_id: channelId,
      channel,
      member: { ...member(displayName(who)), user: PEOPLE[who], permissions: '0' },
      data,
      ...(type === 3 && { message: this.messagePayload('bot', channelId, 'ticket card', snowflake()) }),
      locale: 'en-US',
      guild_locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: {},
      context: 0,
    };
    this.peer.dispatch('INTERACTION_CREATE', payload);
    return { id, token: payload.token, messageId: `interaction:${id}` };
  }

  /** `/name option:value …` as Discord sends a chat input command. */
  slash(who: Who, channelId: string, name: string, options: Record<string, string | number> = {}) {
    const types: Record<string, number> = { ticket: 4 };
    return this.interact(who, channelId, 2, {
      id: snowflake(),
      name,
      type: 1,
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: types[n] ?? 3, value })),
    });
  }

  /** Resolves once the message or interaction was handed to the desk and everything it caused is done. */
  async settled(messageId: string, ms = 5000): Promise<void> {
    if (!this.host.handed.includes(messageId)) {
      const signal = AbortSignal.timeout(ms);
      for (;;) {
        const [id] = (await once(this.host, 'handed', { signal })) as [string];
        if (id === messageId) break;
      }
    }
    await this.desk.router.idle();
  }

  /** How often the adapter handed this message or interaction to the desk. */
  timesHanded(messageId: string): number {
    return this.host.handed.filter((id) => id === messageId).length;
  }

  /** Messages posted to a channel or thread (bodies), in order. */
  posts(channelId: string): Array<Record<string, unknown>> {
    return this.peer.calls
      .filter((c) => c.method === 'POST' && c.path === `/channels/${channelId}/messages`)
      .map((c) => c.body ?? {});
  }

  waitForPost(channelId: string, match: (content: string) => boolean): Promise<RestCall> {
    return this.peer.waitForCall(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${channelId}/messages` &&
        match(String(c.body?.content ?? '')),
    );
  }

  ticket(number: number): Promise<Ticket | undefined> {
    return this.store.getTicket(number);
  }

  async close(): Promise<void> {
    await this.adapter.stop();
    await this.desk.router.idle();
    await this.peer.close();
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
