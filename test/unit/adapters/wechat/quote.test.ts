import { parseQuote, QuotedTexts } from '../../../../adapters/wechat/wechat.quote';

const LINE = '- - - - - - - - - - - - - - -';

describe('parseQuote', () => {
  it('splits a quoting message into the quoted sender, the quoted text and the reply', () => {
    expect(parseQuote(`「Alice Wang：the build fails on Node 20」\n${LINE}\nhere is the log`)).toEqual({
      name: 'Alice Wang',
      text: 'the build fails on Node 20',
      reply: 'here is the log',
    });
  });

  it('keeps multi-line quotes and replies, colons after the name, an ASCII colon and CRLF', () => {
    expect(parseQuote(`「bob:see: #1001\nline two」\r\n- - - -\r\nok: thanks\nmore`)).toEqual({
      name: 'bob',
      text: 'see: #1001\nline two',
      reply: 'ok: thanks\nmore',
    });
  });

  it('is undefined for ordinary text, brackets without the dashed line, or no sender', () => {
    expect(parseQuote('the build fails')).toBeUndefined();
    expect(parseQuote('「Alice：hello」 and then')).toBeUndefined();
    expect(parseQuote(`「hello」\n${LINE}\nreply`)).toBeUndefined();
    expect(parseQuote(`「：hello」\n${LINE}\nreply`)).toBeUndefined();
    expect(parseQuote(`text 「Alice：hello」\n${LINE}\nreply`)).toBeUndefined();
  });

  it('gives an empty reply when nothing is written under the quote', () => {
    expect(parseQuote(`「Alice：hello」\n${LINE}\n`)?.reply).toBe('');
  });
});

describe('QuotedTexts', () => {
  it('finds the latest message of the room with that text, whatever the spacing', () => {
    const texts = new QuotedTexts(10);
    texts.remember('room1', '@DeskBot\u2005the build  fails', 'm1');
    texts.remember('room2', '@DeskBot the build fails', 'm2');
    expect(texts.find('room1', '@DeskBot the build fails')).toBe('m1');
    expect(texts.find('room2', '@DeskBot\u2005the build fails ')).toBe('m2');
    expect(texts.find('room3', '@DeskBot the build fails')).toBeUndefined();
    texts.remember('room1', '@DeskBot the build fails', 'm3');
    expect(texts.find('room1', '@DeskBot the build fails')).toBe('m3');
  });

  it('forgets the oldest beyond its capacity', () => {
    const texts = new QuotedTexts(2);
    texts.remember('r', 'a', '1');
    texts.remember('r', 'b', '2');
    texts.remember('r', 'c', '3');
    expect([texts.find('r', 'a'), texts.find('r', 'b'), texts.find('r', 'c')]).toEqual([undefined, '2', '3']);
    expect(() => new QuotedTexts(0)).toThrow(RangeError);
  });
});
