import {
  type AutocompleteInteraction,
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  Options,
  Partials,
  Routes,
} from 'discord.js';
import type { AdapterHost, HealthEvent, OutboundMessage, SentMessage } from '../../src/core/chat';
import { PlatformRefusedError } from '../../src/core/errors';
import { truncateUnits } from '../../src/core/graphemes';
import type { ChatAdapter } from '../adapter';
import { RecentCache } from '../kit/cache';
import { consoleLogger, errorFields, type Logger } from '../kit/logger';
import { buildSlashCommands, type SlashCommand } from './discord.commands';
import type { DiscordConfig } from './discord.config';
import { containMalformedPackets, reportGatewayHealth } from './discord.gateway';
import { InteractionReplies, type RepliableInteraction } from './discord.interactions';
import {
  buttonToInbound,
  commandToInbound,
  INTERACTION_PREFIX,
  locate,
  type MapperContext,
  messageToInbound,
} from './discord.mapper';
import { DiscordOutbox, refusalOf } from './discord.outbox';
import { renderOutbound } from './discord.render';

export interface DiscordAdapterOptions {
  /** Where the adapter writes its log lines (English, for operators). */
  readonly logger?: Logger;
  /** How many message and interaction ids to remember for de-duplication. */
  readonly dedupeCapacity?: number;
}

const MAX_AUTOCOMPLETE = 25;

