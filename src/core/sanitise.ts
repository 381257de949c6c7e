/**
 * The one sanitiser for text that reaches another person: display names, group titles,
 * customer names, ticket subjects, messages and notes. Applied where text enters (the
 * router for everything a platform sends, the directory for names set by commands and the
 * CLI), so that what is stored is what every reader is shown.
 *
 * Removed: control characters (C0 but tab and line feed, DEL, C1), bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069: they reorder what follows, so a
 * name can make a line read as something else), zero-width characters (U+200B, U+200C,
 * U+2060, U+FEFF) and U+200D where it joins no emoji (inside a cluster such as 👨‍👩‍👧 it
 * is kept: removing it would split the family into three people), invisible fillers
 * (U+2061–U+2064, U+180E, U+3164, U+FFA0: the usual "blank name" tricks).
 * Line breaks (CR LF, CR, VT, FF, NEL, U+2028, U+2029) become LF in text and, with tabs and every
 * other whitespace, one space in a name, which must stay on one line wherever it is shown.
 * See https://unicode.org/reports/tr9/ (bidi) and tr29 (clusters, GB11 for emoji ZWJ).
 */
import { truncateGraphemes } from './graphemes';

/** Longest name or title kept, in user-perceived characters. */
export const MAX_NAME_GRAPHEMES = 64;

/** C0 controls but tab and LF, DEL and C1, as a class body (one list for the scan and the strip). */
const CONTROLS = '\\u0000-\\u0008\\u000e-\\u001f\\u007f-\\u0084\\u0086-\\u009f';
const INVISIBLES = '\\u180e\\u200b\\u200c\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\u3164\\ufeff\\uffa0';
const BREAKS = '\\r\\u000b\\u000c\\u0085\\u2028\\u2029';
const SUSPECT = new RegExp(`[${CONTROLS}${INVISIBLES}${BREAKS}\\u200d]`);
const LINE_BREAK = new RegExp(`\\r\\n?|[${BREAKS}]`, 'g');
const INVISIBLE = new RegExp(`[${CONTROLS}${INVISIBLES}]`, 'g');
const ZWJ = '\u200d';
/**
 * A joiner that joins no emoji. UAX #29 GB11 keeps `ExtPict Extend* ZWJ × ExtPict` in one
 * cluster; any other U+200D joins nothing visible. Written as the rule itself rather than
 * by walking Intl.Segmenter's clusters: the same result (test/unit/core.sanitise.test.ts
 * checks it against the segmenter) at about 1/30 of the cost per message with emoji.
 */
const LONE_JOINER =
  /(?<!\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\p{M})*)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

/** Message text, subjects, notes: lines kept (LF), everything invisible or reordering removed. */
export function cleanText(text: string): string {
  // Most text has none of these: one scan, the same string back.
  if (!SUSPECT.test(text)) return text;
  const flat = text.replace(LINE_BREAK, '\n').replace(INVISIBLE, '');
  return flat.includes(ZWJ) ? flat.replace(LONE_JOINER, '') : flat;
}

/** A display name, group title or customer name: one line, single spaces, at most MAX_NAME_GRAPHEMES. */
export function cleanName(name: string, max = MAX_NAME_GRAPHEMES): string {
  return truncateGraphemes(cleanText(name).replace(/\s+/g, ' ').trim(), max);
}
