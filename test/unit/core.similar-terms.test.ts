import { rankSimilar, similarTerms } from '../../src/core/search';

describe('similar terms', () => {
  it('keeps the longest words, cut to six characters, without common words; at most three', () => {
    expect(similarTerms('The build fails on Node 20 with ERR_REQUIRE_ESM')).toEqual([
      'err_re',
      'build',
      'fails',
    ]);
    expect(similarTerms('why is it so')).toEqual([]);
  });

  it('slices Chinese runs into three-character terms', () => {
    expect(similarTerms('导出 PDF 时最后一页被截断')).toEqual(['时最后', '一页被', 'pdf']);
  });

  it('ranks each ticket by its best text, by terms shared, then newest', () => {
    const hits = [
      { number: 7, snippet: 'login only' },
      { number: 5, snippet: 'SSO login loop' },
      { number: 7, snippet: 'login loop' },
      { number: 9, snippet: 'loop' },
    ];
    expect(rankSimilar(hits, ['sso', 'login', 'loop'], 2).map((h) => h.number)).toEqual([5, 7]);
    expect(rankSimilar(hits, ['sso', 'login', 'loop'], 3).map((h) => h.snippet)).toEqual([
      'SSO login loop',
      'login loop',
      'loop',
    ]);
  });
});
