/** Text that cuts by UTF-16 units or code points get wrong, and a check that sees it. */

export const clusters = (text: string) =>
  [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);

/** Text whose clusters a cut by UTF-16 units or code points would split. */
export const HARD = {
  family: '👨‍👩‍👧‍👦', // 4 emoji joined by 3 ZWJ: 11 units, 7 code points, 1 grapheme
  coder: '👩🏽‍💻', // skin tone + ZWJ: 7 units
  flag: '🇨🇳', // two regional indicators: 4 units
  accent: 'e\u0301', // e + combining acute: 2 units
  hangul: '\u1100\u1161\u11a8', // 각 as conjoining jamo: 3 units
};

/** True when every cluster of every piece is a whole cluster of the original. */
export function cutsBetweenClusters(original: string, pieces: readonly string[]): boolean {
  const whole = new Set(clusters(original));
  return pieces.every((p) => clusters(p.endsWith('…') ? p.slice(0, -1) : p).every((c) => whole.has(c)));
}
