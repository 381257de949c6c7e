import {
  excerptOf,
  hasWords,
  isGreeting,
  isPleasantry,
  parseTicketNumber,
  subjectOf,
  suggestCategory,
  ticketRefs,
} from '../../src/core/text';
import { cutsBetweenClusters, HARD } from '../fakes/graphemes';

describe('reading intent from text', () => {
  it.each([
    'hi',
    'Hello!',
    'hi there 👋',
    'good morning everyone',
    '在吗？',
    '你好',
    '您好 在吗',
    '各位老师好',
    '有人吗',
    'anyone there?',
  ])('%p is a greeting', (text) => {
    expect(isGreeting(text)).toBe(true);
  });
  it.each([
    '',
    'hi, the build fails',
    'hello world crashes on start',
    '在吗 构建失败了',
    '你好，升级后报错',
    'there',
    'good',
    'thanks',
  ])('%p is not a greeting', (text) => {
    expect(isGreeting(text)).toBe(false);
  });

  it.each([
    'thanks',
    'Thanks!',
    '谢谢',
    '收到',
    '好的～',
    '👍',
    'thanks 👍',
    '收到 谢谢',
    '',
    '[sticker]',
    '谢谢 [face]',
    '🙏🙏',
    '👍🏽',
    'thanks 🎉',
    '❤️',
  ])('%p is a pleasantry', (text) => {
    expect(isPleasantry(text)).toBe(true);
  });
  it.each([
    'thanks, but it still fails',
    '谢谢，还有一个问题',
    'ok so the pod crashes',
    '👍 and one more thing',
    '🔥🔥🔥💥',
    '😱',
    '👍🔥',
  ])('%p is not', (text) => {
    expect(isPleasantry(text)).toBe(false);
  });
  it('tells text with words from emoji, symbols and nothing', () => {
    expect(['the build fails', '构建失败', '42', '🔥 prod down'].map(hasWords)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['🔥🔥💥', '???', '', '👨‍👩‍👧 ❤️'].map(hasWords)).toEqual([false, false, false, false]);
  });

  it('finds ticket references, half- and full-width', () => {
    expect(ticketRefs('see #1001 and ＃1002, not a#1003 or &#91;')).toEqual([1001, 1002]);
    expect(parseTicketNumber('#42')).toBe(42);
    expect(parseTicketNumber('42')).toBe(42);
    expect(parseTicketNumber('#4x')).toBeUndefined();
  });
  it('suggests security and performance from the words, in both languages', () => {
    expect(suggestCategory('CVE-2026-1234 affects us')).toBe('security');
    expect(suggestCategory('接口性能很差')).toBe('performance');
    expect(suggestCategory('how do I configure logging?')).toBeUndefined();
  });
  it('cuts subjects on user-perceived characters, never inside an emoji', () => {
    const s = subjectOf('😀'.repeat(100), 10);
    expect(Array.from(s)).toHaveLength(10);
    expect(s.endsWith('…')).toBe(true);
    expect(subjectOf('  a\n b  ')).toBe('a b');
  });
  it.each(Object.entries(HARD))('cuts subjects and excerpts between clusters: %s', (_name, cluster) => {
    const text = `build fails ${cluster.repeat(40)}`;
    for (const max of [13, 14, 15, 20]) {
      const subject = subjectOf(text, max);
      expect(cutsBetweenClusters(text, [subject])).toBe(true);
      expect(subject).toBe(`build fails ${cluster.repeat(max - 13)}…`);
      expect(excerptOf(text, max)).toBe(subject);
    }
  });

  it('shortens long links in the subject to their host, keeps short ones', () => {
    expect(
      subjectOf('[image] https://cdn.discordapp.com/attachments/1/2/screenshot.png?ex=67&is=68&hm=abc'),
    ).toBe('[image] cdn.discordapp.com/…');
    expect(subjectOf('build fails, see https://github.com/acme/app/issues/1234#issuecomment-99 please')).toBe(
      'build fails, see github.com/… please',
    );
    expect(subjectOf('docs at https://x.io/a ok')).toBe('docs at https://x.io/a ok');
    expect(subjectOf('ftp://files.example.com/a/very/long/path/that/is/not/http')).toBe(
      'ftp://files.example.com/a/very/long/path/that/is/not/http',
    );
  });
});
