import { OneBotTimeoutError } from '../../../adapters/qq/onebot.connection';
import { QqAdapter, type QqAdapterOptions } from '../../../adapters/qq/qq.adapter';
import type { InboundMessage } from '../../../src/core/chat';
import { ReversePeer, type Segment } from '../../fakes/onebot-peer';
import { RecordingHost } from '../../fakes/recording-host';
import { Cleanup, deferred, qqConfig, recordingLogger, TOKEN } from './helpers';

const SELF = '10001';
const GROUP = 100200300;
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function startReverse(
  env: Record<string, string> = {},
  hostOptions: ConstructorParameters<typeof RecordingHost>[0] = {},
  options: QqAdapterOptions = {},
) {
  const logger = recordingLogger();
  const adapter = new QqAdapter(qqConfig(env), { log: logger.log, retryDelaysMs: [10, 20], ...options });
  const host = new RecordingHost(hostOptions);
  await adapter.start(host);
  cleanup.add(adapter, (a) => a.stop());
  const url = `ws://127.0.0.1:${adapter.port}/onebot/v11/ws`;
  const dial = async (selfId = SELF, extra: Partial<Parameters<typeof ReversePeer.dial>[1]> = {}) => {
    const peer = cleanup.add(await ReversePeer.dial(url, { selfId, token: TOKEN, ...extra }), (p) =>
      p.close(),
    );
    await adapter.whenConnected(selfId);
    return peer;
  };
  return { adapter, host, url, dial, lines: logger.lines };
}

// One message as a customer would send it: a quote, @bot, text with markup-like characters,
// @bob by name, @someone without name, and @all (which must not count as a mention).
const RICH: Segment[] = [
  { type: 'reply', data: { id: '42' } },
  { type: 'at', data: { qq: SELF } },
  { type: 'text', data: { text: ' hello ' } },
  { type: 'at', data: { qq: '555002', name: 'bob' } },
  { type: 'text', data: { text: ', see a&b [CQ:at,qq=all] &amp; &#91; ' } },
  { type: 'at', data: { qq: '555003' } },
  { type: 'at', data: { qq: 'all' } },
  { type: 'image', data: { file: 'a.png', url: 'http://example.invalid/a.png' } },
];

const EXPECTED: Omit<InboundMessage, 'messageId'> = {
  platform: 'qq',
  account: SELF,
  chatId: String(GROUP),
  chatKind: 'group',
  sender: { id: '555001', name: 'Alice (ACME)' },
  text: 'hello @bob, see a&b [CQ:at,qq=all] &amp; &#91; @555003@all\n[image] http://example.invalid/a.png',
  mentions: [{ id: '555002', name: 'bob' }, { id: '555003' }],
  addressed: true,
  quotedMessageId: '42',
  sentAt: 1_767_225_600_000,
};

