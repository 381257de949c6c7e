import type { ChatUser } from '../../src/core/chat';

/** Who the bot is, for recognising its own mentions. */
export interface SlackSelf {
  readonly botUserId: string;
  readonly botName?: string;
}

/** Slack text turned into GroupDesk's plain text. */
export interface PlainText {
  readonly text: string;
  /** Users mentioned, the bot excluded, each once, in order of appearance. */
  readonly mentions: ChatUser[];
  /** True when the bot itself is mentioned anywhere. */
  readonly mentionsBot: boolean;
}

const USER_ID = /^[UW][A-Z0-9]+$/;

/**
 * Converts Slack's formatted text (https://docs.slack.dev/messaging/formatting-message-text)
 * into plain text: `<@U1>`/`<@U1|bob>` → `@U1`/`@bob`, `<#C1|general>` → `#general`,
 * `<!here>` → `@here`, `<url|label>` → `label (url)`, and `&amp; &lt; &gt;` unescaped.
 * A leading mention of the bot (`@GroupDesk /status 12`) is dropped: it only says who is
 * addressed, which `addressed` already carries.
 */
export function slackToPlain(raw: string, self: SlackSelf): PlainText {
  const mentions: ChatUser[] = [];
  let mentionsBot = false;
  const leadingBot = new RegExp(`^\\s*<@${escapeRegExp(self.botUserId)}(?:\\|[^>]*)?>[\\s,:]*`);
  const stripped = raw.replace(leadingBot, () => {
    mentionsBot = true;
    return '';
  });
  const convert = (inner: string): string => {
    const [target = '', label] = splitLabel(inner);
    if (target.startsWith('@')) {
      const id = target.slice(1);
      if (!USER_ID.test(id)) return unescapeEntities(label ?? target);
      if (id === self.botUserId) {
        mentionsBot = true;
        return `@${self.botName ?? id}`;
      }
      const name = label !== undefined && label.length > 0 ? unescapeEntities(label) : undefined;
      if (!mentions.some((m) => m.id === id)) mentions.push(name !== undefined ? { id, name } : { id });
      return `@${name ?? id}`;
    }
    if (target.startsWith('#')) return `#${unescapeEntities(label ?? target.slice(1))}`;
    if (target.startsWith('!')) return special(target.slice(1), label);
    return link(target, label);
  };
  // Plain stretches and <…> entities are unescaped separately so nothing is unescaped twice.
  let text = '';
  let last = 0;
  for (const match of stripped.matchAll(/<([^<>]*)>/g)) {
    text += unescapeEntities(stripped.slice(last, match.index)) + convert(match[1] ?? '');
    last = match.index + match[0].length;
  }
  text += unescapeEntities(stripped.slice(last));
  return { text: text.trim(), mentions, mentionsBot };
}

function special(command: string, label: string | undefined): string {
  if (command === 'here' || command === 'channel' || command === 'everyone') return `@${command}`;
  if (label !== undefined) return unescapeEntities(label);
  if (command.startsWith('subteam^')) return `@${command.slice('subteam^'.length)}`;
  return '';
}

function link(target: string, label: string | undefined): string {
  const url = unescapeEntities(target.startsWith('mailto:') ? target.slice('mailto:'.length) : target);
  if (label === undefined || label.length === 0) return url;
  const text = unescapeEntities(label);
  return text === url ? url : `${text} (${url})`;
}

function splitLabel(inner: string): [string, string | undefined] {
  const bar = inner.indexOf('|');
  return bar < 0 ? [inner, undefined] : [inner.slice(0, bar), inner.slice(bar + 1)];
}

/** Slack escapes only these three in message text. `&amp;` goes last so `&amp;lt;` stays `&lt;`. */
function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
