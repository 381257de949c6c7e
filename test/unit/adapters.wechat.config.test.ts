import { ZodError } from 'zod';
import { RecentCache } from '../../adapters/kit/cache';
import { parseWechatConfig } from '../../adapters/wechat/wechat.config';

const issuesOf = (env: Record<string, string>) => {
  try {
    parseWechatConfig(env);
  } catch (err) {
    if (err instanceof ZodError)
      return err.issues.map((i) => ({ key: i.path.join('.'), message: i.message }));
    throw err;
  }
  throw new Error('expected the configuration to be refused');
};

describe('WeChat configuration', () => {
  it('has safe defaults: wechat4u, session "groupdesk", no member sync, spaced sends', () => {
    expect(parseWechatConfig({})).toEqual({
      puppet: 'wechaty-puppet-wechat4u',
      puppetOptions: {},
      name: 'groupdesk',
      syncMembers: false,
      sendIntervalMs: 1500,
      globalSendIntervalMs: 500,
      maxText: 1800,
    });
  });

  it('treats empty values as unset', () => {
    expect(
      parseWechatConfig({ WECHAT_SYNC_MEMBERS: '', WECHAT_MAX_TEXT: ' ', WECHATY_PUPPET: '' }),
    ).toMatchObject({
      puppet: 'wechaty-puppet-wechat4u',
      syncMembers: false,
      maxText: 1800,
    });
  });

  it('passes the puppet-service token, endpoint and extra options to the puppet', () => {
    const config = parseWechatConfig({
      WECHATY_PUPPET: 'wechaty-puppet-service',
      WECHATY_PUPPET_SERVICE_TOKEN: 'puppet_workpro_abc',
      WECHATY_PUPPET_SERVICE_ENDPOINT: '127.0.0.1:8788',
      WECHATY_PUPPET_OPTIONS: '{"tls":{"disable":true}}',
      WECHAT_SYNC_MEMBERS: 'true',
      WECHAT_SEND_INTERVAL_MS: '3000',
    });
    expect(config).toMatchObject({
      puppet: 'wechaty-puppet-service',
      puppetOptions: { token: 'puppet_workpro_abc', endpoint: '127.0.0.1:8788', tls: { disable: true } },
      syncMembers: true,
      sendIntervalMs: 3000,
    });
  });

  it('requires a token for wechaty-puppet-service, naming the key', () => {
    expect(issuesOf({ WECHATY_PUPPET: 'wechaty-puppet-service' })).toEqual([
      { key: 'WECHATY_PUPPET_SERVICE_TOKEN', message: expect.stringContaining('required') },
    ]);
  });

  it('refuses unknown puppets, paths as session names and bad numbers, naming each key', () => {
    const keys = issuesOf({
      WECHATY_PUPPET: 'wechaty-puppet-padlocal',
      WECHATY_NAME: '../etc/passwd',
      WECHAT_SEND_INTERVAL_MS: '-5',
      WECHAT_MAX_TEXT: 'lots',
      WECHAT_SYNC_MEMBERS: 'maybe',
      WECHATY_PUPPET_OPTIONS: '[1,2]',
    }).map((i) => i.key);
    expect(keys.sort()).toEqual([
      'WECHATY_NAME',
      'WECHATY_PUPPET',
      'WECHATY_PUPPET_OPTIONS',
      'WECHAT_MAX_TEXT',
      'WECHAT_SEND_INTERVAL_MS',
      'WECHAT_SYNC_MEMBERS',
    ]);
  });
});

describe('the WeChat seen-ids cache (RecentCache, lru order)', () => {
  it('reports each id once and forgets the least recently seen beyond its capacity', () => {
    const ids = new RecentCache<true>({ max: 2 });
    expect(ids.firstTime('a', true)).toBe(true);
    expect(ids.firstTime('a', true)).toBe(false);
    expect(ids.firstTime('b', true)).toBe(true);
    expect(ids.firstTime('a', true)).toBe(false); // refreshes "a"
    expect(ids.firstTime('c', true)).toBe(true); // evicts "b", the least recently seen
    expect(ids.firstTime('a', true)).toBe(false);
    expect(ids.firstTime('b', true)).toBe(true);
  });
});
