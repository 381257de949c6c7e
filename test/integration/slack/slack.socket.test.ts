import { SlackAdapter } from '../../../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../../../adapters/slack/slack.config';
import { RecordingHost } from '../../fakes/recording-host';
import { FakeSlackApi } from '../../fakes/slack-api';
import { FakeSlackSocket } from '../../fakes/slack-socket';
import { MemoryLogger, messageEvent } from './slack.harness';

describe('Slack adapter: Socket Mode', () => {
  let fake: FakeSlackApi;
  let socket: FakeSlackSocket;
  let adapter: SlackAdapter | undefined;

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    socket = await FakeSlackSocket.start();
    fake.socketUrl = socket.url;
  });
  afterEach(async () => {
    await adapter?.stop();
    await socket.close();
    await fake.close();
  });

  const configFor = (appToken: string) =>
    slackConfigSchema.parse({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: fake.apiUrl,
    });

  it('connects where apps.connections.open points, acks an events_api envelope and delivers it', async () => {
    const host = new RecordingHost();
    adapter = new SlackAdapter(configFor(fake.appToken), { logger: new MemoryLogger() });
    await adapter.start(host);
    expect(fake.callsOf('apps.connections.open')[0]!.headers.authorization).toBe(`Bearer ${fake.appToken}`);
    expect(adapter.port).toBeUndefined();
    expect(host.health).toContainEqual({ platform: 'slack', state: 'up', detail: 'Socket Mode connected' });

    const envelope = (id: string, retry: number) => ({
      envelope_id: id,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: retry,
      retry_reason: retry > 0 ? 'timeout' : '',
      payload: {
        team_id: 'T1',
        api_app_id: 'A1',
        type: 'event_callback',
        event_id: 'EvSock1',
        event_time: 1700000000,
        authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true }],
        event: messageEvent({ text: 'over the socket' }),
      },
    });
    socket.push(envelope('env-1', 0));
    expect(await socket.waitForAck('env-1')).toEqual({ envelope_id: 'env-1', payload: {} });
    // Slack redelivers over the socket too (new envelope, same event_id): acked, handled once.
    socket.push(envelope('env-2', 1));
    expect(await socket.waitForAck('env-2')).toMatchObject({ envelope_id: 'env-2' });
    await host.waitForMessages(1);
    expect(host.received).toEqual([
      expect.objectContaining({ chatId: 'C1', text: 'over the socket', messageId: 'C1:1700000000.000001' }),
    ]);
  });

  it('acks a slash command envelope and answers through its response_url', async () => {
    const host = new RecordingHost({
      onMessage: async (m) => {
        await adapter!.send({
          platform: 'slack',
          chatId: m.chatId,
          chatKind: m.chatKind,
          replyToMessageId: m.messageId,
          visibleTo: m.sender.id,
          text: 'Your tickets: none',
        });
      },
    });
    adapter = new SlackAdapter(configFor(fake.appToken), { logger: new MemoryLogger() });
    await adapter.start(host);
    socket.push({
      envelope_id: 'env-cmd',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        team_id: 'T1',
        channel_id: 'C1',
        channel_name: 'acme-support',
        user_id: 'UALICE',
        user_name: 'alice',
        command: '/gd',
        text: 'mine',
        api_app_id: 'A1',
        trigger_id: '5.6.sock',
        response_url: fake.responseUrl('sock'),
      },
    });
    expect(await socket.waitForAck('env-cmd')).toMatchObject({ envelope_id: 'env-cmd' });
    const [answer] = await fake.waitForCalls('response_url', 1);
    expect(answer!.params).toMatchObject({ response_type: 'ephemeral', text: 'Your tickets: none' });
    expect(host.received[0]).toMatchObject({
      text: '/mine',
      messageId: 'cmd:5.6.sock',
      chatTitle: 'acme-support',
    });
  });

  it('fails to start with a message when the app token is refused', async () => {
    const host = new RecordingHost();
    adapter = new SlackAdapter(configFor('xapp-1-wrong'), { logger: new MemoryLogger() });
    await expect(adapter.start(host)).rejects.toThrow(/invalid_auth/);
    adapter = undefined;
  });
});
