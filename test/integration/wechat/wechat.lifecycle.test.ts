import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WechatAdapter } from '../../../adapters/wechat/wechat.adapter';
import { RecordingHost } from '../../fakes/recording-host';
import { type MockWorld, mockWorld, RecordingLogger, testConfig } from './mock-world';

// Real Wechaty 1.20 over wechaty-puppet-mock: login state, errors and room membership.
describe('WeChat adapter: login, health and membership', () => {
  let world: MockWorld;
  afterEach(async () => {
    await world?.stop();
  });

  it('draws the login QR code, logs its URL and reports that a login is required', async () => {
    world = await mockWorld({}, false);
    const { mocker, host, logger, botUser } = world;
    mocker.scan('https://login.weixin.qq.com/l/groupdesk-test');
    await host.waitForHealth('login_required');
    expect(world.qr.join('')).toMatch(/[▀▄█]/); // qrcode-terminal's block characters
    const line = logger.lines.find((l) => l.message.startsWith('scan the QR code'));
    expect(line?.meta).toMatchObject({ qrcode: 'https://login.weixin.qq.com/l/groupdesk-test' });
    expect(String(line?.meta.imageUrl)).toContain(encodeURIComponent('https://login.weixin.qq.com/l/'));
    mocker.login(botUser);
    await host.waitForHealth('up');
    expect(host.health.map((h) => h.state)).toEqual(['login_required', 'up']);
    expect(host.health[1]?.detail).toContain('DeskBot');
  });

  it('reports a logout so that managers can be alerted elsewhere', async () => {
    world = await mockWorld();
    await world.puppet.logout('kicked out by WeChat');
    await world.host.waitForHealth('logged_out');
    const event = world.host.health.find((h) => h.state === 'logged_out');
    expect(event).toEqual({
      platform: 'wechat',
      state: 'logged_out',
      detail: expect.stringContaining('kicked out by WeChat'),
    });
  });

  it('does not report its own shutdown as a logout', async () => {
    world = await mockWorld();
    await world.adapter.stop();
    expect(world.host.health.map((h) => h.state)).toEqual(['up']);
  });

  it('reports puppet errors without crashing, and keeps delivering', async () => {
    world = await mockWorld();
    const { puppet, host, alice, room } = world;
    puppet.emit('error', { data: 'connection to the puppet lost' });
    await host.waitForHealth('error');
    expect(host.health.find((h) => h.state === 'error')?.detail).toContain('connection to the puppet lost');
    alice.say('still there?').to(room);
    await host.waitForMessages(1);
  });

  it('reports people joining and leaving a room when WECHAT_SYNC_MEMBERS is on', async () => {
    world = await mockWorld({ syncMembers: true });
    const { mocker, room, alice, bob, host } = world;
    const carol = mocker.createContact({ name: 'Carol Zhao' });
    room.add(carol).by(alice);
    await host.waitForMembership(1);
    room.remove(bob).by(alice);
    await host.waitForMembership(2);
    expect(host.membership).toEqual([
      { platform: 'wechat', chatId: room.id, user: { id: carol.id, name: 'Carol Zhao' }, change: 'joined' },
      { platform: 'wechat', chatId: room.id, user: { id: bob.id, name: 'Bob Li' }, change: 'left' },
    ]);
  });

  it('never reports the bot itself as a member joining', async () => {
    world = await mockWorld({ syncMembers: true });
    const { mocker, alice, botUser, host, logger } = world;
    const carol = mocker.createContact({ name: 'Carol Zhao' });
    const newRoom = mocker.createRoom({ topic: 'Globex support', memberIdList: [alice.id] });
    newRoom.add(botUser, carol).by(alice);
    await host.waitForMembership(1);
    expect(host.membership.map((m) => m.user.id)).toEqual([carol.id]);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'the bot joined a room' }),
    );
  });

  it('ignores membership changes when WECHAT_SYNC_MEMBERS is off', async () => {
    world = await mockWorld();
    const { mocker, room, alice, host, logger } = world;
    room.add(mocker.createContact({ name: 'Carol Zhao' })).by(alice);
    await logger.waitFor('membership change ignored (WECHAT_SYNC_MEMBERS is off)');
    expect(host.membership).toEqual([]);
  });

  it('keeps the login session (Wechaty memory card) in the data dir', async () => {
    world = await mockWorld();
    // wechat4u saves its session like this right after login
    await world.puppet.memory.set('PUPPET-WECHAT4U', { session: 'abc' });
    await world.puppet.memory.save();
    expect(existsSync(path.join(world.dataDir, 'test-bot.memory-card.json'))).toBe(true);
  });

  it('builds the configured puppet by package name', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'groupdesk-wechat-'));
    const adapter = new WechatAdapter(
      { ...testConfig, name: 'by-name' },
      { dataDir: path.join(dataDir, 'nested'), logger: new RecordingLogger() },
    );
    try {
      await adapter.start(new RecordingHost());
      expect(existsSync(path.join(dataDir, 'nested'))).toBe(true);
      await expect(adapter.start(new RecordingHost())).rejects.toThrow(/already started/);
    } finally {
      await adapter.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
