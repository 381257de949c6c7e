import type { OutboundButton, OutboundMessage } from '../../src/core/chat';
import { truncateUnits } from '../../src/core/graphemes';
import { splitText } from '../text';
import type { ButtonValue } from './feishu.mapper';

/**
 * Limits: a text message's request body may be 150 KB and a card's 30 KB
 * (https://open.feishu.cn/document/server-docs/im-v1/message/create). Text is cut well below
 * (4,000 characters: at most 4 bytes each, with JSON escaping, stays far under 150 KB, and
 * a chat message that long is already hard to read); a card's text at 2,000.
 */
export const FEISHU_LIMITS = {
  text: 4000,
  cardText: 2000,
  buttons: 10,
  buttonLabel: 40,
  mentions: 50,
} as const;

/** One `im.v1.message.create`/`reply` body, minus where it goes. */
export interface FeishuPost {
  readonly msg_type: 'text' | 'interactive';
  /** The JSON string Feishu wants in `content`. */
  readonly content: string;
}

/** A word joiner: invisible, and enough to stop Feishu reading `<at …>` or `@_all` as markup. */
const WORD_JOINER = '\u2060';

/**
 * Escapes plain text for a Feishu text message. Text messages read `<at user_id="all">`
 * (a mention of everyone) and a few style tags (`<b>`, `<i>`, `<u>`, `<s>`, `<a>`); the
 * platform has no entity escape, so a word joiner goes after any `<` that could open a tag,
 * and into `@_all`, the placeholder Feishu itself uses for everyone. What the customer typed
 * stays readable and can never notify a whole group.
 */
export function escapeText(text: string): string {
  return text.replace(/<(?=\/?[a-z])/gi, `<${WORD_JOINER}`).replace(/@_all\b/gi, `@${WORD_JOINER}_all`);
}

/** How a user is mentioned in a text message; Feishu shows the current name. */
export function renderMention(openId: string): string {
  return `<at user_id="${openId}"></at>`;
}

/** Only real open ids are rendered as mentions: `all` or markup in an id must not become one. */
const OPEN_ID = /^ou_[A-Za-z0-9_-]+$/;

/**
 * One outbound message as Feishu posts: mentions in front of the text, long text split;
 * buttons make the last post an interactive card whose buttons carry their command, and the
 * card's text lists the same commands to type, for clients that show cards without buttons.
 */
export function renderOutbound(message: OutboundMessage): FeishuPost[] {
  const mentions = (message.mentions ?? [])
    .filter((m) => OPEN_ID.test(m.id))
    .slice(0, FEISHU_LIMITS.mentions)
    .map((m) => renderMention(m.id))
    .join(' ');
  const prefix = mentions.length > 0 ? `${mentions} ` : '';
  const buttons = (message.buttons ?? []).slice(0, FEISHU_LIMITS.buttons);
  if (buttons.length === 0) {
    return splitText(message.text, FEISHU_LIMITS.text).map((chunk, i) =>
      textPost(i === 0 ? (prefix + escapeText(chunk)).trimEnd() : escapeText(chunk)),
    );
  }
  const chunks = splitText(message.text, FEISHU_LIMITS.text);
  const last = chunks.pop() ?? '';
  const cardChunks = splitText(last, FEISHU_LIMITS.cardText);
  const cardText = cardChunks.pop() ?? '';
  const before = [...chunks, ...cardChunks].map((chunk, i) =>
    textPost(i === 0 ? (prefix + escapeText(chunk)).trimEnd() : escapeText(chunk)),
  );
  // A card cannot hold a text mention: with mentions and nothing before the card, they go alone first.
  if (before.length === 0 && prefix.length > 0) before.push(textPost(prefix.trimEnd()));
  return [...before, cardPost(message, cardText, buttons)];
}

function textPost(text: string): FeishuPost {
  return { msg_type: 'text', content: JSON.stringify({ text }) };
}

/**
 * A card in Feishu's card JSON 1.0: `plain_text` everywhere (never `lark_md`), so nothing
 * of the customer's text is read as markup; each button's `value` carries its command back
 * in the `card.action.trigger` callback.
 */
function cardPost(message: OutboundMessage, text: string, buttons: readonly OutboundButton[]): FeishuPost {
  return { msg_type: 'interactive', content: JSON.stringify(card(message, text, buttons)) };
}

/**
 * A message for one person inside a group, as the cards of Feishu's "ephemeral card" API
 * (`/open-apis/ephemeral/v1/send` takes cards only, as an object): the text split at the
 * card's limit, the buttons on the last. Mentions are left out: the card is theirs alone.
 */
export function renderEphemeral(message: OutboundMessage): Record<string, unknown>[] {
  const buttons = (message.buttons ?? []).slice(0, FEISHU_LIMITS.buttons);
  const chunks = splitText(message.text, FEISHU_LIMITS.cardText);
  return chunks.map((chunk, i) => card(message, chunk, i === chunks.length - 1 ? buttons : []));
}

// plain_text reads no markup today; escaping anyway costs an invisible character.
const plain = (content: string) => ({ tag: 'plain_text', content: escapeText(content) });

function card(
  message: OutboundMessage,
  text: string,
  buttons: readonly OutboundButton[],
): Record<string, unknown> {
  const typed = buttons.map((b) => `${b.label}: ${b.command}`).join(' · ');
  return {
    config: { wide_screen_mode: true, update_multi: false },
    ...(message.card !== undefined
      ? { header: { title: plain(truncateUnits(message.card.title, 100)) } }
      : {}),
    elements: [
      ...(text.length > 0 ? [{ tag: 'div', text: plain(text) }] : []),
      ...(buttons.length > 0
        ? [
            {
              tag: 'action',
              actions: buttons.map((b, i) => ({
                tag: 'button',
                text: plain(truncateUnits(b.label, FEISHU_LIMITS.buttonLabel)),
                type: i === 0 ? 'primary' : 'default',
                value: { groupdesk: b.command } satisfies ButtonValue,
              })),
            },
            { tag: 'note', elements: [plain(typed)] },
          ]
        : []),
    ],
  };
}
