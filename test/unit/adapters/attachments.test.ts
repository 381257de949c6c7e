import {
  attachmentKey,
  attachmentLine,
  attachmentName,
  httpUrl,
  MAX_KEY,
  MAX_NAME,
  TAG,
  withAttachments,
} from '../../../adapters/attachments';

describe('attachment lines', () => {
  test('a line is the tag, then the name and the URL when there are', () => {
    expect(attachmentLine(TAG.image)).toBe('[image]');
    expect(attachmentLine(TAG.file, { name: 'report.log', url: 'https://x.io/f' })).toBe(
      '[file] report.log https://x.io/f',
    );
    expect(attachmentLine(TAG.video, { name: undefined, url: 'https://x.io/v' })).toBe(
      '[video] https://x.io/v',
    );
  });

  test('a key stands between the name and the URL, and only a key-shaped word passes', () => {
    expect(attachmentLine(TAG.file, { name: 'a.log', key: 'file_v3_1', url: 'https://x.io/f' })).toBe(
      '[file] a.log file_v3_1 https://x.io/f',
    );
    expect(attachmentKey(' img_v2_041b28e3-5680-48c2 ')).toBe('img_v2_041b28e3-5680-48c2');
    expect(attachmentKey('mIofN681YE3f/+m+NntqpT8=')).toBe('mIofN681YE3f/+m+NntqpT8=');
    for (const bad of ['', 'two words', 'a\nb', '<b>', '@_all', 'k'.repeat(MAX_KEY + 1), 7, null, undefined])
      expect(attachmentKey(bad)).toBeUndefined();
    expect(attachmentKey('k'.repeat(MAX_KEY))).toHaveLength(MAX_KEY);
  });

  test('lines follow the text; a file alone is its lines; more than the cap become … +N', () => {
    expect(withAttachments('look', ['[image] https://a'])).toBe('look\n[image] https://a');
    expect(withAttachments('', ['[file]'])).toBe('[file]');
    expect(withAttachments('plain', [])).toBe('plain');
    const many = Array.from({ length: 13 }, (_, i) => `[image] https://x.io/${i}`);
    const lines = withAttachments('q', many).split('\n');
    expect(lines).toHaveLength(1 + 10 + 1);
    expect(lines.at(-2)).toBe('[image] https://x.io/9');
    expect(lines.at(-1)).toBe('… +3');
  });

  test('only http(s) URLs pass, normalised to one line', () => {
    expect(httpUrl('https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=a&rkey=b')).toBe(
      'https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=a&rkey=b',
    );
    expect(httpUrl(' HTTP://Example.com/a b<c>\n')).toBe('http://example.com/a%20b%3Cc%3E');
    for (const bad of [
      'file:///etc/passwd',
      'base64://iVBORw0KGgo=',
      'javascript:alert(1)',
      '/tmp/x.png',
      'https//missing-colon',
      'https://',
      `https://x.io/${'a'.repeat(3000)}`,
      '',
      undefined,
      null,
    ]) {
      expect(httpUrl(bad)).toBeUndefined();
    }
  });

  test('names are one line and short', () => {
    expect(attachmentName('  crash\n\r\t log\u2028.txt ')).toBe('crash log .txt');
    expect(attachmentName('\n \u0000')).toBeUndefined();
    expect(attachmentName(undefined)).toBeUndefined();
    const long = attachmentName('x'.repeat(500))!;
    expect(long).toHaveLength(MAX_NAME);
    expect(long.endsWith('…')).toBe(true);
    // Cutting never leaves half an emoji behind.
    const emoji = attachmentName(`${'a'.repeat(MAX_NAME - 2)}😀😀`)!;
    expect(emoji).toBe(`${'a'.repeat(MAX_NAME - 2)}…`);
  });
});
