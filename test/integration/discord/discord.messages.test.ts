import { DiscordAdapter } from '../../../adapters/discord/discord.adapter';
import { discordConfigSchema } from '../../../adapters/discord/discord.config';
import { RecordingHost } from '../../fakes/recording-host';
import {
  ALICE,
  APP,
  BOB,
  BOT,
  CHANNEL,
  closeAll,
  MemoryLogger,
  messagePayload,
  snowflake,
  startHarness,
  THREAD,
  userJson,
} from './harness';

afterEach(closeAll);

describe('Discord adapter: inbound messages', () => {
  it('turns a message that mentions the bot into an InboundMessage', async () => {
    const { peer, host } = await startHarness();
    const payload = messagePayload({
      content: `<@${BOT}> build fails, see <@${BOB}>`,
      mentions: [userJson(BOT, 'GroupDesk', true), userJson(BOB, 'bob')],
      replyTo: '500000000000000001',
    });
    peer.dispatch('MESSAGE_CREATE', payload);
    await host.waitForMessages(1);
    expect(host.received[0]).toEqual({
      platform: 'discord',
      account: '100000000000000001',
      chatId: CHANNEL,
      chatKind: 'group',
      chatTitle: 'acme-support',
      messageId: payload.id,
      sender: { id: ALICE, name: 'Alice A.' },
      text: 'build fails, see @bob', // the leading mention only says who is addressed
      mentions: [{ id: BOB, name: 'bob' }],
      addressed: true,
      quotedMessageId: '500000000000000001',
      sentAt: expect.any(Number),
    });
  });

  it('keeps a mention of the bot that is not in front, and passes on a bare mention', async () => {
    const { peer, host } = await startHarness();
    const bot = userJson(BOT, 'GroupDesk', true);
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: `thanks <@${BOT}>!`, mentions: [bot] }));
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: `<@!${BOT}>, /status 12`, mentions: [bot] }));
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: ` <@${BOT}> `, mentions: [bot] }));
    await host.waitForMessages(3);
    expect(host.received.map((m) => [m.text, m.addressed])).toEqual([
      ['thanks @GroupDesk!', true],
      ['/status 12', true],
      ['', true], // GroupDesk asks what the question is
    ]);
  });

  it('ignores bots and itself, and marks unaddressed messages', async () => {
    const { peer, host } = await startHarness();
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'beep', author: userJson(BOB, 'ci', true) }));
    peer.dispatch(
      'MESSAGE_CREATE',
      messagePayload({ content: 'me', author: userJson(BOT, 'GroupDesk', true) }),
    );
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'any news?' }));
    await host.waitForMessages(1);
    expect(host.received.map((m) => [m.text, m.addressed])).toEqual([['any news?', false]]);
  });

  it('reports a thread message as its parent channel plus the thread id', async () => {
    const { peer, host } = await startHarness();
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'still failing', channelId: THREAD }));
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({ chatId: CHANNEL, threadId: THREAD, chatKind: 'group' });
  });

  it('delivers direct messages as addressed direct chats', async () => {
    const { peer, host } = await startHarness();
    const dmChannel = snowflake();
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'help', channelId: dmChannel, dm: true }));
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({ chatId: dmChannel, chatKind: 'direct', addressed: true });
    expect(host.received[0]?.threadId).toBeUndefined();
  });

  it('delivers a duplicate MESSAGE_CREATE once', async () => {
    const { peer, host } = await startHarness();
    const first = messagePayload({ content: 'first' });
    peer.dispatch('MESSAGE_CREATE', first);
    peer.dispatch('MESSAGE_CREATE', first);
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'second' }));
    await host.waitForMessages(2);
    expect(host.received.map((m) => m.text)).toEqual(['first', 'second']);
  });

  it('logs a failing handler and keeps delivering', async () => {
    const { peer, host, logger } = await startHarness({
      onMessage: async (m) => {
        if (m.text === 'boom') throw new Error('handler exploded');
      },
    });
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'boom' }));
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'after' }));
    await host.waitForMessages(2);
    expect(host.received.map((m) => m.text)).toEqual(['boom', 'after']);
    expect(logger.lines.some((l) => l.startsWith('error') && l.includes('handler exploded'))).toBe(true);
  });

  it('logs and drops malformed payloads without crashing', async () => {
    const { peer, host, logger } = await startHarness();
    peer.dispatch('INTERACTION_CREATE', { id: '1', type: 2 }); // no data: discord.js itself throws
    peer.dispatch('MESSAGE_CREATE', { ...messagePayload({ content: 'no author' }), author: null });
    peer.dispatch('MESSAGE_CREATE', { id: '3' });
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'fine' }));
    await host.waitForMessages(1);
    expect(host.received.map((m) => m.text)).toEqual(['fine']);
    expect(logger.lines.filter((l) => l.startsWith('error'))).toEqual([
      expect.stringContaining('dropped malformed INTERACTION_CREATE packet'),
      expect.stringContaining('dropped malformed MESSAGE_CREATE packet'),
    ]);
  });

  it('rejects start with a refused token and leaves nothing running', async () => {
    const { peer } = await startHarness();
    const config = discordConfigSchema.parse({
      DISCORD_TOKEN: 'wrong-token',
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: peer.apiUrl,
    });
    const adapter = new DiscordAdapter(config, { logger: new MemoryLogger() });
    await expect(adapter.start(new RecordingHost())).rejects.toThrow(/token/i);
    await expect(
      adapter.send({ platform: 'discord', chatId: CHANNEL, chatKind: 'group', text: 'x' }),
    ).rejects.toThrow('not started');
  });
});

