/**
 * Playground lines ↔ normalised messages. `@bot` addresses the bot (and is removed from
 * the text); any other `@name` is a mention of that person; `:in dm` makes the speaker
 * talk to the bot directly.
 */
import type { InboundMessage, OutboundMessage } from '../../src/core/chat';

export const DIRECT = 'dm';

/** The display name a platform would report for a playground name (the name itself by default). */
export type DisplayName = (name: string) => string;

export function toInbound(
  line: string,
  speaker: string,
  group: string,
  messageId: string,
  displayName: DisplayName = (name) => name,
): InboundMessage {
  const addressed = /(^|\s)@bot\b/i.test(line) || group === DIRECT;
  const text = line
    .replace(/(^|\s)@bot\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const mentions = [...text.matchAll(/(?:^|\s)@([\p{L}\p{N}_.-]+)/gu)].map((m) => ({
    id: m[1]!,
    name: displayName(m[1]!),
  }));
  return {
    platform: 'console',
    chatId: group === DIRECT ? speaker : group,
    chatKind: group === DIRECT ? 'direct' : 'group',
    messageId,
    sender: { id: speaker, name: displayName(speaker) },
    text,
    mentions,
    addressed,
  };
}

/** `[acme] groupdesk: text`, continuation lines indented; direct and private replies as `[dm:NAME]`. */
export function render(message: OutboundMessage): string {
  const where =
    message.chatKind === 'direct'
      ? `dm:${message.chatId}`
      : message.visibleTo
        ? `dm:${message.visibleTo}`
        : message.chatId;
  const mentions = (message.mentions ?? []).map((m) => `@${m.name ?? m.id} `).join('');
  const buttons = (message.buttons ?? []).map((b) => `[${b.label}: ${b.command}]`).join(' ');
  const body = `${mentions}${message.text}${buttons ? `\n${buttons}` : ''}`;
  return `[${where}] groupdesk: ${body.split('\n').join('\n  ')}\n`;
}
