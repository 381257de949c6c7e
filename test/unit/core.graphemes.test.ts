import { graphemePrefix, truncateGraphemes, truncateUnits } from '../../src/core/graphemes';
import { clusters, cutsBetweenClusters, HARD } from '../fakes/graphemes';

describe('graphemes', () => {
  it('the check sees a split sequence (a cut by code points fails it)', () => {
    const byCodePoints = Array.from(HARD.family).slice(0, 3).join('');
    expect(cutsBetweenClusters(HARD.family, [byCodePoints])).toBe(false);
    expect(cutsBetweenClusters(HARD.flag, ['🇨'])).toBe(false);
    expect(cutsBetweenClusters(`x${HARD.accent}`, ['xe'])).toBe(false);
  });

  it.each(Object.entries(HARD))('never cuts inside %s', (_name, cluster) => {
    const text = `ab${cluster}${cluster}cd`;
    for (let max = 1; max <= text.length; max++) {
      const prefix = graphemePrefix(text, max);
      expect(prefix.length).toBeLessThanOrEqual(max);
      expect(cutsBetweenClusters(text, [prefix])).toBe(true);
      const cut = truncateUnits(text, max + 1);
      expect(cut.length).toBeLessThanOrEqual(max + 1);
      expect(cutsBetweenClusters(text, [cut])).toBe(true);
    }
  });

  it('cuts long text where segmenting all of it would (it segments only a window)', () => {
    const reference = (text: string, max: number) => {
      let end = 0;
      for (const c of clusters(text)) {
        if (end + c.length > max) break;
        end += c.length;
      }
      return text.slice(0, end);
    };
    const text = [
      'ab'.repeat(200),
      HARD.flag.repeat(150), // a run of regional indicators longer than the window looks back
      '构建失败'.repeat(80),
      `${HARD.family}${HARD.accent}\n`.repeat(40),
      'x',
      HARD.coder.repeat(60),
    ].join('');
    for (let max = 1; max < text.length; max += 7)
      expect(graphemePrefix(text, max)).toBe(reference(text, max));
    const cjk = `${'构建失败'.repeat(300)}${HARD.accent}`;
    expect(truncateGraphemes(cjk, 1201)).toBe(cjk);
    expect(truncateGraphemes(`${HARD.family.repeat(200)}`, 100)).toBe(`${HARD.family.repeat(99)}…`);
  });

  it('keeps whole clusters up to the budget', () => {
    expect(graphemePrefix(`ab${HARD.family}`, 12)).toBe('ab');
    expect(graphemePrefix(`ab${HARD.family}`, 13)).toBe(`ab${HARD.family}`);
    expect(truncateUnits(`${HARD.flag}${HARD.flag}${HARD.flag}`, 9)).toBe(`${HARD.flag}${HARD.flag}…`);
    expect(truncateUnits('short', 9)).toBe('short');
    expect(truncateUnits('a long value here', 10, '...')).toBe('a long...');
  });

  it('cuts one cluster longer than the budget between code points, never inside a pair', () => {
    const zalgo = `😀${'\u0301'.repeat(50)}`;
    expect(graphemePrefix(zalgo, 1)).toBe('');
    expect(graphemePrefix(zalgo, 2)).toBe('😀');
    expect(graphemePrefix(zalgo, 5)).toBe(`😀${'\u0301'.repeat(3)}`);
  });

  it('counts user-perceived characters', () => {
    const text = `${HARD.family}${HARD.coder}${HARD.flag}${HARD.accent}`;
    expect(truncateGraphemes(text, 4)).toBe(text);
    expect(truncateGraphemes(text, 3)).toBe(`${HARD.family}${HARD.coder}…`);
    expect(truncateGraphemes(text, 1)).toBe('…');
  });
});
