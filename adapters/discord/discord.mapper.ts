import {
  ApplicationCommandOptionType,
  type BaseInteraction,
  type ButtonInteraction,
  type Channel,
  type ChatInputCommandInteraction,
  type Client,
  type GuildMember,
  type Message,
  type User,
} from 'discord.js';
import type { ChatUser, InboundMessage } from '../../src/core/chat';
import type { SlashCommand } from './discord.commands';

/** Prefix that marks an interaction id used as an `InboundMessage.messageId`. */
export const INTERACTION_PREFIX = 'interaction:';

/** Who received the event: the bot's own user id and the `account` to stamp on messages. */
export interface MapperContext {
  readonly botId: string;
  readonly account: string;
}

/** Where a message lives: a thread is reported as its parent channel plus the thread id. */
export interface ChatLocation {
  readonly chatId: string;
  readonly chatKind: 'group' | 'direct';
  readonly threadId?: string;
  readonly chatTitle?: string;
}

/** The name people see: server nickname, else global display name, else username. */
export function nameOf(user: User, member?: GuildMember | null): string {
  return member?.displayName ?? user.displayName;
}

function toChatUser(user: User, member?: GuildMember | null): ChatUser {
  return { id: user.id, name: nameOf(user, member) };
}

/** Locates a channel; `channelId` is used when the channel is not cached. */
export function locate(channel: Channel | null, channelId: string, inGuild: boolean): ChatLocation {
  const chatKind = inGuild ? 'group' : 'direct';
  if (channel?.isThread()) {
    const title = channel.parent?.name;
    return {
      chatId: channel.parentId ?? channel.id,
      chatKind,
      threadId: channel.id,
      ...(title !== undefined && { chatTitle: title }),
    };
  }
  const title = channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
  return { chatId: channelId, chatKind, ...(title !== undefined && { chatTitle: title }) };
}

/**
 * Replaces Discord's mention syntax with readable text: users `<@id>` → `@name`, roles
 * `<@&id>` → `@role`, channels `<#id>` → `#channel`, custom emoji `<:name:id>` → `:name:`.
 */
export function cleanMentions(text: string, client: Client, names: ReadonlyMap<string, string>): string {
  return text
    .replace(
      /<@!?(\d+)>/g,
      (_, id: string) => `@${names.get(id) ?? client.users.cache.get(id)?.displayName ?? id}`,
    )
    .replace(/<@&(\d+)>/g, (_, id: string) => {
      const role = client.guilds.cache.find((g) => g.roles.cache.has(id))?.roles.cache.get(id);
      return `@${role?.name ?? id}`;
    })
    .replace(/<#(\d+)>/g, (_, id: string) => {
      const channel = client.channels.cache.get(id);
      return `#${channel && 'name' in channel && channel.name ? channel.name : id}`;
    })
    .replace(/<a?:(\w+):\d+>/g, ':$1:');
}

/**
 * Normalises a channel, thread or DM message. Returns undefined for what GroupDesk must
 * not see: bots (itself included), system messages, and messages with nothing to read.
 */
export function messageToInbound(message: Message, ctx: MapperContext): InboundMessage | undefined {
  if (message.author.bot || message.author.id === ctx.botId || message.system) return undefined;
  const names = new Map<string, string>();
  const mentions: ChatUser[] = [];
  for (const user of message.mentions.users.values()) {
    const member = message.mentions.members?.get(user.id) ?? null;
    names.set(user.id, nameOf(user, member));
    if (user.id !== ctx.botId) mentions.push(toChatUser(user, member));
  }
  // A leading mention of the bot only says who is addressed (`addressed` carries that):
  // `@GroupDesk /status 12` is the command `/status 12`, `@GroupDesk build fails` the request.
  const leading = new RegExp(`^\\s*<@!?${ctx.botId}>[\\s,:]*`);
  const calledByName = ctx.botId !== '' && leading.test(message.content);
  const content = calledByName ? message.content.replace(leading, '') : message.content;
  // Attachments (screenshots, logs) have no field of their own: their URLs follow the text.
  const urls = [...message.attachments.values()].map((a) => a.url);
  const text = [cleanMentions(content, message.client, names), ...urls]
    .filter((t) => t.length > 0)
    .join('\n');
  // A bare `@GroupDesk` still reaches the desk, which asks what the question is.
  if (text.length === 0 && !calledByName) return undefined;
  const where = locate(message.channel, message.channelId, message.inGuild());
  const quoted = message.reference?.messageId;
  return {
    platform: 'discord',
    account: ctx.account,
    ...where,
    messageId: message.id,
    sender: toChatUser(message.author, message.member),
    text,
    mentions,
    // A DM is addressed to the bot by nature.
    addressed: where.chatKind === 'direct' || calledByName || message.mentions.users.has(ctx.botId),
    ...(quoted !== undefined && { quotedMessageId: quoted }),
    sentAt: message.createdTimestamp,
  };
}

function interactionBase(
  interaction: BaseInteraction,
  ctx: MapperContext,
  text: string,
  mentions: ChatUser[],
): InboundMessage {
  const member = interaction.member && 'displayName' in interaction.member ? interaction.member : null;
  // Commands and buttons always come from a channel; the adapter drops those without one.
  const where = locate(interaction.channel, interaction.channelId ?? '', interaction.inGuild());
  return {
    platform: 'discord',
    account: ctx.account,
    ...where,
    messageId: `${INTERACTION_PREFIX}${interaction.id}`,
    sender: toChatUser(interaction.user, member),
    text,
    mentions,
    addressed: true, // an interaction is always meant for the bot
    interaction: true, // its caller can be answered privately (ephemeral)
    sentAt: interaction.createdTimestamp,
  };
}

/**
 * Rebuilds the text command a slash command stands for, parameters in GroupDesk order:
 * `/reply #12 @Ann thanks`. Users picked in a user option become `@name` and are listed
 * in `mentions`, exactly as a typed mention would be. A command this process did not
 * register (left over from an older deployment) keeps Discord's option order.
 */
export function commandToInbound(
  interaction: ChatInputCommandInteraction,
  slash: SlashCommand | undefined,
  ctx: MapperContext,
): InboundMessage {
  const words = [`/${slash?.info.name ?? interaction.commandName}`];
  const mentions: ChatUser[] = [];
  const optionNames = slash ? [...slash.params.keys()] : interaction.options.data.map((o) => o.name);
  for (const optionName of optionNames) {
    const option = interaction.options.get(optionName);
    if (!option) continue;
    if (option.type === ApplicationCommandOptionType.User && option.user) {
      const member = option.member && 'displayName' in option.member ? option.member : null;
      const user = toChatUser(option.user, member);
      if (user.id !== ctx.botId) mentions.push(user);
      words.push(`@${user.name}`);
    } else if (slash?.params.get(optionName)?.kind === 'ticket') {
      words.push(`#${String(option.value)}`);
    } else if (option.value !== undefined && option.value !== null) {
      words.push(cleanMentions(String(option.value), interaction.client, new Map()));
    }
  }
  return interactionBase(interaction, ctx, words.join(' '), mentions);
}

/** A button press is the command in its custom_id, said by whoever pressed it. */
export function buttonToInbound(interaction: ButtonInteraction, ctx: MapperContext): InboundMessage {
  return interactionBase(interaction, ctx, interaction.customId, []);
}
