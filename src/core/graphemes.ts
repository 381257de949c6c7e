/**
 * Cutting text where a reader sees a character end: at grapheme cluster boundaries
 * (https://unicode.org/reports/tr29/), found by the platform's `Intl.Segmenter`. A cut by
 * UTF-16 units or by code points can split a surrogate pair (half an emoji), an emoji ZWJ
 * sequence (👩‍💻 → 👩 + a dangling joiner), a flag (🇨🇳 → 🇨) or a letter and its combining
 * mark (é → e); every cut of user-visible text goes through here instead.
 */

// Grapheme boundaries do not depend on the locale (UAX #29's extended clusters).
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The grapheme clusters of `text`, in order. */
export function* graphemes(text: string): Generator<string> {
  for (const { segment } of segmenter.segment(text)) yield segment;
}

/**
 * The longest prefix of `text` made of whole grapheme clusters and at most `maxUnits`
 * UTF-16 units long (the unit platform limits count). A single cluster longer than the
 * budget (a pile of combining marks) is cut between code points, never inside a pair.
 */
export function graphemePrefix(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  // Segment only a window around the cut: a boundary depends on the characters before it
  // only back to the last sure boundary, and on the one code point after it (2 units).
  const from = sureBoundaryBefore(text, maxUnits);
  const window = text.slice(from, maxUnits + 2);
  let end = from;
  for (const { index, segment } of segmenter.segment(window)) {
    if (from + index + segment.length > maxUnits) break;
    end = from + index + segment.length;
  }
  if (end > 0 || maxUnits <= 0) return text.slice(0, end);
  const code = text.charCodeAt(maxUnits - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? maxUnits - 1 : maxUnits);
}

/** How far back a window looks for a sure boundary before segmenting from the start. */
const LOOKBACK = 256;

/** Printable ASCII and CJK ideographs: never part of a cluster with what precedes them (no Extend, ZWJ, Prepend, RI). */
const simple = (code: number) => (code >= 0x20 && code <= 0x7e) || (code >= 0x4e00 && code <= 0x9fff);

/**
 * A position at or before `at` that is a grapheme boundary whatever surrounds it: a simple
 * character after a simple one or a line feed (UAX #29: GB4, GB999; none of GB9–GB13 can
 * apply). 0 when none is near, so that the text is segmented from its start.
 */
function sureBoundaryBefore(text: string, at: number): number {
  for (let i = at; i > 0 && i >= at - LOOKBACK; i--) {
    const before = text.charCodeAt(i - 1);
    if (simple(text.charCodeAt(i)) && (simple(before) || before === 0x0a)) return i;
  }
  return 0;
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
  // Boundaries inside a prefix are the text's own (each depends only on what precedes it and
  // the next character), so segmenting a generous prefix suffices unless its clusters are long.
  const prefix = text.slice(0, 8 * maxGraphemes + 16);
  const cut = cutAfterGraphemes(prefix, maxGraphemes, prefix.length < text.length);
  return cut ?? cutAfterGraphemes(text, maxGraphemes, false) ?? text;
}

/**
 * `text` cut to `max - 1` clusters and `…` when it has more than `max`; undefined when it
 * has no more than `max`, or (for a prefix) when the prefix cannot tell.
 */
function cutAfterGraphemes(text: string, max: number, isPrefix: boolean): string | undefined {
  let count = 0;
  let keep = 0;
  for (const { index } of segmenter.segment(text)) {
    if (count === max - 1) keep = index;
    // In a prefix the last cluster may be cut short: one more start is needed to be sure.
    if (++count > max + (isPrefix ? 1 : 0)) return `${text.slice(0, keep)}…`;
  }
  return undefined;
}
