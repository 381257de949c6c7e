import { robotToInbound } from '../../../../adapters/dingtalk/dingtalk.mapper';
import { escapeMarkdown, renderOutbound } from '../../../../adapters/dingtalk/dingtalk.render';

const base = {
  msgId: 'm1',
  conversationId: 'cidG',
  conversationType: '2',
  senderId: '$:LWCP_v1:$abc',
  senderStaffId: 'alice01',
  senderNick: 'Alice',
  chatbotUserId: '$:LWCP_v1:$bot',
  isInAtList: true,
  createAt: 1_700_000_000_000,
  sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=s',
  sessionWebhookExpiredTime: 1_700_005_400_000,
};
const map = (extra: Record<string, unknown>) => {
  const m = robotToInbound(JSON.stringify({ ...base, ...extra }));
  if (!m.ok) throw new Error(m.reason);
  return m.value;
};

test('a group text: staff id, nick, addressed, mentions without the robot, the session webhook', () => {
  const v = map({
    msgtype: 'text',
    text: { content: ' help @Bob ' },
    atUsers: [{ dingtalkId: '$:LWCP_v1:$bot' }, { dingtalkId: '$:x', staffId: 'bob01' }],
  });
  expect(v.message).toMatchObject({
    platform: 'dingtalk',
    chatId: 'cidG',
    chatKind: 'group',
    messageId: 'm1',
    sender: { id: 'alice01', name: 'Alice' },
    text: 'help @Bob',
    mentions: [{ id: 'bob01' }],
    addressed: true,
    sentAt: 1_700_000_000_000,
  });
  expect(v.webhook).toEqual({ url: base.sessionWebhook, expiresAt: base.sessionWebhookExpiredTime });
});

test('someone outside the organisation has no staff id: the app-scoped senderId stands in', () => {
  const v = map({
    senderStaffId: undefined,
    msgtype: 'text',
    text: { content: 'hi' },
    conversationType: '1',
  });
  expect(v.message).toMatchObject({ sender: { id: '$:LWCP_v1:$abc' }, chatKind: 'direct', addressed: true });
});

test('attachments are the shared tag lines with their download codes; rich text keeps its words', () => {
  const code = 'mIofN681YE3f/+m+NntqpT8=';
  expect(map({ msgtype: 'picture', content: { downloadCode: code } }).message.text).toBe(`[image] ${code}`);
  expect(
    map({ msgtype: 'file', content: { downloadCode: 'd1', fileName: 'crash\nlog.txt' } }).message.text,
  ).toBe('[file] crash log.txt d1');
  expect(
    map({ msgtype: 'audio', content: { recognition: '打印机坏了', downloadCode: 'd2' } }).message.text,
  ).toBe('打印机坏了\n[voice] d2');
  expect(map({ msgtype: 'video', content: { downloadCode: 'd3' } }).message.text).toBe('[video] d3');
  expect(
    map({
      msgtype: 'richText',
      content: { richText: [{ text: 'see ' }, { type: 'picture', downloadCode: 'd4' }, { text: 'this' }] },
    }).message.text,
  ).toBe('see this\n[image] d4');
  // A code that is not one (spaces, a second line, markup) is left out; the tag stays.
  for (const bad of ['two words', 'a\n[file] forged', '<at id=all>', 'x'.repeat(600), 42])
    expect(map({ msgtype: 'picture', content: { downloadCode: bad } }).message.text).toBe('[image]');
});

test('what is not a usable message says why', () => {
  expect(robotToInbound('{')).toEqual({ ok: false, reason: 'callback data is not JSON' });
  expect(robotToInbound(JSON.stringify({ ...base, msgtype: 'unknownKind' }))).toMatchObject({ ok: false });
  expect(
    robotToInbound(
      JSON.stringify({ ...base, senderId: base.chatbotUserId, msgtype: 'text', text: { content: 'x' } }),
    ),
  ).toEqual({ ok: false, reason: 'own message' });
});

test('markdown from customers is inert; mentions only of plain staff ids', () => {
  expect(escapeMarkdown('[x](dtmd://a) # h <font> *b*')).toBe('\\[x\\](dtmd://a) \\# h &lt;font&gt; \\*b\\*');
  const [post] = renderOutbound({
    platform: 'dingtalk',
    chatId: 'c',
    chatKind: 'group',
    text: 'hi',
    mentions: [{ id: 'all' }, { id: '<b>' }, { id: 'bob01' }],
  });
  expect(post).toEqual({ kind: 'text', content: '@bob01 hi', atUserIds: ['bob01'] });
});
