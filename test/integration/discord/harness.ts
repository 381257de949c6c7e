import { DiscordAdapter } from '../../../adapters/discord/discord.adapter';
import { type DiscordConfig, discordConfigSchema } from '../../../adapters/discord/discord.config';
import type { CommandInfo, InboundMessage, TicketSuggestion } from '../../../src/core/chat';
import type { Logger } from '../../../src/core/logger';
import { DiscordPeer, snowflake, userJson } from '../../fakes/discord-peer';
import { RecordingHost } from '../../fakes/recording-host';

export const APP = '100000000000000001';
export const BOT = '100000000000000002';
export const GUILD = '200000000000000001';
export const CHANNEL = '300000000000000001';
export const THREAD = '300000000000000002';
export const ALICE = '400000000000000001';
export const BOB = '400000000000000002';

/**
 * A logger that keeps what it is told, so tests can assert that errors were logged. Fields
 * are kept as a JSON-lines logger prints them: an Error object passed as fields shows as {}.
 */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string, fields?: Record<string, unknown>): void {
    this.push('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.push('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.push('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.push('error', message, fields);
  }
  private push(level: string, message: string, fields: Record<string, unknown> | undefined): void {
    this.lines.push(`${level} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
  }
}

export interface Harness {
  readonly peer: DiscordPeer;
  readonly adapter: DiscordAdapter;
  readonly host: RecordingHost;
  readonly logger: MemoryLogger;
}

const running: Harness[] = [];

/** Starts a peer and an adapter logged in to it; `closeAll()` in afterEach undoes it. */
export async function startHarness(
  options: {
    onMessage?: (message: InboundMessage, adapter: DiscordAdapter) => Promise<void>;
    commands?: readonly CommandInfo[];
    suggestions?: readonly TicketSuggestion[];
    guildIds?: string;
    heartbeatMs?: number;
    host?: (onMessage: (m: InboundMessage) => Promise<void>) => RecordingHost;
  } = {},
): Promise<Harness> {
  const peer = await DiscordPeer.start({
    ...(options.heartbeatMs !== undefined && { heartbeatMs: options.heartbeatMs }),
    botId: BOT,
    applicationId: APP,
    guilds: [
      {
        id: GUILD,
        channels: [{ id: CHANNEL, name: 'acme-support' }],
        threads: [{ id: THREAD, name: '#12 build fails', parentId: CHANNEL }],
      },
    ],
  });
  const config: DiscordConfig = discordConfigSchema.parse({
    DISCORD_TOKEN: 'test-token',
    DISCORD_APPLICATION_ID: APP,
    DISCORD_GUILD_IDS: options.guildIds ?? GUILD,
    DISCORD_API_URL: peer.apiUrl,
  });
  const logger = new MemoryLogger();
  const adapter = new DiscordAdapter(config, { logger });
  const onMessage = async (m: InboundMessage) => options.onMessage?.(m, adapter);
  const host =
    options.host?.(onMessage) ??
    new RecordingHost({
      onMessage,
      ...(options.commands && { commands: options.commands }),
      ...(options.suggestions && { suggestions: options.suggestions }),
    });
  const harness = { peer, adapter, host, logger };
  running.push(harness);
  await adapter.start(host);
  return harness;
}

export async function closeAll(): Promise<void> {
  for (const { adapter, peer } of running.splice(0)) {
    await adapter.stop();
    await peer.close();
  }
}

const member = (nick: string | null = null) => ({
  roles: [],
  nick,
  joined_at: new Date(0).toISOString(),
  deaf: false,
  mute: false,
  flags: 0,
});

/**
 * A MESSAGE_CREATE payload from `author` in the support channel (or `channelId`). Like
 * Discord's, it carries `channel_type`, which lets discord.js build uncached DM channels.
 */
export function messagePayload(options: {
  id?: string;
  content: string;
  author?: ReturnType<typeof userJson>;
  channelId?: string;
  dm?: boolean;
  mentions?: ReadonlyArray<ReturnType<typeof userJson>>;
  replyTo?: string;
}) {
  const guild = options.dm ? {} : { guild_id: GUILD, member: member('Alice A.') };
  const channelId = options.channelId ?? CHANNEL;
  return {
    id: options.id ?? snowflake(),
    type: options.replyTo ? 19 : 0,
    channel_id: channelId,
    channel_type: options.dm ? 1 : channelId === THREAD ? 11 : 0,
    ...guild,
    author: options.author ?? userJson(ALICE, 'alice'),
    content: options.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (options.mentions ?? []).map((u) => ({ ...u, ...(options.dm ? {} : { member: member() }) })),
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    ...(options.replyTo && { message_reference: { message_id: options.replyTo, channel_id: CHANNEL } }),
  };
}

/** An INTERACTION_CREATE payload from Alice in the support channel. */
export function interactionPayload(type: 2 | 3 | 4, data: Record<string, unknown>, id = snowflake()) {
  return {
    id,
    application_id: APP,
    type,
    token: `token-${id}`,
    version: 1,
    guild_id: GUILD,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0, guild_id: GUILD, name: 'acme-support' },
    member: { ...member('Alice A.'), user: userJson(ALICE, 'alice'), permissions: '0' },
    data,
    ...(type === 3 && {
      message: messagePayload({ content: 'ticket card', author: userJson(BOT, 'GroupDesk', true) }),
    }),
    locale: 'en-US',
    guild_locale: 'en-US',
    app_permissions: '0',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
  };
}

export { snowflake, userJson };
