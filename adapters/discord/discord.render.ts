import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
} from 'discord.js';
import type { OutboundCard, OutboundMessage } from '../../src/core/chat';
import { truncateUnits } from '../../src/core/graphemes';
import { splitText } from '../text';

/** Discord's per-message content limit. https://discord.com/developers/docs/resources/message#create-message */
export const DISCORD_MAX_CHARS = 2000;
const MAX_CUSTOM_ID = 100;
const MAX_LABEL = 80;
const BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
const MAX_ALLOWED_USERS = 100;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** One Discord message of a rendered `OutboundMessage`, in platform-neutral casing. */
/** An embed within Discord's limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
export type RenderedEmbed = APIEmbed;

/** Customer text inside an embed is escaped like message text and cut to the field's limit. */
export function toEmbed(card: OutboundCard): RenderedEmbed {
  const cut = (text: string, max: number) => {
    const escaped = escapeText(text);
    return truncateUnits(escaped, max);
  };
  return {
    title: cut(card.title, 256),
    ...(card.description ? { description: cut(card.description, 2048) } : {}),
    fields: card.fields
      .slice(0, 25)
      .map((f) => ({ name: cut(f.name, 256), value: cut(f.value || '-', 1024), inline: true })),
    ...(card.footer ? { footer: { text: cut(card.footer, 1024) } } : {}),
  };
}

export interface RenderedPart {
  readonly embeds?: readonly RenderedEmbed[];
  readonly content: string;
  /** The only users this message may ping (`allowed_mentions.users`). */
  readonly mentionIds: readonly string[];
  /** Buttons, on the last part only. */
  readonly components?: readonly ButtonRow[];
}

/**
 * Makes plain text display literally: Markdown is escaped (headings, lists and masked
 * links included, so a customer cannot fake a link), block quotes and `<@id>`/`<#id>`/
 * `<t:…>` syntax are escaped, and `@everyone`/`@here` get a zero-width space, as
 * discord.js's own `cleanContent` does. `allowed_mentions` stops pings anyway; this also
 * stops them from looking like pings.
 */
export function escapeText(text: string): string {
  return escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(/^(\s*)>/gm, '$1\\>')
    .replace(/<(?=[@#:/]|a:|t:|id:)/g, '\\<')
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** `allowed_mentions` for REST bodies: nothing is parsed from the text, only explicit users ping. */
export function restAllowedMentions(ids: readonly string[]) {
  return { parse: [] as never[], users: [...ids], replied_user: false };
}

/** The same for discord.js message options (interaction replies). */
export function clientAllowedMentions(ids: readonly string[]) {
  return { parse: [] as never[], users: [...ids], repliedUser: false };
}

/**
 * Escapes and splits so that every part stays within `max` even after escaping, without
 * ever cutting between a backslash and the character it escapes: plain text is split
 * first and a part that grows past the limit is split again with a smaller budget.
 */
function escapeAndSplit(plain: string, budget: number, max: number): string[] {
  const parts: string[] = [];
  for (const chunk of splitText(plain, budget)) {
    const escaped = escapeText(chunk);
    if (escaped.length <= max || chunk.length <= 2) {
      parts.push(escaped);
      continue;
    }
    const smaller = Math.max(2, Math.floor((budget * max) / escaped.length) - 1);
    parts.push(...escapeAndSplit(chunk, Math.min(smaller, chunk.length - 1), max));
  }
  return parts;
}

function toButtonRows(message: Pick<OutboundMessage, 'buttons'>): { rows: ButtonRow[]; asText: string[] } {
  const seen = new Set<string>();
  const buttons: APIButtonComponentWithCustomId[] = [];
  const asText: string[] = [];
  for (const button of message.buttons ?? []) {
    if (seen.has(button.command)) continue; // custom_ids must be unique within a message
    seen.add(button.command);
    if (button.command.length > MAX_CUSTOM_ID || buttons.length >= BUTTONS_PER_ROW * MAX_ROWS) {
      asText.push(button.command); // cannot be a button: offer the text command instead
      continue;
    }
    const label = button.label.trim() || button.command;
    buttons.push({
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label: truncateUnits(label, MAX_LABEL),
      custom_id: button.command,
    });
  }
  const rows: ButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + BUTTONS_PER_ROW) });
  }
  return { rows, asText };
}

/**
 * Renders an outbound message into Discord messages: mentions as `<@id>` in front of the
 * first part, escaped text split under `max` characters, buttons on the last part.
 */
export function renderOutbound(
  message: Pick<OutboundMessage, 'text' | 'mentions' | 'buttons' | 'card'>,
  max = DISCORD_MAX_CHARS,
): RenderedPart[] {
  const mentionIds = [...new Set((message.mentions ?? []).map((m) => m.id))].slice(0, MAX_ALLOWED_USERS);
  const prefix = mentionIds.map((id) => `<@${id}>`).join(' ');
  const { rows, asText } = toButtonRows(message);
  if (message.card && asText.length === 0) {
    // A card says everything the text says: one message with the embed and the buttons.
    return [
      {
        content: prefix,
        mentionIds,
        embeds: [toEmbed(message.card)],
        ...(rows.length > 0 && { components: rows }),
      },
    ];
  }
  const plain = [message.text, ...asText].filter((t) => t.length > 0).join('\n');
  const budget = Math.max(2, max - prefix.length - 1);
  const texts = plain.length > 0 ? escapeAndSplit(plain, budget, budget) : [''];
  return texts.map((text, i) => {
    const content = i === 0 && prefix ? (text ? `${prefix} ${text}` : prefix) : text;
    const last = i === texts.length - 1;
    return last && rows.length > 0 ? { content, mentionIds, components: rows } : { content, mentionIds };
  });
}