describe('QQ adapter, reverse WebSocket (OneBot client dials in)', () => {
  test('array and CQ-string group messages map to the same normalised message', async () => {
    const { host, dial } = await startReverse();
    const peer = await dial();
    expect(peer.received('get_login_info')).toHaveLength(1);
    peer.push(peer.groupMessage({ messageId: 7001, segments: RICH, format: 'array', card: 'Alice (ACME)' }));
    peer.push(peer.groupMessage({ messageId: 7002, segments: RICH, format: 'string', card: 'Alice (ACME)' }));
    await host.waitForMessages(2);
    expect(host.received[0]).toEqual({ ...EXPECTED, messageId: '7001' });
    expect(host.received[1]).toEqual({ ...EXPECTED, messageId: '7002' });
  });

  test('nickname stands in for an empty card; a group message without @bot is not addressed; DMs are', async () => {
    const { host, dial } = await startReverse();
    const peer = await dial();
    peer.push(peer.groupMessage({ messageId: 1, segments: [{ type: 'text', data: { text: 'hi all' } }] }));
    peer.push({
      post_type: 'message',
      message_type: 'private',
      self_id: Number(SELF),
      message_id: 2,
      user_id: 555009,
      message: 'status &#91;#1024&#93;',
      sender: { nickname: 'carol' },
    });
    await host.waitForMessages(2);
    expect(host.received[0]).toMatchObject({ sender: { id: '555001', name: 'alice' }, addressed: false });
    expect(host.received[1]).toMatchObject({
      chatKind: 'direct',
      chatId: '555009',
      addressed: true,
      text: 'status [#1024]',
      sender: { id: '555009', name: 'carol' },
    });
  });

  test('malformed frames are logged and dropped; membership notices reach the host', async () => {
    const { host, dial, lines } = await startReverse();
    const peer = await dial();
    peer.pushRaw('{not json');
    peer.pushRaw('[1,2,3]');
    peer.push({ post_type: 'message', message_type: 'group', self_id: Number(SELF), message_id: 'x' });
    peer.push({ post_type: 'surprise' });
    peer.push({
      post_type: 'notice',
      notice_type: 'group_increase',
      self_id: 10001,
      group_id: GROUP,
      user_id: 7,
    });
    peer.push({
      post_type: 'notice',
      notice_type: 'group_decrease',
      self_id: 10001,
      group_id: GROUP,
      user_id: 8,
    });
    peer.push({
      post_type: 'meta_event',
      meta_event_type: 'heartbeat',
      self_id: 10001,
      status: { online: true },
    });
    peer.push(
      peer.groupMessage({ messageId: 3, segments: [{ type: 'text', data: { text: 'still here' } }] }),
    );
    await host.waitForMessages(1);
    expect(host.received.map((m) => m.text)).toEqual(['still here']);
    expect(host.membership).toEqual([
      { platform: 'qq', chatId: String(GROUP), user: { id: '7' }, change: 'joined' },
      { platform: 'qq', chatId: String(GROUP), user: { id: '8' }, change: 'left' },
    ]);
    const warnings = lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'dropped a OneBot frame that is not JSON',
        'dropped a OneBot frame that is not an object',
        'dropped a malformed OneBot event',
      ]),
    );
    expect(warnings.filter((w) => w === 'dropped a malformed OneBot event')).toHaveLength(2);
  });

  test('a wrong or missing token is refused with 401 and nothing it sends is delivered', async () => {
    const { host, url, dial, lines } = await startReverse();
    await expect(ReversePeer.dial(url, { selfId: SELF, token: 'wrong' })).rejects.toThrow(/401/);
    await expect(ReversePeer.dial(url, { selfId: SELF, token: `${TOKEN}x` })).rejects.toThrow(/401/);
    await expect(ReversePeer.dial(url, { selfId: SELF, tokenIn: 'none' })).rejects.toThrow(/401/);
    await expect(ReversePeer.dial(url, { selfId: SELF, token: 'wrong', tokenIn: 'query' })).rejects.toThrow(
      /401/,
    );
    await expect(ReversePeer.dial(url, { selfId: '', token: TOKEN })).rejects.toThrow(/400/);
    expect(lines.filter((l) => l.message === 'refused a OneBot connection')).toHaveLength(5);

    // The same adapter still serves a client with the right token, here in the query string.
    const peer = await dial(SELF, { tokenIn: 'query' });
    peer.push(peer.groupMessage({ messageId: 11, segments: [{ type: 'text', data: { text: 'let in' } }] }));
    await host.waitForMessages(1);
    expect(host.received.map((m) => m.text)).toEqual(['let in']);
  });

  test('customer text that looks like [CQ:at,qq=all] goes back as a text segment, never as markup', async () => {
    let adapter: QqAdapter | undefined;
    const { adapter: started, dial } = await startReverse(
      {},
      {
        onMessage: async (m) => {
          await adapter?.send({
            platform: 'qq',
            ...(m.account === undefined ? {} : { account: m.account }),
            chatId: m.chatId,
            chatKind: m.chatKind,
            text: `echo: ${m.text}`,
            mentions: [m.sender],
            replyToMessageId: m.messageId,
          });
        },
      },
    );
    adapter = started;
    const peer = await dial();
    // The client escapes the customer's brackets in string format; the adapter must not let them back in.
    const typed = [{ type: 'text', data: { text: '[CQ:at,qq=all] [CQ:face,id=1] &#91;x&#93;' } }];
    peer.push(peer.groupMessage({ messageId: 7002, segments: typed, format: 'string' }));
    const [sent] = await peer.waitForRequests('send_group_msg', 1);
    expect(sent?.params).toEqual({
      group_id: GROUP,
      message: [
        { type: 'reply', data: { id: '7002' } },
        { type: 'at', data: { qq: '555001' } },
        { type: 'text', data: { text: ' echo: [CQ:at,qq=all] [CQ:face,id=1] &#91;x&#93;' } },
      ],
    });
  });

  test('two concurrent sends are matched to their answers by echo, even answered out of order', async () => {
    const { adapter, dial } = await startReverse();
    const peer = await dial();
    const firstHeld = deferred();
    const answered: number[] = [];
    peer.onAction('send_group_msg', async (request) => {
      const group = Number(request.params.group_id);
      if (peer.received('send_group_msg').length === 1) await firstHeld.promise;
      else setImmediate(firstHeld.resolve);
      answered.push(group);
      return { data: { message_id: group + 1 } };
    });
    const send = (group: number) =>
      adapter.send({ platform: 'qq', chatId: String(group), chatKind: 'group', text: `to ${group}` });
    const [a, b] = await Promise.all([send(111), send(222)]);
    expect(answered).toEqual([222, 111]);
    expect(a).toEqual({ messageId: '112' });
    expect(b).toEqual({ messageId: '223' });
    const echoes = peer.received('send_group_msg').map((r) => r.echo);
    expect(new Set(echoes).size).toBe(2);
  });

  test('an unanswered action times out cleanly, is not retried, and the connection stays usable', async () => {
    const { adapter, dial } = await startReverse({ ONEBOT_ACTION_TIMEOUT_MS: '300' });
    const peer = await dial();
    peer.onAction('send_group_msg', () => 'no-answer');
    const message = { platform: 'qq', chatId: String(GROUP), chatKind: 'group', text: 'anyone?' } as const;
    await expect(adapter.send(message)).rejects.toBeInstanceOf(OneBotTimeoutError);
    expect(peer.received('send_group_msg')).toHaveLength(1);
    peer.onAction('send_group_msg', () => ({ data: { message_id: 5 } }));
    await expect(adapter.send(message)).resolves.toEqual({ messageId: '5' });
  });

  test('a failed action is retried and a refused one is not', async () => {
    const { adapter, dial } = await startReverse();
    const peer = await dial();
    let calls = 0;
    peer.onAction('send_group_msg', () =>
      ++calls === 1 ? { status: 'failed', retcode: 103, message: 'busy' } : { data: { message_id: 77 } },
    );
    const message = { platform: 'qq', chatId: String(GROUP), chatKind: 'group', text: 'try again' } as const;
    await expect(adapter.send(message)).resolves.toEqual({ messageId: '77' });
    expect(peer.received('send_group_msg')).toHaveLength(2);
    peer.onAction('send_group_msg', () => ({ status: 'failed', retcode: 100, message: 'bad params' }));
    await expect(adapter.send(message)).rejects.toThrow(/retcode 100/);
    expect(peer.received('send_group_msg')).toHaveLength(3);
  });

  test('a redelivered message is handed to the host once', async () => {
    const { host, dial } = await startReverse();
    const peer = await dial();
    const event = peer.groupMessage({ messageId: 31, segments: [{ type: 'text', data: { text: 'once' } }] });
    peer.push(event);
    peer.push(event);
    peer.push(peer.groupMessage({ messageId: 32, segments: [{ type: 'text', data: { text: 'twice' } }] }));
    await host.waitForMessages(2);
    expect(host.received.map((m) => m.messageId)).toEqual(['31', '32']);
  });

  test('two accounts connected at once: each message carries its account and sends go to the right one', async () => {
    const { adapter, host, dial } = await startReverse();
    const one = await dial('10001');
    const two = await dial('20002');
    expect(adapter.connectedAccounts()).toEqual(['10001', '20002']);
    // The same message id under two accounts is two different messages.
    two.push(two.groupMessage({ messageId: 50, segments: [{ type: 'text', data: { text: 'from two' } }] }));
    await host.waitForMessages(1);
    one.push(one.groupMessage({ messageId: 50, segments: [{ type: 'text', data: { text: 'from one' } }] }));
    await host.waitForMessages(2);
    expect(host.received.map((m) => [m.account, m.text])).toEqual([
      ['20002', 'from two'],
      ['10001', 'from one'],
    ]);
    const send = (account: string) =>
      adapter.send({
        platform: 'qq',
        account,
        chatId: String(GROUP),
        chatKind: 'group',
        text: `via ${account}`,
      });
    await send('20002');
    await send('10001');
    expect(two.received('send_group_msg').map((r) => r.params.message)).toEqual([
      [{ type: 'text', data: { text: 'via 20002' } }],
    ]);
    expect(one.received('send_group_msg').map((r) => r.params.message)).toEqual([
      [{ type: 'text', data: { text: 'via 10001' } }],
    ]);
  });

  test('a reconnection of the same account replaces the old socket', async () => {
    const { adapter, host, dial } = await startReverse();
    const old = await dial(SELF);
    const fresh = await ReversePeer.dial(`ws://127.0.0.1:${adapter.port}/`, { selfId: SELF, token: TOKEN });
    cleanup.add(fresh, (p) => p.close());
    expect(await old.waitClosed()).toEqual({ code: 4000, reason: 'replaced by a newer connection' });
    await adapter.send({
      platform: 'qq',
      account: SELF,
      chatId: String(GROUP),
      chatKind: 'group',
      text: 'new',
    });
    expect(fresh.received('send_group_msg')).toHaveLength(1);
    expect(old.received('send_group_msg')).toHaveLength(0);
    expect(host.health.map((h) => h.state)).toEqual(['up', 'up']);
  });

  test('long text is split into spaced parts; only the first quotes and mentions', async () => {
    const { adapter, dial } = await startReverse({ ONEBOT_SEND_INTERVAL_MS: '200' });
    const peer = await dial();
    const arrivals: number[] = [];
    peer.onAction('send_group_msg', () => {
      arrivals.push(Date.now());
      return { data: { message_id: 1000 + arrivals.length } };
    });
    // Six paragraphs of 699 characters: two fit in one 1,500-character part, so three parts.
    const paragraph = `${'word '.repeat(139)}end.`;
    const text = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    const sent = await adapter.send({
      platform: 'qq',
      chatId: String(GROUP),
      chatKind: 'group',
      text,
      mentions: [{ id: '555001', name: 'alice' }],
      replyToMessageId: '9',
    });
    expect(sent).toEqual({ messageId: '1001' });
    const parts = peer
      .received('send_group_msg')
      .map((r) => r.params.message as Array<{ type: string; data: Record<string, string> }>);
    expect(parts.length).toBe(3);
    expect(parts[0]?.map((s) => s.type)).toEqual(['reply', 'at', 'text']);
    expect(parts.slice(1).map((p) => p.map((s) => s.type))).toEqual([['text'], ['text']]);
    const texts = parts.map((p) => (p.at(-1)?.data.text ?? '').trim());
    expect(texts.join('\n\n')).toBe(text);
    // Starts are 200 ms apart; arrival times at the peer add loopback jitter, hence the margin.
    for (let i = 1; i < arrivals.length; i++) {
      expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(150);
    }
  });
});
