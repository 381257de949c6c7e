import { types } from 'wechaty';
import { type MockWorld, mockWorld } from './mock-world';

/**
 * Real Wechaty 1.20 over wechaty-puppet-mock: images, files, links and the like reach the
 * host as one attachment line, the way a puppet delivers them (a message of that type,
 * whose payload the adapter reads through Wechaty's Message API).
 */
describe('WeChat adapter: images, files and other non-text messages', () => {
  let world: MockWorld;
  afterEach(async () => {
    await world?.stop();
  });

  let count = 0;
  /** Emits a message of `type` from Alice, as a puppet does when one arrives. */
  function send(type: types.Message, fields: { room?: boolean; filename?: string; mention?: boolean } = {}) {
    const { alice, botUser, room, mocker, puppet } = world;
    count += 1;
    const id = `media-${count}`;
    mocker.MessageMock.create({
      id,
      talkerId: alice.id,
      ...(fields.room === false ? { listenerId: botUser.id } : { roomId: room.id }),
      mentionIdList: fields.mention ? [botUser.id] : [],
      timestamp: Date.now(),
      type,
      ...(fields.filename !== undefined ? { filename: fields.filename } : {}),
    });
    puppet.emit('message', { messageId: id });
    return id;
  }

  it('turns each kind into its tag; a file keeps its name, a link its URL', async () => {
    world = await mockWorld();
    send(types.Message.Image);
    send(types.Message.Attachment, { filename: 'build-error.log' });
    send(types.Message.Attachment);
    send(types.Message.Video);
    send(types.Message.Audio);
    send(types.Message.Emoticon);
    send(types.Message.Url); // the mock's link payload is https://mock.url
    send(types.Message.MiniProgram);
    send(types.Message.Contact);
    send(types.Message.Location);
    send(types.Message.ChatHistory);
    await world.host.waitForMessages(11);
    expect(world.host.received.map((m) => m.text)).toEqual([
      '[image]',
      '[file] build-error.log',
      '[file]',
      '[video]',
      '[voice]',
      '[sticker]',
      '[link] https://mock.url/',
      '[card]',
      '[contact]',
      '[location]',
      '[forwarded messages]',
    ]);
    expect(world.first()).toMatchObject({
      chatKind: 'group',
      chatId: world.room.id,
      chatTitle: 'Acme support',
      sender: { id: world.alice.id, name: 'Alice Wang' },
      mentions: [],
      addressed: false,
    });
  });

  it('never counts a room attachment as addressed to the bot; one to one it is', async () => {
    world = await mockWorld();
    send(types.Message.Image, { mention: true });
    send(types.Message.Image, { room: false });
    await world.host.waitForMessages(2);
    // Two chats: each keeps its order, not the order between them.
    const seen = world.host.received.map((m) => [m.chatKind, m.addressed, m.mentions]).sort();
    expect(seen).toEqual([
      ['direct', true, []],
      ['group', false, []],
    ]);
  });

  it('keeps dropping what no ticket needs, with a debug line', async () => {
    world = await mockWorld();
    const dropped = [
      send(types.Message.Unknown),
      send(types.Message.Recalled),
      send(types.Message.RedEnvelope),
      send(types.Message.Transfer),
      send(types.Message.GroupNote),
    ];
    world.alice.say('see the screenshot above').to(world.room);
    await world.host.waitForMessages(1);
    expect(world.host.received.map((m) => m.text)).toEqual(['see the screenshot above']);
    const lines = world.logger.lines.filter((l) => l.message === 'message dropped');
    expect(lines.map((l) => l.meta.messageId)).toEqual(dropped);
    expect(lines.map((l) => l.level)).toEqual(dropped.map(() => 'debug'));
    expect(String(lines[0]?.meta.reason)).toMatch(/Unknown/);
  });

  it('falls back to the bare tag when the puppet fails or gives something odd', async () => {
    world = await mockWorld();
    const { puppet } = world;
    let link: () => Promise<{ title: string; url: string }> = async () => {
      throw new Error('puppet lost the link');
    };
    puppet.messageUrl = () => link();
    send(types.Message.Url);
    await world.host.waitForMessages(1);
    link = async () => ({ title: 'x', url: 'javascript:alert(1)' });
    send(types.Message.Url);
    await world.host.waitForMessages(2);
    send(types.Message.Attachment, { filename: `@Bob Li\n${'x'.repeat(300)}.log` });
    send(types.Message.Attachment, { filename: '  \n ' });
    await world.host.waitForMessages(4);
    const [thrown, odd, long, blank] = world.host.received.map((m) => m.text);
    expect([thrown, odd, blank]).toEqual(['[link]', '[link]', '[file]']);
    expect(long).toMatch(/^\[file\] @Bob Li x+…$/);
    expect(long!.length).toBeLessThan(110);
    expect(world.host.received.every((m) => m.mentions.length === 0)).toBe(true);
  });
});
