import type { OutboundButton, OutboundMessage } from '../../src/core/chat';
import { truncateUnits } from '../../src/core/graphemes';
import { splitText } from '../text';

/**
 * Limits: DingTalk takes text messages up to about 20,000 bytes and markdown up to 5,000
 * characters; text is cut at 3,000 characters (at most 4 bytes each stays under 20,000
 * bytes with JSON escaping) and an action card's text at 2,000. At most 5 buttons: the
 * OpenAPI's templates hold 1 to 5 (sampleActionCard…5).
 */
export const DINGTALK_LIMITS = {
  text: 3000,
  cardText: 2000,
  buttons: 5,
  buttonLabel: 20,
  cardTitle: 60,
} as const;

/** One message to send, in a form both the session webhook and the OpenAPI can carry. */
export type DingtalkPost =
  | { readonly kind: 'text'; readonly content: string; readonly atUserIds: readonly string[] }
  | {
      readonly kind: 'actionCard';
      readonly title: string;
      /** Markdown, customer text escaped. */
      readonly text: string;
      readonly buttons: readonly { readonly title: string; readonly url: string }[];
    };

/** A word joiner: invisible, and enough that `@所有人` / `@all` typed by a customer is no mention. */
const WORD_JOINER = '\u2060';

/**
 * Plain text for a text message: DingTalk notifies only the ids in `at.atUserIds` (and
 * everyone only with `isAtAll`, which GroupDesk never sets), but the client also highlights
 * `@所有人` / `@all` in the text: a word joiner after the `@` keeps them plain words.
 */
export function escapeText(text: string): string {
  return text.replace(/@(?=所有人|all\b|everyone\b)/gi, `@${WORD_JOINER}`);
}

/**
 * Text made inert for DingTalk's markdown (action cards): every markdown punctuation gets
 * a backslash (those that open emphasis, links, headings, code, tables), `<`, `>` and `&`
 * become entities, so a customer's `[x](dtmd://…)` is no link, `# ` no heading, `<font>`
 * no markup and `> ` no quote; then the same @all treatment as plain text.
 */
export function escapeMarkdown(text: string): string {
  return escapeText(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/([\\`*_[\]#|~])/g, '\\$1'),
  ).replace(/\n/g, '  \n');
}

/** Only plain staff ids (`userid`s) become mentions: never `all` or anything with markup. */
const STAFF_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A button: DingTalk's action-card buttons are links; `dtmd://dingtalkclient/sendMessage`
 * makes the client send its `content` as the clicker's own message in that chat, so a
 * click is the typed command, checked like any other (see README: in a group the robot
 * receives it only when it mentions the robot, so the card also lists the commands).
 */
export function buttonUrl(command: string): string {
  return `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;
}

/** One outbound message as DingTalk posts: mentions first, long text split, buttons as a final action card. */
export function renderOutbound(message: OutboundMessage): DingtalkPost[] {
  const ids = [
    ...new Set((message.mentions ?? []).map((m) => m.id).filter((id) => STAFF_ID.test(id) && id !== 'all')),
  ];
  // DingTalk shows a mention where `@userid` stands in the text.
  const prefix = ids.map((id) => `@${id}`).join(' ');
  const text = (content: string, first: boolean): DingtalkPost => ({
    kind: 'text',
    content: first && prefix ? `${prefix} ${escapeText(content)}`.trimEnd() : escapeText(content),
    atUserIds: first ? ids : [],
  });
  const buttons = (message.buttons ?? []).slice(0, DINGTALK_LIMITS.buttons);
  const chunks = splitText(message.text, DINGTALK_LIMITS.text);
  if (buttons.length === 0) return chunks.map((c, i) => text(c, i === 0));
  const last = chunks.pop() ?? '';
  const cardChunks = splitText(last, DINGTALK_LIMITS.cardText);
  const cardText = cardChunks.pop() ?? '';
  const before = [...chunks, ...cardChunks].map((c, i) => text(c, i === 0));
  // A card carries no mention: with mentions and nothing before it, they go first alone.
  if (before.length === 0 && prefix) before.push({ kind: 'text', content: prefix, atUserIds: ids });
  return [...before, card(message, cardText, buttons)];
}

function card(message: OutboundMessage, text: string, buttons: readonly OutboundButton[]): DingtalkPost {
  const title = truncateUnits(
    message.card?.title ?? (text.split('\n')[0] || 'GroupDesk'),
    DINGTALK_LIMITS.cardTitle,
  );
  const typed = buttons.map((b) => `${b.label}: ${b.command}`).join(' · ');
  return {
    kind: 'actionCard',
    // The title shows in the chat list and notifications: plain text there, but escaped the same.
    title: escapeText(title),
    text: `${escapeMarkdown(text)}\n\n${escapeMarkdown(typed)}`,
    buttons: buttons.map((b) => ({
      title: escapeText(truncateUnits(b.label, DINGTALK_LIMITS.buttonLabel)),
      url: buttonUrl(b.command),
    })),
  };
}
