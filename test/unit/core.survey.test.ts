import type { TicketEvent } from '../../src/core/model';
import { COMMENT_MS, parseScore, summariseBy, surveyOf, surveyPhase } from '../../src/core/survey';

const at = (kind: TicketEvent['kind'], t: number, to?: string): TicketEvent => ({
  ticketNumber: 1,
  at: t,
  kind,
  actorId: 'a',
  ...(to ? { to } : {}),
});

describe('survey rules', () => {
  it('reads only a bare score: 1–5 (full-width too), 👍 and 👎', () => {
    expect(['1', ' 5 ', '３', '👍', '👍🏽', '👎'].map(parseScore)).toEqual([1, 5, 3, 5, 5, 1]);
    expect(['0', '6', '3.2.1', '5 stars', '45', '', '🎉'].map(parseScore)).toEqual(Array(7).fill(undefined));
  });

  it('is open until the window ends, takes a comment for a few minutes, then is done', () => {
    const sent = [at('survey_sent', 0)];
    expect(surveyPhase(surveyOf([]), 10, 100)).toBe('none');
    expect(surveyPhase(surveyOf(sent), 100, 100)).toBe('open');
    expect(surveyPhase(surveyOf(sent), 101, 100)).toBe('expired');
    const rated = [...sent, at('rating', 50, '4')];
    expect(surveyPhase(surveyOf(rated), 50 + COMMENT_MS, 100)).toBe('comment');
    expect(surveyPhase(surveyOf(rated), 51 + COMMENT_MS, 100)).toBe('rated');
    expect(surveyPhase(surveyOf([...rated, at('rating_comment', 60)]), 60, 100)).toBe('rated');
  });

  it('summarises per group, best first', () => {
    const rows = [
      { k: 'a', s: 2 },
      { k: 'b', s: 5 },
      { k: 'a', s: 5 },
    ];
    expect([
      ...summariseBy(
        rows,
        (r) => r.s,
        (r) => r.k,
      ),
    ]).toEqual([
      ['b', { count: 1, average: 5, low: 0 }],
      ['a', { count: 2, average: 3.5, low: 1 }],
    ]);
  });
});
