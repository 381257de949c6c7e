import { QqNotConnectedError } from '../../../adapters/qq/qq.accounts';
import { QqAdapter } from '../../../adapters/qq/qq.adapter';
import type { OutboundMessage } from '../../../src/core/chat';
import { ForwardPeer } from '../../fakes/onebot-peer';
import { Cleanup, HealthHost, qqConfig, recordingLogger, TOKEN } from './helpers';

const SELF = '30003';
const GROUP = '100200300';
const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const message: OutboundMessage = { platform: 'qq', chatId: GROUP, chatKind: 'group', text: 'hello' };

async function startForward(peerToken = TOKEN, env: Record<string, string> = {}) {
  const peer = cleanup.add(await ForwardPeer.listen({ selfId: SELF, token: peerToken }), (p) => p.close());
  const logger = recordingLogger();
  const adapter = new QqAdapter(qqConfig({ ONEBOT_MODE: 'forward', ONEBOT_WS_URL: peer.url, ...env }), {
    log: logger.log,
    backoff: () => 20, // reconnect fast in tests; the default is 1 s → 30 s with jitter
    retryDelaysMs: [10, 20],
  });
  const host = new HealthHost();
  cleanup.add(adapter, (a) => a.stop());
  await adapter.start(host);
  return { peer, adapter, host, lines: logger.lines };
}

describe('QQ adapter, forward WebSocket (GroupDesk dials the OneBot client)', () => {
  test('connects with the token, learns its account from get_login_info, receives and sends', async () => {
    const { peer, adapter, host } = await startForward();
    expect(adapter.connectedAccounts()).toEqual([SELF]);
    expect(host.health).toEqual([
      { platform: 'qq', state: 'up', detail: expect.stringContaining(`QQ account ${SELF} (DeskBot)`) },
    ]);
    peer.push(peer.groupMessage({ messageId: 1, segments: [{ type: 'at', data: { qq: SELF } }] }));
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({ account: SELF, addressed: true, text: '' });
    await expect(adapter.send(message)).resolves.toEqual({ messageId: '9001' });
  });

  test('after the client drops the connection the adapter reconnects and delivers the next send', async () => {
    const { peer, adapter, host } = await startForward();
    peer.dropAll();
    await host.waitForHealth('down', 1);
    await peer.waitForConnections(2);
    await adapter.whenConnected(SELF);
    await expect(adapter.send(message)).resolves.toEqual({ messageId: '9001' });
    expect(peer.received('send_group_msg')).toHaveLength(1);
    expect(host.health.map((h) => h.state)).toEqual(['up', 'down', 'up']);
  });

  test('a send made while the client is down waits for the reconnection, then goes out', async () => {
    const { peer, adapter, host } = await startForward();
    peer.accepting = false;
    peer.dropAll();
    await host.waitForHealth('down', 1);
    const pending = adapter.send(message);
    // Several refused redials happen meanwhile; the send waits rather than failing at once.
    await peer.waitForConnections(1);
    expect(peer.received('send_group_msg')).toHaveLength(0);
    peer.accepting = true;
    await expect(pending).resolves.toEqual({ messageId: '9001' });
    expect(peer.connections).toBe(2);
    expect(host.health.map((h) => h.state)).toEqual(['up', 'down', 'up']);
  });

  test('a send whose connection dies before the answer is retried on the new connection', async () => {
    const { peer, adapter } = await startForward();
    let calls = 0;
    peer.onAction('send_group_msg', () => (++calls === 1 ? 'drop' : { data: { message_id: 4242 } }));
    await expect(adapter.send(message)).resolves.toEqual({ messageId: '4242' });
    const sends = peer.received('send_group_msg');
    // At-least-once: the client may or may not have posted the first copy before dying.
    expect(sends).toHaveLength(2);
    expect(sends[1]?.params).toEqual(sends[0]?.params);
    expect(peer.connections).toBe(2);
  });

  test('a send rejects with QqNotConnectedError when no connection comes back within the action timeout', async () => {
    const { peer, adapter, host } = await startForward(TOKEN, { ONEBOT_ACTION_TIMEOUT_MS: '300' });
    peer.accepting = false;
    peer.dropAll();
    await host.waitForHealth('down', 1);
    await expect(adapter.send(message)).rejects.toBeInstanceOf(QqNotConnectedError);
    expect(peer.received('send_group_msg')).toHaveLength(0);
  });

  test('a client that refuses the token: start still resolves, health is down, the log says why', async () => {
    const { adapter, host, lines } = await startForward('another-token');
    expect(adapter.connectedAccounts()).toEqual([]);
    expect(host.health).toEqual([{ platform: 'qq', state: 'down', detail: expect.stringContaining('401') }]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ hint: expect.stringContaining('ONEBOT_ACCESS_TOKEN') }),
      }),
    );
  });
});
