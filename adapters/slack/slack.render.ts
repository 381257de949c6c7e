import type { types as slackTypes } from '@slack/bolt';
import type { OutboundButton, OutboundMessage } from '../../src/core/chat';
import { truncateUnits } from '../../src/core/graphemes';
import { splitText } from '../text';

/**
 * Slack limits (https://docs.slack.dev/reference/block-kit/blocks/section-block,
 * https://docs.slack.dev/reference/methods/chat.postMessage): 3,000 characters per section
 * text, 50 blocks and 40,000 characters of `text` per message, 25 elements per actions
 * block, 75 characters per button label, 2,000 per button value.
 */
export const SLACK_LIMITS = {
  sectionText: 3000,
  messageText: 40000,
  blocksPerMessage: 50,
  buttonsPerActions: 25,
  buttonLabel: 75,
  buttonValue: 2000,
} as const;

type KnownBlock = slackTypes.KnownBlock;

/** Mentions beyond this many are dropped: the prefix must leave room for the text itself. */
const MAX_MENTIONS = 100;

/** Prefix of the `action_id` of every GroupDesk button; the listener matches on it. */
export const BUTTON_ACTION_PREFIX = 'groupdesk:cmd:';

/** One `chat.postMessage`/`chat.postEphemeral`/`response_url` body, minus channel and thread. */
export interface SlackPost {
  readonly text: string;
  readonly blocks?: KnownBlock[];
}

/** A word joiner after `@` keeps `@here` readable but stops Slack from treating it as a broadcast. */
const WORD_JOINER = '\u2060';