describe('Discord adapter: gateway reconnects', () => {
  it('resumes after op 7, handles replayed messages once and keeps delivering', async () => {
    const { peer, host } = await startHarness();
    const ops: number[] = [];
    peer.on('gateway', (op: number) => ops.push(op));
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'before' }));
    await host.waitForMessages(1);

    peer.resumeOverlap = 1; // the gateway replays 'before' again along with what was missed
    const resumed = new Promise<void>((resolve) => peer.on('gateway', (op: number) => op === 6 && resolve()));
    peer.requestReconnect();
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'while away' }));
    await resumed;
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'after resume' }));
    await host.waitForMessages(3);
    peer.dispatch('MESSAGE_CREATE', messagePayload({ content: 'later' }));
    await host.waitForMessages(4);

    expect(host.received.map((m) => m.text)).toEqual(['before', 'while away', 'after resume', 'later']);
    expect(ops.filter((op) => op === 2)).toEqual([]); // resumed, never re-identified
    expect(host.health.map((h) => h.state)).toEqual(['up', 'down', 'up']);
    expect(host.health[2]?.detail).toContain('resumed');
  });

  it('keeps the session alive while heartbeats are acknowledged', async () => {
    const { peer, host } = await startHarness({ heartbeatMs: 30 });
    let beats = 0;
    await new Promise<void>((resolve) =>
      peer.on('gateway', (op: number) => {
        if (op === 1 && ++beats === 4) resolve();
      }),
    );
    // An unacknowledged heartbeat would make discord.js drop the connection and resume.
    expect(host.health.map((h) => h.state)).toEqual(['up']);
    expect(peer.history.filter((p) => p.t === 'READY')).toHaveLength(1);
  });

  it('reports a gateway that closes for good', async () => {
    const { peer, host } = await startHarness();
    const reported = new Promise<void>((resolve) => {
      const original = host.reportHealth.bind(host);
      host.reportHealth = (event) => {
        original(event);
        if (event.state === 'logged_out') resolve();
      };
    });
    peer.closeGateway(4004); // authentication failed: discord.js will not reconnect
    await reported;
    expect(host.health).toContainEqual({
      platform: 'discord',
      state: 'logged_out',
      detail: 'gateway closed with code 4004 (token rejected), not reconnecting',
    });
  });
});
