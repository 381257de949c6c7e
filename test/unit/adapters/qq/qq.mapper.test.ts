import type { Segment } from '../../../../adapters/qq/onebot.message';
import { mapEvent, renderSegments } from '../../../../adapters/qq/qq.mapper';
import { toCqString } from '../../../fakes/onebot-peer';

const base = {
  post_type: 'message',
  message_type: 'group',
  self_id: 1,
  message_id: 2,
  user_id: 3,
  group_id: 4,
};

describe('QQ mapper', () => {
  test('a leading @bot is dropped from the text; a later one reads as @nickname', () => {
    const at = { type: 'at', data: { qq: '1' } };
    const text = (t: string) => ({ type: 'text', data: { text: t } });
    const desk = { isBot: (qq: string) => qq === '1', nameOf: () => 'Desk' };
    expect(renderSegments([at, text(' /status #12')], desk).text).toBe('/status #12');
    expect(renderSegments([text('ask '), at, text(' please')], desk)).toEqual({
      text: 'ask @Desk please',
      mentions: [],
      mentionsSelf: true,
    });
  });

  test('the bot echoing itself, requests and other notices are ignored; wrong shapes are invalid', () => {
    expect(mapEvent({ ...base, user_id: 1, message: 'x' }).kind).toBe('ignored');
    expect(mapEvent({ post_type: 'request', request_type: 'friend' }).kind).toBe('ignored');
    expect(mapEvent({ post_type: 'notice', notice_type: 'group_recall' }).kind).toBe('ignored');
    expect(mapEvent({ ...base, message: 'x', group_id: undefined }).kind).toBe('invalid');
    expect(mapEvent({ ...base, message: { text: 'x' } }).kind).toBe('invalid');
    expect(mapEvent({ ...base, message: 'x', message_id: 1.5 }).kind).toBe('invalid');
    expect(mapEvent({ post_type: 42 }).kind).toBe('invalid');
  });

  test('heartbeats report explicit offline only; lifecycle carries its sub type', () => {
    const beat = { post_type: 'meta_event', meta_event_type: 'heartbeat', self_id: 1, interval: 30000 };
    expect(mapEvent(beat)).toEqual({ kind: 'heartbeat', selfId: '1', online: true, good: true });
    expect(mapEvent({ ...beat, status: { online: false, good: true } })).toMatchObject({ online: false });
    expect(
      mapEvent({ post_type: 'meta_event', meta_event_type: 'lifecycle', self_id: 1, sub_type: 'connect' }),
    ).toEqual({ kind: 'lifecycle', selfId: '1', subType: 'connect' });
  });

  test('ids given as numeric strings are accepted', () => {
    const mapped = mapEvent({ ...base, self_id: '1', message_id: '-77', group_id: '4', message: 'hi' });
    expect(mapped).toMatchObject({ kind: 'message', message: { messageId: '-77', chatId: '4', text: 'hi' } });
  });

  test("the desk's other accounts: an @ of one addresses the desk, a message by one is the desk's own", () => {
    const own = { isOwnAccount: (qq: string) => qq === '9' };
    const group = { ...base, time: 100 };
    expect(mapEvent({ ...group, user_id: 9, message: 'Ticket #1001 is open' }, own).kind).toBe('ignored');
    expect(mapEvent({ ...group, user_id: 9, message: 'hi' }).kind).toBe('message');
    expect(mapEvent({ ...group, message: '[CQ:at,qq=9][CQ:at,qq=1] help' }, own)).toMatchObject({
      message: { addressed: true, text: 'help', mentions: [] },
    });
  });

  test('copyKey: the same for every account and message id, different for other content or times', () => {
    const key = (event: Record<string, unknown>) => {
      const mapped = mapEvent({ ...base, time: 100, message: '[CQ:at,qq=1] help', ...event });
      return mapped.kind === 'message' ? mapped.copyKey : 'not a message';
    };
    const first = key({});
    expect(first).toEqual(expect.any(String));
    expect(key({ self_id: 8, message_id: 99, message: '[CQ:reply,id=5][CQ:at,qq=1] help' })).toBe(first);
    expect(
      key({
        message: [
          { type: 'at', data: { qq: '1', name: 'Desk' } },
          { type: 'text', data: { text: ' help' } },
        ],
      }),
    ).toBe(first);
    expect(key({ time: 101 })).not.toBe(first);
    expect(key({ user_id: 4 })).not.toBe(first);
    expect(key({ message: '[CQ:at,qq=1] help!' })).not.toBe(first);
    expect(key({ time: undefined })).toBeUndefined();
    expect(key({ message_type: 'private', group_id: undefined })).toBeUndefined();
  });

  describe('media', () => {
    const QQ_IMAGE = 'https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=EhT&rkey=CAQ';
    const textOf = (message: unknown, context = {}) => {
      const mapped = mapEvent({ ...base, time: 100, message }, context);
      return mapped.kind === 'message' ? mapped.message.text : `not a message: ${mapped.kind}`;
    };

    test('each image, file, video and voice becomes a line after the text, with its http(s) url', () => {
      const segments = [
        { type: 'text', data: { text: 'the log ' } },
        { type: 'image', data: { file: 'abc.image', url: QQ_IMAGE } },
        { type: 'text', data: { text: 'and a face ' } },
        { type: 'face', data: { id: '1' } },
        {
          type: 'file',
          data: { file: 'build log.txt', file_id: '/f1', file_size: 12, url: 'http://x.io/f?a=1' },
        },
        { type: 'video', data: { file: 'v.mp4', url: 'https://x.io/v.mp4' } },
        { type: 'record', data: { file: 'r.amr' } },
      ];
      const expected = [
        'the log and a face [face]',
        `[image] ${QQ_IMAGE}`,
        '[file] build log.txt http://x.io/f?a=1',
        '[video] https://x.io/v.mp4',
        '[voice]',
      ].join('\n');
      expect(textOf(segments)).toBe(expected);
      // The CQ-string format carries the same segments, escaped: the same text comes out.
      expect(textOf(toCqString(segments.map(stringData)))).toBe(expected);
      // An image alone is a message of its own (a follow-up, or a request when @bot comes with it).
      expect(textOf([{ type: 'image', data: { url: QQ_IMAGE } }])).toBe(`[image] ${QQ_IMAGE}`);
    });

    test('only http(s) urls are kept; a file name is never a path or a payload', () => {
      expect(
        textOf([
          { type: 'image', data: { file: 'file:///C:/QQ/a.png', url: 'file:///C:/QQ/a.png' } },
          { type: 'image', data: { url: 'base64://iVBORw0KGgo=' } },
          { type: 'record', data: { url: 'javascript:alert(1)' } },
          { type: 'file', data: { file: 'base64://iVBORw0KGgo=', url: 'ftp://x.io/a' } },
          { type: 'file', data: { name: 'C:\\Users\\a.log', file: '/tmp/a.log' } },
          { type: 'file', data: { name: 'a\nb.log' } },
        ]),
      ).toBe('[image]\n[image]\n[voice]\n[file]\n[file]\n[file] a b.log');
    });

    test('a file named like a CQ code is text, in both formats', () => {
      const file = { type: 'file', data: { file: '[CQ:at,qq=all].log' } };
      expect(textOf([file])).toBe('[file] [CQ:at,qq=all].log');
      expect(textOf(toCqString([file]))).toBe('[file] [CQ:at,qq=all].log');
      expect(mapEvent({ ...base, message: toCqString([file]) })).toMatchObject({
        message: { mentions: [], addressed: false },
      });
    });

    test('more than ten are listed as … +N', () => {
      const images = Array.from({ length: 14 }, (_, i) => ({
        type: 'image',
        data: { url: `https://x.io/${i}` },
      }));
      const lines = textOf(images).split('\n');
      expect(lines).toHaveLength(11);
      expect(lines[10]).toBe('… +4');
    });

    test('copyKey ignores media urls and names: two accounts with their own download links match', () => {
      const key = (url: string) => {
        const mapped = mapEvent({ ...base, time: 100, message: [{ type: 'image', data: { url } }] });
        return mapped.kind === 'message' ? mapped.copyKey : undefined;
      };
      expect(key('https://x.io/a?rkey=one')).toBe(key('https://x.io/a?rkey=two'));
      expect(key('https://x.io/a')).toBe(JSON.stringify(['4', '3', 100, '[image]']));
    });
  });
});

function stringData(segment: { type: string; data: Record<string, unknown> }): Segment {
  return {
    type: segment.type,
    data: Object.fromEntries(Object.entries(segment.data).map(([k, v]) => [k, String(v)])),
  };
}
