import { DiscordAdapter } from '../../../adapters/discord/discord.adapter';
import { discordConfigSchema } from '../../../adapters/discord/discord.config';
import type { InboundMessage, OutboundMessage, SentMessage } from '../../../src/core/chat';
import { PlatformRefusedError, refusedForGood } from '../../../src/core/errors';
import { RecordingHost } from '../../fakes/recording-host';
import {
  ALICE,
  APP,
  CHANNEL,
  closeAll,
  interactionPayload,
  MemoryLogger,
  messagePayload,
  snowflake,
  startHarness,
  THREAD,
} from './harness';

afterEach(closeAll);

/** The reply a host would send to an inbound message. */
const replyTo = (m: InboundMessage, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  platform: 'discord',
  chatId: m.chatId,
  chatKind: m.chatKind,
  ...(m.threadId !== undefined && { threadId: m.threadId }),
  replyToMessageId: m.messageId,
  startThread: true,
  text,
  ...extra,
});

describe('Discord adapter: sending', () => {
  it('answers a channel message in a new thread started on it, once per message', async () => {
    const sent: SentMessage[] = [];
    const { peer, host } = await startHarness({
      onMessage: async (m, adapter) => {
        const text = 'Ticket #12 opened\nWe answer within 24 h.';
        sent.push(await adapter.send(replyTo(m, text, { mentions: [m.sender] })));
        sent.push(await adapter.send(replyTo(m, 'Plan: basic')));
      },
    });
    const question = messagePayload({ content: 'Build fails on Node 20' });
    peer.dispatch('MESSAGE_CREATE', question);
    await host.waitForMessages(1);

    const threadCalls = peer.calls.filter((c) => c.path.endsWith('/threads'));
    expect(threadCalls).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/channels/${CHANNEL}/messages/${question.id}/threads`,
        body: { name: 'Ticket #12 opened', auto_archive_duration: 10080, type: 11 },
      }),
    ]);
    const threadId = sent[0]?.threadId ?? 'missing';
    const posts = peer.calls.filter((c) => c.path === `/channels/${threadId}/messages`);
    expect(posts.map((c) => c.body)).toEqual([
      {
        content: `<@${ALICE}> Ticket #12 opened\nWe answer within 24 h.`,
        allowed_mentions: { parse: [], users: [ALICE], replied_user: false },
      },
      { content: 'Plan: basic', allowed_mentions: { parse: [], users: [], replied_user: false } },
    ]);
    expect(sent).toEqual([
      { messageId: expect.any(String), threadId },
      { messageId: expect.any(String), threadId },
    ]);
  });

  it('starts the thread on the answer itself when a slash command asked for one', async () => {
    const sent: SentMessage[] = [];
    const { peer, host } = await startHarness({
      commands: [{ name: 'ticket', description: 'Open a ticket', params: [] }],
      onMessage: async (m, adapter) => void sent.push(await adapter.send(replyTo(m, 'Ticket #12 opened'))),
    });
    const payload = interactionPayload(2, { id: snowflake(), name: 'ticket', type: 1, options: [] });
    peer.dispatch('INTERACTION_CREATE', payload);
    await host.waitForMessages(1);
    await peer.waitForCall((c) => c.method === 'DELETE'); // the ephemeral placeholder goes
    const [post, ...more] = peer.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`);
    expect(more).toEqual([]);
    expect(post?.body?.message_reference).toBeUndefined(); // an interaction is no message to quote
    const start = peer.calls.find((c) => c.path.endsWith('/threads'));
    expect(start?.path).toMatch(new RegExp(`^/channels/${CHANNEL}/messages/\\d+/threads$`));
    expect(sent).toEqual([{ messageId: start?.path.split('/')[4], threadId: expect.any(String) }]);
    expect(peer.threadOf(sent[0]?.messageId ?? '')).toBe(sent[0]?.threadId);
  });

  it('quotes instead of starting a thread when the reply does not ask for one', async () => {
    const { peer, host } = await startHarness({
      onMessage: async (m, adapter) => {
        await adapter.send(replyTo(m, "I don't know the command /frobnicate.", { startThread: false }));
      },
    });
    const question = messagePayload({ content: '/frobnicate' });
    peer.dispatch('MESSAGE_CREATE', question);
    await host.waitForMessages(1);
    const posts = peer.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`);
    expect(peer.calls.filter((c) => c.path.endsWith('/threads'))).toEqual([]);
    expect(posts).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({
          message_reference: { message_id: question.id, fail_if_not_exists: false },
        }),
      }),
    ]);
  });

  it('answers inside an existing thread, quoting the message', async () => {
    const { peer, host } = await startHarness({
      onMessage: async (m, adapter) => void (await adapter.send(replyTo(m, 'Noted on #12'))),
    });
    const followUp = messagePayload({ content: 'more logs', channelId: THREAD });
    peer.dispatch('MESSAGE_CREATE', followUp);
    await host.waitForMessages(1);
    expect(peer.calls.filter((c) => c.path.endsWith('/threads'))).toEqual([]);
    const post = await peer.waitForCall((c) => c.path === `/channels/${THREAD}/messages`);
    expect(post.body?.message_reference).toEqual({ message_id: followUp.id, fail_if_not_exists: false });
  });

  it('escapes markup so customer text cannot ping @everyone, roles or fake links', async () => {
    const { adapter, peer } = await startHarness();
    const text = 'hi @everyone and @here **now** <@&123456789012345678> [docs](https://evil.example)';
    await adapter.send({ platform: 'discord', chatId: CHANNEL, chatKind: 'group', text });
    const [post] = peer.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`);
    const content = String(post?.body?.content);
    // Each markup sign is either neutralised or preceded by a backslash.
    expect(content).not.toMatch(/@everyone|@here|(?<!\\)<@&|(?<!\\)\*\*now|(?<!\\)\[docs\]/);
    expect(content).toContain('@\u200beveryone');
    expect(content).toContain('\\*\\*now\\*\\*');
    expect(post?.body?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
  });

  it('splits 4,500 characters into 3 messages of at most 2,000', async () => {
    const { adapter, peer } = await startHarness();
    const text = `${Array.from({ length: 900 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ')}.`;
    expect(text.length).toBe(4500);
    const result = await adapter.send({ platform: 'discord', chatId: CHANNEL, chatKind: 'group', text });
    const posts = peer.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`);
    const contents = posts.map((c) => String(c.body?.content));
    expect(contents).toHaveLength(3);
    for (const c of contents) expect(c.length).toBeLessThanOrEqual(2000);
    expect(contents.join(' ')).toBe(text);
    expect(result.messageId).toBeTruthy();
  });

  it('renders buttons as an action row whose custom_id is the command', async () => {
    const { adapter, peer } = await startHarness();
    await adapter.send({
      platform: 'discord',
      chatId: CHANNEL,
      chatKind: 'group',
      text: 'New ticket #12',
      buttons: [
        { label: 'Claim', command: '/claim #12' },
        { label: 'Resolve', command: '/resolve #12' },
      ],
    });
    const post = await peer.waitForCall((c) => c.path === `/channels/${CHANNEL}/messages`);
    expect(post.body?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Claim', custom_id: '/claim #12' },
          { type: 2, style: 2, label: 'Resolve', custom_id: '/resolve #12' },
        ],
      },
    ]);
  });

  it('sends private messages outside interactions as direct messages', async () => {
    const { adapter, peer } = await startHarness();
    await adapter.send({
      platform: 'discord',
      chatId: CHANNEL,
      chatKind: 'group',
      text: 'only you',
      visibleTo: ALICE,
    });
    const open = await peer.waitForCall((c) => c.path === '/users/@me/channels');
    expect(open.body).toEqual({ recipient_id: ALICE });
    expect(peer.calls.filter((c) => c.path === `/channels/${CHANNEL}/messages`)).toEqual([]);
    const dm = peer.calls.at(-1);
    expect(dm).toMatchObject({ method: 'POST', body: { content: 'only you' } });
    expect(dm?.path).toMatch(/^\/channels\/\d+\/messages$/);
  });

  it('finds the thread made before a restart instead of failing', async () => {
    const { adapter, peer } = await startHarness();
    const question = '500000000000000077';
    const reply = {
      platform: 'discord' as const,
      chatId: CHANNEL,
      chatKind: 'group' as const,
      startThread: true,
    };
    const first = await adapter.send({ ...reply, replyToMessageId: question, text: 'Ticket #13 opened' });
    await adapter.stop();

    const config = discordConfigSchema.parse({
      DISCORD_TOKEN: 'test-token',
      DISCORD_APPLICATION_ID: APP,
      DISCORD_API_URL: peer.apiUrl,
    });
    const restarted = new DiscordAdapter(config, { logger: new MemoryLogger() });
    await restarted.start(new RecordingHost());
    try {
      const second = await restarted.send({ ...reply, replyToMessageId: question, text: 'Still on it' });
      expect(second.threadId).toBe(first.threadId);
      const post = peer.calls.at(-1);
      expect(post).toMatchObject({
        path: `/channels/${first.threadId}/messages`,
        body: { content: 'Still on it' },
      });
    } finally {
      await restarted.stop();
    }
  });
});

describe('Discord adapter: a send refused for good', () => {
  it('a deleted channel (404, 10003 Unknown Channel) fails as refused for good, once; other errors are not', async () => {
    const { peer, adapter } = await startHarness({});
    peer.deletedChannels.add(CHANNEL);
    const message: OutboundMessage = {
      platform: 'discord',
      chatId: CHANNEL,
      chatKind: 'group',
      text: 'hello',
    };
    const refused = await adapter.send(message).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(PlatformRefusedError);
    expect(String(refused)).toContain('unknown channel');
    expect(refusedForGood(refused)).toBe(true);
    expect(
      peer.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL}/messages`),
    ).toHaveLength(1);
    expect(refusedForGood(new Error('socket hang up'))).toBe(false);
  });
});
