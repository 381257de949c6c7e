import { ConfigError } from '../../src/core/errors';
import { membershipSyncPlatforms } from '../../src/platforms';

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
