/**
 * Reading intent from free text: ticket references, pleasantries, suggested categories.
 * Word lists cover zh-CN and en; they are matching rules, not text shown to users.
 */
import { graphemes, truncateGraphemes } from './graphemes';
import type { Category } from './model';

/** `#1024` anywhere in the text (also full-width ＃). */
const TICKET_REF = /(?:^|[^\w&])[#＃](\d{1,9})\b/g;

export function ticketRefs(text: string): number[] {
  return [...text.matchAll(TICKET_REF)].map((m) => Number(m[1]));
}

/** Parses `#1024`, `＃1024` or `1024` as a ticket number; undefined when it is not one. */
export function parseTicketNumber(token: string): number | undefined {
  const m = /^[#＃]?(\d{1,9})$/.exec(token.trim());
  return m ? Number(m[1]) : undefined;
}

const PLEASANTRIES = new Set([
  'thanks',
  'thank you',
  'thx',
  'ty',
  'ok',
  'okay',
  'got it',
  'great',
  'cool',
  'nice',
  'bye',
  'noted',
  'received',
  '谢谢',
  '多谢',
  '感谢',
  '谢啦',
  '谢了',
  '收到',
  '好的',
  '好',
  '嗯',
  '嗯嗯',
  '明白',
  '了解',
  '知道了',
  'ok了',
  '辛苦了',
  '好滴',
  '👍',
  '🙏',
  // A sticker or QQ face sent alone (adapters/attachments.ts tags): a nod, not an answer.
  '[sticker]',
  '[face]',
  '👌',
  '🙂',
  '😊',
  '❤️',
]);

const GREETINGS = new Set([
  'hi',
  'hello',
  'hey',
  'hi there',
  'hello there',
  'morning',
  'afternoon',
  'evening',
  'anyone',
  'anyone there',
  'anybody there',
  'are you there',
  'ping',
  '你好',
  '您好',
  '大家好',
  '各位好',
  '老师好',
  '各位老师好',
  '哈喽',
  '嗨',
  '在吗',
  '在么',
  '在不在',
  '有人吗',
  '有人在吗',
  '早',
  '早上好',
  '上午好',
  '下午好',
  '晚上好',
  '请问',
  '求助',
  '👋',
]);

/** Words that may stand around a greeting ("hi there", "good morning everyone", "各位老师好"). */
const GREETING_FILLERS = new Set([
  'there',
  'good',
  'everyone',
  'all',
  'guys',
  'team',
  'anyone',
  'anybody',
  '各位',
  '老师',
  '大家',
]);

/**
 * A greeting or a "are you there?" with no question in it ("@bot 在吗", "@bot hi"): the
 * bot asks what the problem is rather than open a ticket called "hi".
 */
export function isGreeting(text: string): boolean {
  const normalised = normaliseShort(text);
  if (normalised === '' || normalised.length > 24) return false;
  if (GREETINGS.has(normalised)) return true;
  const words = normalised.split(' ');
  return (
    words.some((w) => GREETINGS.has(w)) &&
    words.every(
      (w) =>
        GREETINGS.has(w) ||
        GREETING_FILLERS.has(w) ||
        PLEASANTRIES.has(w) ||
        /^\p{Extended_Pictographic}+$/u.test(w),
    )
  );
}

function normaliseShort(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s!！.。,，~～?？]+/gu, ' ')
    .trim();
}

/**
 * Emoji that say "thanks" or "OK" on their own (skin tones and presentation selectors
 * aside). Other emoji alone (🔥🔥💥) are not an answer: they ask for help without words.
 */
const ACK_EMOJI = new Set([
  '👍',
  '🙏',
  '👌',
  '🙂',
  '😊',
  '❤',
  '🙇',
  '🤝',
  '👏',
  '💯',
  '✅',
  '🎉',
  '😀',
  '😄',
  '😁',
  '🥰',
  '🥳',
  '✌',
  '💪',
  '🆗',
]);
const EMOJI_WORD =
  /^\p{Extended_Pictographic}(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F|\u200D|\u20E3|[\u{E0020}-\u{E007F}])*$/u;
const EMOJI_DECORATION = /\p{Emoji_Modifier}|\uFE0F/gu;

function isAckEmoji(word: string): boolean {
  for (const cluster of graphemes(word)) {
    if (!ACK_EMOJI.has(cluster.replace(EMOJI_DECORATION, ''))) return false;
  }
  return true;
}

/**
 * Short acknowledgements that must never open a ticket: pleasantries with or without emoji
 * ("thanks 🎉", "收到 谢谢"), or emoji alone when they are thank-you emoji (👍, 🙏🙏).
 */
export function isPleasantry(text: string): boolean {
  const normalised = normaliseShort(text);
  if (normalised === '') return true;
  if (PLEASANTRIES.has(normalised)) return true;
  if (normalised.length > 24) return false;
  const words = normalised.split(' ');
  if (!words.every((w) => PLEASANTRIES.has(w) || EMOJI_WORD.test(w))) return false;
  return words.some((w) => PLEASANTRIES.has(w) && !EMOJI_WORD.test(w)) || words.every(isAckEmoji);
}

/** Whether the text has a letter or a digit: without one (emoji, punctuation, nothing) it names no problem. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

/** Words that suggest a category, per category; matching rules for both languages, not shown text. */
const SUGGESTIONS: ReadonlyArray<readonly [Category, readonly RegExp[]]> = [
  [
    'security',
    [
      /secur/i,
      /vulnerab/i,
      /\bcve-\d/i,
      /exploit/i,
      /\bxss\b/i,
      /injection/i,
      /leak/i,
      /安全/,
      /漏洞/,
      /攻击/,
      /注入/,
      /泄露/,
      /越权/,
    ],
  ],
  [
    'performance',
    [
      /performance/i,
      /\bslow/i,
      /latency/i,
      /memory/i,
      /\boom\b/i,
      /\bcpu\b/i,
      /throughput/i,
      /性能/,
      /很慢/,
      /变慢/,
      /慢了/,
      /卡顿/,
      /延迟/,
      /内存/,
      /吞吐/,
    ],
  ],
];

/**
 * The category a request's words suggest (security before performance: a leak that also
 * slows things down is a security report), or undefined. Only a suggestion: the priority
 * follows the ticket's category (TicketService.open), never the words themselves.
 */
export function suggestCategory(text: string): Category | undefined {
  return SUGGESTIONS.find(([, words]) => words.some((re) => re.test(text)))?.[0];
}

const LONG_URL = /\bhttps?:\/\/([^\s/?#]+)[^\s]{24,}/g;

/**
 * A one-line subject from the request text. A long link is shortened to its host
 * (`cdn.discordapp.com/…`): a screenshot sent with an @mention, or in an /auto group, would
 * otherwise make a subject of 80 characters of download URL in every list and reminder.
 * The ticket's message keeps the whole text, and the staff announcement shows an excerpt
 * with the links (excerptOf).
 */
export function subjectOf(text: string, max = 80): string {
  const flat = text.includes('://') ? text.replace(LONG_URL, '$1/…') : text;
  return excerptOf(flat, max);
}

/**
 * The text on one line, cut to `max` user-perceived characters (grapheme clusters, so an
 * emoji sequence, a flag or an accented letter is never split; links kept whole unless cut).
 */
export function excerptOf(text: string, max: number): string {
  return truncateGraphemes(text.replace(/\s+/g, ' ').trim(), max);
}
