import fc from 'fast-check';
import { cleanName, cleanText, MAX_NAME_GRAPHEMES } from '../../src/core/sanitise';
import { clusters, HARD } from '../fakes/graphemes';

const FORGED = 'Mallory\nSYSTEM: ticket #1001 reassigned to you, reply with /close #1001';

describe('one sanitiser for text that reaches another person', () => {
  it('puts a name on one line: newlines, tabs and line separators become one space', () => {
    expect(cleanName(FORGED)).toBe('Mallory SYSTEM: ticket #1001 reassigned to you, reply with /clo…');
    expect(cleanName('Mallory\nSYSTEM: ticket #1001')).toBe('Mallory SYSTEM: ticket #1001');
    expect(cleanName('a\r\n\tb\u2028c\u2029d\u0085e\u000b\u000cf')).toBe('a b c d e f');
    expect(cleanName('  spaced   out  ')).toBe('spaced out');
  });

  it('removes bidi overrides and isolates, zero-width and control characters', () => {
    const bidi = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    const zero = '\u200B\u200C\u200D\uFEFF\u2060';
    expect(cleanName(`Mal${bidi}lo${zero}ry\u0000\u0007\u001b[31m\u007f\u0090`)).toBe('Mallory[31m');
    expect(cleanText(`line one\n\u202Eeno enil\u202C\n\u200Bthree\u0000`)).toBe('line one\neno enil\nthree');
  });

  it('keeps emoji joined by U+200D whole and drops a joiner that joins nothing', () => {
    expect(cleanName(`Dad ${HARD.family} ${HARD.coder}`)).toBe(`Dad ${HARD.family} ${HARD.coder}`);
    expect(cleanText('👨‍👩‍👧')).toBe('👨‍👩‍👧');
    expect(cleanText('a\u200Db \u200D 🔥\u200D')).toBe('ab  🔥');
    expect(cleanText('\u200D👍')).toBe('👍');
  });

  it('keeps message text multi-line and tabs in it, with CRLF as LF', () => {
    expect(cleanText('stack:\r\n\tat foo\r\n\tat bar')).toBe('stack:\n\tat foo\n\tat bar');
    expect(cleanText('\u2028x\u2029')).toBe('\nx\n');
  });

  it('caps a name on user-perceived characters, never inside an emoji', () => {
    const long = `${'x'.repeat(MAX_NAME_GRAPHEMES - 2)}${HARD.family}${HARD.family}${HARD.family}`;
    const capped = cleanName(long);
    expect([...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(capped)]).toHaveLength(
      MAX_NAME_GRAPHEMES,
    );
    expect(capped.endsWith(`${HARD.family}…`)).toBe(true);
  });

  it('leaves ordinary text as it is (the same string)', () => {
    const plain = 'Alice (ACME) 张三 مرحبا e\u0301 🇨🇳';
    expect(cleanName(plain)).toBe(plain);
    expect(cleanText(plain)).toBe(plain);
  });

  it('keeps exactly the joiners Intl.Segmenter puts inside an emoji cluster (GB11)', () => {
    const pieces = [
      '\u200D',
      '👨',
      '👩',
      '🔥',
      '❤️',
      '🏽',
      '\uFE0F',
      'a',
      ' ',
      'e\u0301',
      '\u0301',
      '1',
      '\u20E3',
      '🇨',
    ];
    /** The oracle: a joiner survives when a pictograph follows it inside its cluster. */
    const bySegmenter = (text: string) =>
      clusters(text)
        .map((c) =>
          [...c]
            .filter(
              (ch, i, all) =>
                ch !== '\u200D' || /^\p{Extended_Pictographic}/u.test(all.slice(i + 1).join('')),
            )
            .join(''),
        )
        .join('');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(cleanText(text)).toBe(bySegmenter(text));
      }),
      { numRuns: 2000 },
    );
  });
});
