import { type MockWorld, mockWorld } from './mock-world';

// Real Wechaty 1.20 over wechaty-puppet-mock: what people say reaches the host normalised.
describe('WeChat adapter: inbound', () => {
  let world: MockWorld;
  afterEach(async () => {
    await world?.stop();
  });

  it('delivers a room message that @mentions the bot as addressed, without the bot name', async () => {
    world = await mockWorld();
    const { alice, bob, botUser, room, host } = world;
    alice.say('@DeskBot\u2005@Bob Li\u2005the build fails on Node 20', [botUser, bob]).to(room);
    await host.waitForMessages(1);
    const m = world.first();
    expect(m).toMatchObject({
      platform: 'wechat',
      chatKind: 'group',
      chatId: room.id,
      chatTitle: 'Acme support',
      sender: { id: alice.id, name: 'Alice Wang' },
      addressed: true,
      text: '@Bob Li the build fails on Node 20',
      mentions: [{ id: bob.id, name: 'Bob Li' }],
    });
    expect(m.threadId).toBeUndefined();
    expect(m.messageId).toEqual(expect.any(String));
    expect(m.sentAt).toEqual(expect.any(Number));
  });

  it('delivers a plain room message as not addressed', async () => {
    world = await mockWorld();
    const { bob, room, host } = world;
    bob.say('thanks, that worked').to(room);
    await host.waitForMessages(1);
    expect(world.first()).toMatchObject({
      chatKind: 'group',
      chatId: room.id,
      sender: { id: bob.id, name: 'Bob Li' },
      addressed: false,
      text: 'thanks, that worked',
      mentions: [],
    });
  });

  it('counts a typed "@DeskBot" without a mention id as addressing the bot', async () => {
    world = await mockWorld();
    const { alice, room, host } = world;
    alice.say('@DeskBot /status #12').to(room);
    await host.waitForMessages(1);
    expect(world.first()).toMatchObject({ addressed: true, text: '/status #12' });
  });

  it('delivers a one-to-one message as a direct chat with the sender', async () => {
    world = await mockWorld();
    const { alice, botUser, host } = world;
    alice.say('hello, is anyone there?').to(botUser);
    await host.waitForMessages(1);
    expect(world.first()).toMatchObject({
      chatKind: 'direct',
      chatId: alice.id,
      sender: { id: alice.id, name: 'Alice Wang' },
      addressed: true,
      text: 'hello, is anyone there?',
    });
    expect(world.first().chatTitle).toBeUndefined();
  });

  it("ignores the bot's own messages", async () => {
    world = await mockWorld();
    const { adapter, alice, room, host } = world;
    await adapter.send({ platform: 'wechat', chatId: room.id, chatKind: 'group', text: 'ticket #1 opened' });
    alice.say('ok').to(room);
    await host.waitForMessages(1);
    expect(host.received.map((m) => m.sender.id)).toEqual([alice.id]);
  });

  it('delivers a message the puppet emits twice only once', async () => {
    world = await mockWorld();
    const { alice, room, host, puppet } = world;
    alice.say('first').to(room);
    await host.waitForMessages(1);
    puppet.emit('message', { messageId: world.first().messageId }); // a redelivery
    alice.say('second').to(room);
    await host.waitForMessages(2);
    expect(host.received.map((m) => m.text)).toEqual(['first', 'second']);
    expect(world.logger.lines.some((l) => l.message === 'duplicate message dropped')).toBe(true);
  });

  it('keeps going when the host fails on a message', async () => {
    world = await mockWorld();
    const { alice, room, host } = world;
    const handle = host.handle.bind(host);
    host.handle = async (message) => {
      if (message.text === 'one') throw new Error('router exploded');
      await handle(message);
    };
    alice.say('one').to(room);
    alice.say('two').to(room);
    await host.waitForMessages(1);
    expect(host.received.map((m) => m.text)).toEqual(['two']);
    expect(world.logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        meta: expect.objectContaining({ error: 'router exploded' }),
      }),
    );
  });
});
