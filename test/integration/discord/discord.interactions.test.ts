import type { AdapterHost, CommandInfo, InboundMessage, OutboundMessage } from '../../../src/core/chat';
import { RecordingHost } from '../../fakes/recording-host';
import {
  ALICE,
  APP,
  BOB,
  CHANNEL,
  closeAll,
  GUILD,
  interactionPayload,
  snowflake,
  startHarness,
  THREAD,
  userJson,
} from './harness';

afterEach(closeAll);

const commands: CommandInfo[] = [
  {
    name: 'reply',
    description: 'Reply to the customer on a ticket',
    params: [
      { name: 'ticket', kind: 'ticket', required: true, description: 'Ticket number' },
      { name: 'cc', kind: 'user', required: false, description: 'Someone to notify' },
      { name: 'text', kind: 'text', required: true, description: 'What to say' },
    ],
  },
  { name: 'queue', description: 'Tickets by deadline', params: [] },
];

const privately = (m: InboundMessage, text: string): OutboundMessage => ({
  platform: 'discord',
  chatId: m.chatId,
  chatKind: m.chatKind,
  replyToMessageId: m.messageId,
  visibleTo: m.sender.id,
  text,
});

const replyCommand = (id = snowflake()) =>
  interactionPayload(
    2,
    {
      id: snowflake(),
      name: 'reply',
      type: 1,
      options: [
        { name: 'ticket', type: 4, value: 12 },
        { name: 'text', type: 3, value: 'fixed in 2.1' },
        { name: 'cc', type: 6, value: BOB },
      ],
      resolved: { users: { [BOB]: userJson(BOB, 'bob') } },
    },
    id,
  );

