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
  /** A card's parts, kept to update it after a click (not sent). */
  readonly card?: CardParts;
}

/** What a card shows: rebuilt from these when a click changes it. */
export interface CardParts {
  readonly title?: string;
  readonly text: string;
  /** The buttons still to press. */
  readonly buttons: readonly OutboundButton[];
  /** Buttons pressed, with who pressed them (an open_id), in order. */
  readonly done: readonly { readonly label: string; readonly by: string }[];
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
 * A card in Feishu's card JSON 1.0: `plain_text` everywhere (never `lark_md`, but for the
 * `<at>` of who pressed a button, an id checked here), so nothing of the customer's text is
 * read as markup; each button's `value` carries its command back in the
 * `card.action.trigger` callback. A card with buttons is shared (`update_multi`), so that
 * the update after a click is seen by everyone in the chat.
 */
function cardPost(message: OutboundMessage, text: string, buttons: readonly OutboundButton[]): FeishuPost {
  const parts: CardParts = {
    ...(message.card !== undefined ? { title: message.card.title } : {}),
    text,
    buttons,
    done: [],
  };
  return { msg_type: 'interactive', content: cardContent(parts), card: parts };
}

/** The `content` of a card in its current state (for the send, and for the update after a click). */
export function cardContent(parts: CardParts): string {
  return JSON.stringify(card(parts, true));
}

/** `parts` after `by` pressed the button of `command`: that button goes, a line says who pressed it. */
export function pressed(parts: CardParts, command: string, by: string): CardParts | undefined {
  const button = parts.buttons.find((b) => b.command === command);
  if (button === undefined) return undefined;
  return {
    ...parts,
    buttons: parts.buttons.filter((b) => b !== button),
    done: [...parts.done, { label: button.label, by }],
  };
}

/**
 * A message for one person inside a group, as the cards of Feishu's "ephemeral card" API
 * (`/open-apis/ephemeral/v1/send` takes cards only, as an object): the text split at the
 * card's limit, the buttons on the last. Mentions are left out: the card is theirs alone.
 * Not shared: Feishu cannot update an ephemeral card.
 */
export function renderEphemeral(message: OutboundMessage): Record<string, unknown>[] {
  const buttons = (message.buttons ?? []).slice(0, FEISHU_LIMITS.buttons);
  const chunks = splitText(message.text, FEISHU_LIMITS.cardText);
  const title = message.card?.title;
  return chunks.map((text, i) =>
    card(
      {
        ...(title !== undefined ? { title } : {}),
        text,
        buttons: i === chunks.length - 1 ? buttons : [],
        done: [],
      },
      false,
    ),
  );
}

// plain_text reads no markup today; escaping anyway costs an invisible character.
const plain = (content: string) => ({ tag: 'plain_text', content: escapeText(content) });

function card(parts: CardParts, shared: boolean): Record<string, unknown> {
  const { title, text, buttons, done } = parts;
  const typed = buttons.map((b) => `${b.label}: ${b.command}`).join(' · ');
  return {
    config: { wide_screen_mode: true, update_multi: shared },
    ...(title !== undefined ? { header: { title: plain(truncateUnits(title, 100)) } } : {}),
    elements: [
      ...(text.length > 0 ? [{ tag: 'div', text: plain(text) }] : []),
      ...done.map((d) => ({
        tag: 'note',
        elements: [
          plain(`${truncateUnits(d.label, FEISHU_LIMITS.buttonLabel)}:`),
          // Feishu shows the person's current name for the mention; an id of any other shape is not rendered.
          ...(OPEN_ID.test(d.by) ? [{ tag: 'lark_md', content: `<at id=${d.by}></at>` }] : []),
        ],
      })),
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