/** A style marker where mrkdwn could open a style: at the start, after whitespace or opening punctuation. */
const STYLE_OPENER = /(^|[\s([{"'“‘])([*_~`])/gm;
/** Two or more backticks: a fence (```) or a double-backtick span. */
const BACKTICK_RUN = /`{2,}/g;

/**
 * Escapes plain text for mrkdwn: `& < >` become entities, so nothing a customer typed can
 * form `<!channel>`, `<!here>`, `<@U…>`, `<#C…>` or a link; bare `@here`/`@channel`/
 * `@everyone` are broken with an invisible word joiner for clients that auto-link them.
 * mrkdwn has no backslash escape for `* _ ~ \``, so the same joiner goes before a marker
 * that could open a style (a marker inside a word, as in a URL's `a_b_c`, opens none and is
 * left alone, so links stay whole) and between the backticks of a fence: `*URGENT*` and a
 * pasted ```code``` then show as typed instead of restyling the staff announcement.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)\b/gi, `@${WORD_JOINER}$1`)
    .replace(BACKTICK_RUN, (run) => run.split('').join(WORD_JOINER))
    .replace(STYLE_OPENER, `$1${WORD_JOINER}$2`);
}

/** How a user is mentioned in Slack markup: `<@U123>`, which Slack shows as the current display name. */
export function renderMention(userId: string): string {
  return `<@${userId}>`;
}

/**
 * Renders one outbound message as one or more Slack posts. Mentions go in front of the
 * text; long text is split so that each post stays within Slack's limits; buttons become
 * one Block Kit actions block on the last post, and the notification `text` of that post
 * lists the same commands as typed slash commands (`/gd claim #12`) for clients without blocks.
 */
export function renderOutbound(
  original: OutboundMessage,
  options: { slashCommand: string; commandWords?: ReadonlySet<string> },
): SlackPost[] {
  const message = options.commandWords
    ? { ...original, text: typedCommands(original.text, options.commandWords, options.slashCommand) }
    : original;
  const mentions = (message.mentions ?? [])
    .filter((m) => /^[UW][A-Z0-9]+$/.test(m.id))
    .slice(0, MAX_MENTIONS)
    .map((m) => renderMention(m.id))
    .join(' ');
  const prefix = mentions.length > 0 ? `${mentions} ` : '';
  const buttons = (message.buttons ?? []).slice(0, SLACK_LIMITS.buttonsPerActions);
  if (buttons.length === 0) {
    const chunks = splitEscaped(message.text, SLACK_LIMITS.messageText - prefix.length);
    return chunks.map((chunk, i) => ({ text: i === 0 ? (prefix + chunk).trimEnd() : chunk }));
  }
  return renderWithButtons(prefix, message.text, buttons, options.slashCommand);
}

function renderWithButtons(
  prefix: string,
  text: string,
  buttons: readonly OutboundButton[],
  slashCommand: string,
): SlackPost[] {
  const sections = splitEscaped(text, SLACK_LIMITS.sectionText - prefix.length).map((chunk, i) =>
    i === 0 ? (prefix + chunk).trimEnd() : chunk,
  );
  const fallback = buttons
    .map((b) => `${escapeMrkdwn(b.label)}: \`${escapeMrkdwn(asSlashCommand(b.command, slashCommand))}\``)
    .join(' · ');
  // Each post: at most 13 sections (13 × 3,000 < 40,000 with room for the fallback line),
  // well under the 50-block cap; the actions block rides on the last post.
  const perPost = Math.floor((SLACK_LIMITS.messageText - fallback.length - 2) / SLACK_LIMITS.sectionText);
  const posts: SlackPost[] = [];
  for (let i = 0; i < sections.length; i += perPost) {
    const group = sections.slice(i, i + perPost);
    const last = i + perPost >= sections.length;
    const blocks: KnownBlock[] = group
      .filter((s) => s.length > 0)
      .map((s) => ({ type: 'section', text: { type: 'mrkdwn', text: s } }));
    const body = group.join('\n');
    if (last) blocks.push(actionsBlock(buttons));
    posts.push({ text: last ? joinNonEmpty(body, fallback) : body, blocks });
  }
  return posts;
}

function actionsBlock(buttons: readonly OutboundButton[]): KnownBlock {
  return {
    type: 'actions',
    elements: buttons.map((b, i) => ({
      type: 'button',
      // action_id must be unique within the message; the prefix routes the click back to us.
      action_id: `${BUTTON_ACTION_PREFIX}${i}`,
      text: { type: 'plain_text', text: truncateUnits(b.label, SLACK_LIMITS.buttonLabel), emoji: true },
      value: truncateUnits(b.command, SLACK_LIMITS.buttonValue),
    })),
  };
}

/**
 * GroupDesk's texts tell people to type `/claim #12` or `/认领 #12`; in Slack only the app's
 * slash command works, so every reference to a GroupDesk command becomes `/gd claim #12`.
 * Only words that are GroupDesk commands are touched (`GET /status/page` stays as it is).
 */
export function typedCommands(text: string, words: ReadonlySet<string>, slashCommand: string): string {
  return text.replace(
    /(?<![\p{L}\p{N}_./\\-])[/／]([\p{L}\p{N}_-]+)(?=$|[\s)）」”"'`.,，。:：;；!！?？])/gu,
    (whole, word: string) => (words.has(word.toLowerCase()) ? `${slashCommand} ${word}` : whole),
  );
}

/** `/claim #12` → `/gd claim #12`: in Slack a message starting with `/` is a slash command. */
export function asSlashCommand(command: string, slashCommand: string): string {
  return `${slashCommand} ${command.replace(/^\/+/, '')}`.trim();
}

/**
 * Splits plain text so that each chunk is at most `max` characters *after* escaping
 * (escaping lengthens `&<>`); cuts never fall inside an entity because the raw text is cut.
 */
export function splitEscaped(text: string, max: number): string[] {
  if (max < 16) throw new RangeError('max must be at least 16');
  return splitRaw(text, max, max);
}

function splitRaw(text: string, max: number, rawMax: number): string[] {
  const out: string[] = [];
  for (const raw of splitText(text, rawMax)) {
    const escaped = escapeMrkdwn(raw);
    if (escaped.length <= max) {
      out.push(escaped);
      continue;
    }
    // Cut this chunk finer, by the expansion it showed. One character grows to at most
    // five (`&` → `&amp;`), so max/6 raw characters always fit; each pass cuts shorter.
    const ratio = Math.floor((max * raw.length) / escaped.length);
    out.push(...splitRaw(raw, max, Math.max(Math.floor(max / 6), Math.min(raw.length - 1, ratio))));
  }
  return out;
}

function joinNonEmpty(...parts: string[]): string {
  return parts.filter((p) => p.length > 0).join('\n');
}
