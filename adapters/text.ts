/**
 * Splits text into chunks of at most `max` characters (UTF-16 code units, as platform
 * limits count them), preferring paragraph, then line, then word boundaries, and never
 * cutting a surrogate pair (emoji) in half.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = bestBreak(rest, max);
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // keep surrogate pairs whole
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \t]*\n?/, '');
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
