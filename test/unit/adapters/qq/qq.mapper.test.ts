import { mapEvent, renderSegments } from '../../../../adapters/qq/qq.mapper';

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
});
