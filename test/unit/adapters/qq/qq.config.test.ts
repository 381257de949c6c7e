import { qqConfigSchema } from '../../../../adapters/qq/qq.config';

describe('QQ config', () => {
  test('defaults: reverse mode on 127.0.0.1:6700 (the OneBot client runs beside it), 1 s per group, 10 s per action', () => {
    expect(qqConfigSchema.parse({ ONEBOT_ACCESS_TOKEN: 's3cret', ONEBOT_WS_URL: '' })).toEqual({
      ONEBOT_MODE: 'reverse',
      ONEBOT_WS_PORT: 6700,
      ONEBOT_WS_HOST: '127.0.0.1',
      ONEBOT_ACCESS_TOKEN: 's3cret',
      ONEBOT_SEND_INTERVAL_MS: 1000,
      ONEBOT_ACTION_TIMEOUT_MS: 10000,
    });
  });

  test('the token is required and must not be empty', () => {
    const missing = qqConfigSchema.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error?.issues[0]?.path).toEqual(['ONEBOT_ACCESS_TOKEN']);
    expect(qqConfigSchema.safeParse({ ONEBOT_ACCESS_TOKEN: '' }).error?.issues[0]?.message).toMatch(/empty/);
  });

  test('forward mode needs a ws:// URL', () => {
    const noUrl = qqConfigSchema.safeParse({ ONEBOT_MODE: 'forward', ONEBOT_ACCESS_TOKEN: 't' });
    expect(noUrl.error?.issues[0]).toMatchObject({ path: ['ONEBOT_WS_URL'] });
    expect(
      qqConfigSchema.safeParse({
        ONEBOT_MODE: 'forward',
        ONEBOT_ACCESS_TOKEN: 't',
        ONEBOT_WS_URL: 'http://x',
      }).success,
    ).toBe(false);
    expect(
      qqConfigSchema.parse({
        ONEBOT_MODE: 'forward',
        ONEBOT_ACCESS_TOKEN: 't',
        ONEBOT_WS_URL: 'ws://napcat:3001',
      }),
    ).toMatchObject({ ONEBOT_WS_URL: 'ws://napcat:3001' });
  });

  test('bad numbers and modes name the key', () => {
    const bad = qqConfigSchema.safeParse({
      ONEBOT_ACCESS_TOKEN: 't',
      ONEBOT_WS_PORT: '70000',
      ONEBOT_MODE: 'http',
    });
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(['ONEBOT_MODE', 'ONEBOT_WS_PORT']);
  });

  test('ONEBOT_WS_HOST takes an IP address or a host name, and names the key otherwise', () => {
    const parse = (host: string) =>
      qqConfigSchema.safeParse({ ONEBOT_ACCESS_TOKEN: 't', ONEBOT_WS_HOST: host });
    for (const ok of ['0.0.0.0', '10.1.2.3', '::', '::1', 'napcat', 'bot.example.com'])
      expect(parse(ok).data?.ONEBOT_WS_HOST).toBe(ok);
    for (const bad of ['http://0.0.0.0', '0.0.0.0:6700', 'my host', '[::1]', '-bad.example'])
      expect(parse(bad).error?.issues).toEqual([
        expect.objectContaining({
          path: ['ONEBOT_WS_HOST'],
          message: expect.stringMatching(/IP address or a host name/),
        }),
      ]);
  });
});
