import type { OutboundMessage } from '../../../src/core/chat';
import { type MockWorld, mockWorld, Outbox } from './mock-world';

const toRoom = (world: MockWorld, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  platform: 'wechat',
  chatId: world.room.id,
  chatKind: 'group',
  text,
  ...extra,
});

// Real Wechaty 1.20 over wechaty-puppet-mock. The mock drops the mention ids of what the bot
// sends and returns no message id, so these tests assert on the text that reaches the room.
describe('WeChat adapter: sending', () => {
  let world: MockWorld;
  afterEach(async () => {
    await world?.stop();
  });

  it('answers a request in the room it came from', async () => {
    world = await mockWorld();
    const { adapter, alice, botUser, room, host } = world;
    const outbox = new Outbox(room, botUser);
    host.handle = async (m) => {
      host.received.push(m);
      await adapter.send(toRoom(world, 'Ticket #1 opened', { replyToMessageId: m.messageId }));
    };
    alice.say('@DeskBot\u2005my build fails', [botUser]).to(room);
    await outbox.waitFor(1);
    expect(outbox.texts).toEqual(['Ticket #1 opened']);
  });

  it('renders mentions as @name in front, and names people the puppet does not know', async () => {
    world = await mockWorld();
    const { adapter, alice, botUser, room } = world;
    const outbox = new Outbox(room, botUser);
    const sent = await adapter.send(
      toRoom(world, 'your ticket #7 is open', {
        mentions: [
          { id: alice.id, name: 'Alice Wang' },
          { id: 'ghost-id', name: 'Ghost' },
        ],
      }),
    );
    await outbox.waitFor(1);
    expect(outbox.texts).toEqual(['@Alice Wang @Ghost your ticket #7 is open']);
    expect(sent.messageId).toMatch(/^wechat-local-/); // the mock's room.say() returns no message
  });

  it('splits long text at WECHAT_MAX_TEXT, mentioning only in the first part', async () => {
    world = await mockWorld({ maxText: 100 });
    const { adapter, alice, botUser, room } = world;
    const outbox = new Outbox(room, botUser);
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`);
    await adapter.send(toRoom(world, words.join(' '), { mentions: [{ id: alice.id, name: 'Alice Wang' }] }));
    expect(outbox.texts.length).toBeGreaterThanOrEqual(4);
    for (const part of outbox.texts) expect(part.length).toBeLessThanOrEqual(100);
    expect(outbox.texts[0]).toMatch(/^@Alice Wang word0 /);
    expect(outbox.texts.slice(1).some((t) => t.includes('@'))).toBe(false);
    expect(outbox.texts.join(' ').replace('@Alice Wang ', '').split(' ')).toEqual(words);
  });

  it('spreads a burst of 100 replies out at the configured interval, in order', async () => {
    const interval = 10;
    world = await mockWorld({ sendIntervalMs: interval, globalSendIntervalMs: 1 });
    const { adapter, botUser, room } = world;
    const outbox = new Outbox(room, botUser);
    const started = performance.now();
    await Promise.all(Array.from({ length: 100 }, (_, i) => adapter.send(toRoom(world, `reply ${i}`))));
    const elapsed = performance.now() - started;
    expect(outbox.texts).toEqual(Array.from({ length: 100 }, (_, i) => `reply ${i}`));
    expect(elapsed).toBeGreaterThanOrEqual(99 * interval);
    const gaps = outbox.times.slice(1).map((t, i) => t - (outbox.times[i] ?? 0));
    // Arrival times are observed through the mock's events, which a loaded machine delays and
    // bunches; the median gap is robust to that, while a burst would show gaps near zero.
    const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(interval * 0.8);
  });

  it('sends direct chats and "only you" answers to the person, not the room', async () => {
    world = await mockWorld();
    const { adapter, alice, botUser, room } = world;
    const roomOutbox = new Outbox(room, botUser);
    const aliceOutbox = new Outbox(alice, botUser);
    await adapter.send({ platform: 'wechat', chatId: alice.id, chatKind: 'direct', text: 'hello Alice' });
    await adapter.send(toRoom(world, 'your tickets: #3', { visibleTo: alice.id }));
    expect(aliceOutbox.texts).toEqual(['hello Alice', 'your tickets: #3']);
    expect(roomOutbox.texts).toEqual([]);
  });

  it('renders buttons as the commands to type', async () => {
    world = await mockWorld();
    const { adapter, botUser, room } = world;
    const outbox = new Outbox(room, botUser);
    await adapter.send(
      toRoom(world, 'New ticket #9', { buttons: [{ label: 'Claim', command: '/claim #9' }] }),
    );
    expect(outbox.texts).toEqual(['New ticket #9\n\nClaim: /claim #9']);
  });

  it('rejects a send to an unknown room without reporting the bot unhealthy', async () => {
    world = await mockWorld();
    await expect(world.adapter.send({ ...toRoom(world, 'hi'), chatId: 'nope@chatroom' })).rejects.toThrow(
      /unknown WeChat room/,
    );
    await expect(
      world.adapter.send({ platform: 'wechat', chatId: 'nobody', chatKind: 'direct', text: 'hi' }),
    ).rejects.toThrow(/unknown WeChat contact/);
    expect(world.host.health.map((h) => h.state)).toEqual(['up']);
  });

  it('rejects queued sends when stopped, and sends nothing afterwards', async () => {
    world = await mockWorld({ sendIntervalMs: 10_000 });
    const { adapter } = world;
    await adapter.send(toRoom(world, 'first'));
    const queued = expect(adapter.send(toRoom(world, 'second'))).rejects.toThrow(/stopped/);
    await adapter.stop();
    await queued;
    await expect(adapter.send(toRoom(world, 'third'))).rejects.toThrow(/not running/);
  });
});
