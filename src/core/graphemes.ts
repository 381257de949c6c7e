/**
 * Cutting text where a reader sees a character end: at grapheme cluster boundaries
 * (https://unicode.org/reports/tr29/), found by the platform's `Intl.Segmenter`. A cut by
 * UTF-16 units or by code points can split a surrogate pair (half an emoji), an emoji ZWJ
 * sequence (👩‍💻 → 👩 + a dangling joiner), a flag (🇨🇳 → 🇨) or a letter and its combining
 * mark (é → e); every cut of user-visible text goes through here instead.
 */

// Grapheme boundaries do not depend on the locale (UAX #29's extended clusters).
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest prefix of `text` made of whole grapheme clusters and at most `maxUnits`
 * UTF-16 units long (the unit platform limits count). A single cluster longer than the
 * budget (a pile of combining marks) is cut between code points, never inside a pair.
 */
export function graphemePrefix(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > maxUnits) break;
    end = index + segment.length;
  }
  if (end > 0 || maxUnits <= 0) return text.slice(0, end);
  const code = text.charCodeAt(maxUnits - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxUnits - 1 : maxUnits);
}

/** `text`, or its grapheme prefix ending in `ellipsis` so that the whole is at most `maxUnits` UTF-16 units. */
export function truncateUnits(text: string, maxUnits: number, ellipsis = '…'): string {
  if (text.length <= maxUnits) return text;
  return `${graphemePrefix(text, maxUnits - ellipsis.length).trimEnd()}${ellipsis}`;
}

/** `text`, or its first `maxGraphemes - 1` user-perceived characters and `…`. */
export function truncateGraphemes(text: string, maxGraphemes: number): string {
  // No more UTF-16 units than the budget: no more graphemes either.
  if (text.length <= maxGraphemes) return text;
  let count = 0;
  let keep = 0;
  for (const { index } of segmenter.segment(text)) {
    if (count === maxGraphemes - 1) keep = index;
    if (++count > maxGraphemes) return `${text.slice(0, keep)}…`;
  }
  return text;
}
