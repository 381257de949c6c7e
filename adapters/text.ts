import { graphemePrefix } from '../src/core/graphemes';

/**
 * Splits text into chunks of at most `max` characters (UTF-16 code units, as platform
 * limits count them), preferring paragraph, then line, then word boundaries, and always
 * cutting between grapheme clusters: never inside a surrogate pair, an emoji ZWJ sequence,
 * a flag or a letter with its combining marks (src/core/graphemes.ts).
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = graphemePrefix(rest, bestBreak(rest, max)).length;
    chunks.push(rest.slice(0, cut).trimEnd());
    // Drop the break's white space, but not a space that carries a combining mark.
    rest = rest.slice(cut).replace(/^[ \t]*\n?(?![\p{M}\u200d])/u, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks.filter((c, i) => c.length > 0 || i === 0);
}

function bestBreak(text: string, max: number): number {
  const window = text.slice(0, max);
  const floor = Math.floor(max / 2); // don't make tiny chunks just to hit a boundary
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at >= floor) return at + sep.length;
  }
  return max;
}