describe('Discord adapter: interactions', () => {
  it('defers a slash command, delivers it as text and edits the reply in', async () => {
    const { peer, host } = await startHarness({
      commands,
      onMessage: async (m, adapter) => void (await adapter.send(privately(m, 'Reply sent on #12'))),
    });
    const payload = replyCommand();
    peer.dispatch('INTERACTION_CREATE', payload);
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({
      chatId: CHANNEL,
      chatKind: 'group',
      messageId: `interaction:${payload.id}`,
      sender: { id: ALICE, name: 'Alice A.' },
      text: '/reply #12 @bob fixed in 2.1',
      mentions: [{ id: BOB, name: 'bob' }],
      addressed: true,
    });
    const callback = `/interactions/${payload.id}/${payload.token}/callback`;
    const original = `/webhooks/${APP}/${payload.token}/messages/@original`;
    const edit = await peer.waitForCall((c) => c.method === 'PATCH' && c.path === original);
    const calls = peer.calls.filter((c) => c.path === callback || c.path === original);
    expect(calls.map((c) => [c.method, c.body])).toEqual([
      ['POST', { type: 5, data: { flags: 64 } }],
      ['PATCH', expect.objectContaining({ content: 'Reply sent on #12' })],
    ]);
    expect(edit.body?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
    expect(peer.calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('sends further private replies as ephemeral follow-ups', async () => {
    const { peer, host } = await startHarness({
      commands,
      onMessage: async (m, adapter) => {
        await adapter.send(privately(m, 'one'));
        await adapter.send(privately(m, 'two'));
      },
    });
    const payload = replyCommand();
    peer.dispatch('INTERACTION_CREATE', payload);
    await host.waitForMessages(1);
    const followUp = await peer.waitForCall((c) => c.path === `/webhooks/${APP}/${payload.token}`);
    expect(followUp).toMatchObject({ method: 'POST', body: { content: 'two', flags: 64 } });
  });

  it('posts a public answer in the channel and removes the placeholder', async () => {
    const { peer, host } = await startHarness({
      commands,
      onMessage: async (m, adapter) => {
        const { visibleTo: _, ...everyone } = privately(m, 'Ticket #12 resolved');
        await adapter.send(everyone);
      },
    });
    const payload = replyCommand();
    peer.dispatch('INTERACTION_CREATE', payload);
    await host.waitForMessages(1);
    const removed = await peer.waitForCall((c) => c.method === 'DELETE');
    expect(removed.path).toBe(`/webhooks/${APP}/${payload.token}/messages/@original`);
    const post = peer.calls.find((c) => c.path === `/channels/${CHANNEL}/messages`);
    expect(post?.body).toMatchObject({ content: 'Ticket #12 resolved' });
    expect(post?.body?.message_reference).toBeUndefined();
  });

  it('answers ticket autocomplete with the host suggestions for that user and chat', async () => {
    const queries: unknown[] = [];
    const suggestions = [
      { number: 12, label: '#12 Build fails on Node 20' },
      { number: 15, label: '#15 Upgrade to 3.0' },
    ];
    const { peer } = await startHarness({
      commands,
      host: (onMessage) =>
        new (class extends RecordingHost {
          override async suggestTickets(query?: Parameters<AdapterHost['suggestTickets']>[0]) {
            queries.push(query);
            return suggestions;
          }
        })({ onMessage, commands }),
    });
    const payload = interactionPayload(4, {
      id: snowflake(),
      name: 'reply',
      type: 1,
      options: [{ name: 'ticket', type: 4, value: '#1', focused: true }],
    });
    peer.dispatch('INTERACTION_CREATE', payload);
    const answer = await peer.waitForCall((c) => c.path.endsWith('/callback'));
    expect(answer.body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: '#12 Build fails on Node 20', value: 12 },
          { name: '#15 Upgrade to 3.0', value: 15 },
        ],
      },
    });
    expect(queries).toEqual([{ platform: 'discord', chatId: CHANNEL, userId: ALICE, prefix: '1' }]);
  });

  it('delivers a button press as the command in its custom_id', async () => {
    const { peer, host } = await startHarness({
      commands,
      onMessage: async (m, adapter) => void (await adapter.send(privately(m, 'Claimed #12'))),
    });
    const payload = interactionPayload(3, { custom_id: '/claim #12', component_type: 2 });
    peer.dispatch('INTERACTION_CREATE', payload);
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({ text: '/claim #12', messageId: `interaction:${payload.id}` });
    const deferred = await peer.waitForCall((c) => c.path.endsWith('/callback'));
    expect(deferred.body).toEqual({ type: 5, data: { flags: 64 } });
    await peer.waitForCall((c) => c.method === 'PATCH' && c.body?.content === 'Claimed #12');
  });

  it('places an interaction in a thread under its parent channel', async () => {
    const { peer, host } = await startHarness({ commands });
    const inThread = {
      ...interactionPayload(3, { custom_id: '/status #12', component_type: 2 }),
      channel_id: THREAD,
      channel: { id: THREAD, type: 11, guild_id: GUILD, parent_id: CHANNEL, name: '#12 build fails' },
    };
    peer.dispatch('INTERACTION_CREATE', inThread);
    await host.waitForMessages(1);
    expect(host.received[0]).toMatchObject({ chatId: CHANNEL, threadId: THREAD, text: '/status #12' });
  });

  it('handles a duplicate INTERACTION_CREATE once', async () => {
    const { peer, host } = await startHarness({ commands });
    const payload = replyCommand();
    peer.dispatch('INTERACTION_CREATE', payload);
    peer.dispatch('INTERACTION_CREATE', payload);
    peer.dispatch('INTERACTION_CREATE', replyCommand());
    await host.waitForMessages(2);
    expect(host.received.map((m) => m.messageId)).toEqual([`interaction:${payload.id}`, expect.any(String)]);
    expect(host.received[1]?.messageId).not.toBe(`interaction:${payload.id}`);
    expect(peer.calls.filter((c) => c.path.startsWith(`/interactions/${payload.id}/`))).toHaveLength(1);
  });
});

describe('Discord adapter: command registration', () => {
  it('registers one slash command per GroupDesk command in each configured guild', async () => {
    const { peer } = await startHarness({ commands });
    const put = peer.calls.filter((c) => c.method === 'PUT');
    expect(put.map((c) => c.path)).toEqual([`/applications/${APP}/guilds/${GUILD}/commands`]);
    expect(put[0]?.body).toEqual([
      {
        type: 1,
        name: 'reply',
        description: 'Reply to the customer on a ticket',
        options: [
          {
            name: 'ticket',
            description: 'Ticket number',
            required: true,
            type: 4,
            min_value: 1,
            autocomplete: true,
          },
          { name: 'text', description: 'What to say', required: true, type: 3 },
          { name: 'cc', description: 'Someone to notify', required: false, type: 6 },
        ],
      },
      { type: 1, name: 'queue', description: 'Tickets by deadline', options: [] },
    ]);
  });

  it('registers globally when no guild is configured', async () => {
    const { peer } = await startHarness({ commands, guildIds: '' });
    expect(peer.calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual([
      `/applications/${APP}/commands`,
    ]);
  });
});
