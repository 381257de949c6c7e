import { ConfigError } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { configuredAdapters, membershipSyncPlatforms } from '../../src/platforms';

// main.ts hands this list to createDesk: without it WECHAT_SYNC_MEMBERS had no effect.
describe('membershipSyncPlatforms', () => {
  const wechat = { WECHATY_PUPPET: 'wechaty-puppet-mock' };

  it('lists WeChat when WECHAT_SYNC_MEMBERS is on', () => {
    expect(membershipSyncPlatforms({ ...wechat, WECHAT_SYNC_MEMBERS: 'true' })).toEqual(['wechat']);
  });

  it('lists nothing when the switch is off, unset, or WeChat is not configured', () => {
    expect(membershipSyncPlatforms({ ...wechat, WECHAT_SYNC_MEMBERS: 'false' })).toEqual([]);
    expect(membershipSyncPlatforms(wechat)).toEqual([]);
    expect(membershipSyncPlatforms({ WECHAT_SYNC_MEMBERS: 'true' })).toEqual([]);
  });

  it('names a bad value as a configuration error', () => {
    expect(() => membershipSyncPlatforms({ ...wechat, WECHAT_SYNC_MEMBERS: 'maybe' })).toThrow(ConfigError);
  });
});

// Every adapter's keys go through one parse (config/load's parseWith): a bad value is a
// ConfigError naming the key and its value, which main.ts turns into exit code 2.
describe('configuredAdapters refuses a bad value, naming its key', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1-abc', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef' };
  const discord = { DISCORD_TOKEN: 'token', DISCORD_APPLICATION_ID: '100000000000000001' };
  const qq = { ONEBOT_ACCESS_TOKEN: 's3cret' };
  const wechat = { WECHATY_PUPPET: 'wechaty-puppet-mock' };
  const feishu = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's3cret' };
  it.each([
    ['SLACK_PORT', 'eighty', slack],
    ['DISCORD_APPLICATION_ID', 'groupdesk', discord],
    ['ONEBOT_SEND_INTERVAL_MS', 'soon', qq],
    ['WECHAT_MAX_TEXT', 'lots', wechat],
    ['FEISHU_DOMAIN', 'moon', feishu],
    ['FEISHU_MODE', 'webhook', feishu],
    ['FEISHU_APP_ID', 'a1b2', feishu],
  ])('%s=%s', (key, value, base) => {
    const run = () =>
      configuredAdapters({ ...base, [key]: value }, { dataDir: '/nonexistent', logger: silentLogger });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(new RegExp(`^environment: ${key}=${JSON.stringify(value)}: \\S`));
  });
});