/**
 * Discord through discord.js 14: channel, thread and DM messages, slash commands with
 * ticket autocomplete, buttons, and tickets as threads on the customer's message.
 * https://discord.com/developers/docs/events/gateway
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  private readonly logger: Logger;
  private readonly seen: RecentCache<true>;
  private readonly interactions = new Map<string, InteractionReplies>();
  private slash = new Map<string, SlashCommand>();
  private client: Client | undefined;
  private outbox: DiscordOutbox | undefined;
  private host: AdapterHost | undefined;
  private stopping = false;
  private warnedNoContent = false;

  constructor(
    private readonly config: DiscordConfig,
    options: DiscordAdapterOptions = {},
  ) {
    this.logger = options.logger ?? consoleLogger('discord');
    this.seen = new RecentCache({ max: options.dedupeCapacity ?? 10_000 });
  }

  async start(host: AdapterHost): Promise<void> {
    if (this.client) throw new Error('discord: adapter already started');
    this.host = host;
    this.stopping = false;
    const client = new Client({
      // MessageContent is privileged: without it guild messages that do not mention the bot arrive empty.
      intents: [
        GatewayIntentBits.Guilds,
        GatewayIntentBits.GuildMessages,
        GatewayIntentBits.MessageContent,
        GatewayIntentBits.DirectMessages,
      ],
      // DM channels are never in the cache; without this partial DM messages are dropped.
      partials: [Partials.Channel],
      // Nothing reads cached messages; de-duplication uses our own bounded LRU across channels.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      ...(this.config.DISCORD_API_URL && { rest: { api: this.config.DISCORD_API_URL } }),
    });
    this.client = client;
    this.outbox = new DiscordOutbox(client);
    this.wire(client);
    try {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(this.config.DISCORD_TOKEN);
      await ready;
      const readyAppId = client.application?.id;
      if (readyAppId && readyAppId !== this.config.DISCORD_APPLICATION_ID) {
        this.logger.warn(`discord: token belongs to application ${readyAppId}, not DISCORD_APPLICATION_ID`);
      }
      await this.registerCommands(client, host);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    const outbox = this.outbox;
    if (!outbox) throw new Error('discord: adapter not started');
    const parts = renderOutbound(message);
    if (parts.length === 1 && parts[0]?.content === '' && !parts[0].components && !parts[0].embeds) {
      throw new Error('discord: refusing to send an empty message');
    }
    const replyTo = message.replyToMessageId;
    if (replyTo?.startsWith(INTERACTION_PREFIX)) {
      const replies = this.interactions.get(replyTo.slice(INTERACTION_PREFIX.length));
      // Synchronous up to here, so the reply is queued before the host's handle() resolves.
      if (replies && message.visibleTo === replies.userId) return replies.send(parts);
      const { replyToMessageId: _interaction, ...rest } = message;
      return message.visibleTo ? outbox.direct(message.visibleTo, parts) : outbox.post(rest, parts);
    }
    // Only interactions can be ephemeral: anything else private goes by direct message.
    const sending = message.visibleTo ? outbox.direct(message.visibleTo, parts) : outbox.post(message, parts);
    return sending.catch((error: unknown) => {
      const refused = refusalOf(error);
      throw refused === undefined ? error : new PlatformRefusedError(`discord: ${refused}`, { cause: error });
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const client = this.client;
    this.client = undefined;
    this.outbox?.stop();
    this.outbox = undefined;
    this.interactions.clear();
    await client?.destroy();
  }

  private context(client: Client): MapperContext {
    return { botId: client.user?.id ?? '', account: this.config.DISCORD_APPLICATION_ID };
  }

  private wire(client: Client): void {
    client.on(Events.MessageCreate, (message) => void this.onMessage(client, message));
    client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(client, interaction));
    client.on(Events.Error, (error) => this.logger.error('discord: client error', errorFields(error)));
    reportGatewayHealth(client, (state, detail) => this.health(state, detail));
    if (!containMalformedPackets(client, (m, e) => this.logger.error(m, errorFields(e)))) {
      this.logger.warn('discord: cannot guard against malformed packets with this discord.js version');
    }
  }

  private health(state: HealthEvent['state'], detail: string): void {
    if (this.stopping) return; // our own shutdown is not an outage
    this.logger.info(`discord: ${state}: ${detail}`);
    try {
      this.host?.reportHealth({ platform: 'discord', state, detail });
    } catch (error) {
      this.logger.error('discord: reportHealth failed', errorFields(error));
    }
  }

  private async registerCommands(client: Client, host: AdapterHost): Promise<void> {
    const built = buildSlashCommands(host.commands(), (m) => this.logger.warn(m));
    this.slash = new Map(built.map((s) => [s.json.name, s]));
    const body = built.map((s) => s.json);
    const appId = this.config.DISCORD_APPLICATION_ID;
    const guilds = this.config.DISCORD_GUILD_IDS;
    // PUT replaces the whole set, so renamed or removed commands disappear too.
    const routes =
      guilds.length > 0
        ? guilds.map((g) => Routes.applicationGuildCommands(appId, g))
        : [Routes.applicationCommands(appId)];
    for (const route of routes) {
      try {
        await client.rest.put(route, { body });
      } catch (error) {
        // Text commands keep working; a missing applications.commands scope is the usual cause.
        this.logger.error(`discord: registering slash commands at ${route} failed`, errorFields(error));
        this.health('error', `slash commands not registered at ${route}`);
      }
    }
  }

  private async onMessage(client: Client, message: Message): Promise<void> {
    try {
      if (!this.seen.firstTime(`message:${message.id}`, true)) return;
      await this.learnParent(message);
      const inbound = messageToInbound(message, this.context(client));
      if (!inbound) {
        this.warnIfContentMissing(message);
        return;
      }
      await this.host?.handle(inbound);
    } catch (error) {
      this.logger.error(`discord: handling message ${message.id} failed`, errorFields(error));
    }
  }

  /**
   * A thread discord.js has not cached (archived, or started before this process) arrives
   * without its parent channel, and the parent is what GroupDesk binds: ask Discord for it.
   * The fetch patches the cached channel object the message already points at.
   */
  private async learnParent(message: Message): Promise<void> {
    const channel = message.channel;
    if (message.author.bot || !channel.isThread() || channel.parentId) return;
    try {
      await message.client.channels.fetch(channel.id, { force: true });
    } catch (error) {
      this.logger.warn(
        `discord: could not look up thread ${channel.id}; handled as its own channel`,
        errorFields(error),
      );
    }
  }

  private warnIfContentMissing(message: Message): void {
    if (this.warnedNoContent || message.author.bot || message.system || !message.inGuild()) return;
    if (message.content || message.attachments.size || message.stickers.size || message.embeds.length) return;
    this.warnedNoContent = true;
    this.logger.warn('discord: a message arrived without content; is the Message Content intent enabled?');
  }

  private async onInteraction(client: Client, interaction: Interaction): Promise<void> {
    try {
      if (!this.seen.firstTime(`interaction:${interaction.id}`, true)) return;
      if (interaction.isAutocomplete()) return await this.onAutocomplete(interaction);
      if (!interaction.isChatInputCommand() && !interaction.isButton()) return;
      if (!interaction.channelId) return;
      const replies = await this.defer(interaction);
      if (!replies) return;
      const ctx = this.context(client);
      const inbound = interaction.isButton()
        ? buttonToInbound(interaction, ctx)
        : commandToInbound(interaction, this.slash.get(interaction.commandName), ctx);
      this.interactions.set(interaction.id, replies);
      try {
        await this.host?.handle(inbound);
      } finally {
        await replies
          .finish()
          .catch((error) => this.logger.warn('discord: closing interaction failed', errorFields(error)));
        this.interactions.delete(interaction.id);
      }
    } catch (error) {
      this.logger.error(`discord: handling interaction ${interaction.id} failed`, errorFields(error));
    }
  }

  /** Acknowledges within Discord's 3 s; an interaction that cannot be acknowledged is dropped. */
  private async defer(interaction: RepliableInteraction): Promise<InteractionReplies | undefined> {
    const replies = new InteractionReplies(interaction);
    try {
      await replies.defer();
      return replies;
    } catch (error) {
      this.logger.warn(
        `discord: could not acknowledge interaction ${interaction.id}; dropped`,
        errorFields(error),
      );
      return undefined;
    }
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const focused = interaction.options.getFocused(true);
    const param = this.slash.get(interaction.commandName)?.params.get(focused.name);
    const host = this.host;
    if (param?.kind !== 'ticket' || !host || !interaction.channelId) return interaction.respond([]);
    try {
      const where = locate(interaction.channel, interaction.channelId, interaction.inGuild());
      const suggestions = await host.suggestTickets({
        platform: 'discord',
        chatId: where.chatId,
        userId: interaction.user.id,
        prefix: String(focused.value).replace(/^#/, '').trim(),
      });
      await interaction.respond(
        suggestions.slice(0, MAX_AUTOCOMPLETE).map((s) => ({
          name: truncateUnits(s.label, 100),
          value: s.number,
        })),
      );
    } catch (error) {
      this.logger.warn('discord: ticket autocomplete failed', errorFields(error));
      await interaction.respond([]).catch(() => undefined); // already answered or expired
    }
  }
}
