import {
  buildSegments,
  parseCqString,
  parseMessage,
  unescapeCq,
} from '../../../../adapters/qq/onebot.message';

describe('OneBot message codec', () => {
  test('unescapes CQ entities in one pass', () => {
    expect(unescapeCq('a &amp; b &#91;c&#93; d&#44;e')).toBe('a & b [c] d,e');
    // An escaped ampersand followed by "#91;" is the literal text "&#91;", not a bracket.
    expect(unescapeCq('&amp;#91;')).toBe('&#91;');
    expect(unescapeCq('&lt; &#92;')).toBe('&lt; &#92;');
  });

  test('parses CQ codes with escaped parameters between text', () => {
    expect(
      parseCqString('[CQ:reply,id=-5]hi [CQ:at,qq=123,name=a&#44;b&#93;] &#91;x&#93;[CQ:face,id=1]'),
    ).toEqual([
      { type: 'reply', data: { id: '-5' } },
      { type: 'text', data: { text: 'hi ' } },
      { type: 'at', data: { qq: '123', name: 'a,b]' } },
      { type: 'text', data: { text: ' [x]' } },
      { type: 'face', data: { id: '1' } },
    ]);
    expect(parseCqString('[CQ:shake]')).toEqual([{ type: 'shake', data: {} }]);
    expect(parseCqString('')).toEqual([]);
  });

  test('normalises array segments and skips junk items', () => {
    expect(
      parseMessage([
        { type: 'at', data: { qq: 123 } },
        null,
        'text',
        { data: {} },
        { type: 'text', data: { text: '&amp;', nested: { no: 1 } } },
        { type: 'image' },
      ]),
    ).toEqual([
      { type: 'at', data: { qq: '123' } },
      { type: 'text', data: { text: '&amp;' } },
      { type: 'image', data: {} },
    ]);
    expect(parseMessage(42)).toEqual([]);
  });

  test('builds reply, at and text segments; text is never interpreted; @all is refused', () => {
    expect(
      buildSegments({ text: '[CQ:at,qq=all]', mentionIds: ['1', 'all'], replyToMessageId: '9' }),
    ).toEqual([
      { type: 'reply', data: { id: '9' } },
      { type: 'at', data: { qq: '1' } },
      { type: 'text', data: { text: ' [CQ:at,qq=all]' } },
    ]);
    expect(buildSegments({ text: '' })).toEqual([{ type: 'text', data: { text: '' } }]);
  });
});
