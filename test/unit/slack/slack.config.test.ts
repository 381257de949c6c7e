import { slackConfigSchema } from '../../../adapters/slack/slack.config';

const BOT = 'xoxb-1-abc';
const SECRET = '0123456789abcdef0123456789abcdef';

/** The issue messages, each prefixed with the key it is about. */
function problems(env: Record<string, string>): string[] {
  const result = slackConfigSchema.safeParse(env);
  if (result.success) return [];
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('slackConfigSchema', () => {
  it('parses HTTP mode with defaults', () => {
    expect(slackConfigSchema.parse({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET })).toEqual({
      mode: 'http',
      botToken: BOT,
      signingSecret: SECRET,
      host: '0.0.0.0',
      port: 3000,
      command: '/gd',
    });
  });

  it('listens on SLACK_HOST in HTTP mode: an IP address or a host name', () => {
    const env = { SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET };
    expect(slackConfigSchema.parse({ ...env, SLACK_HOST: '127.0.0.1' })).toMatchObject({ host: '127.0.0.1' });
    expect(slackConfigSchema.parse({ ...env, SLACK_HOST: '::1' })).toMatchObject({ host: '::1' });
    expect(problems({ ...env, SLACK_HOST: '127.0.0.1:3000' })).toEqual([
      expect.stringMatching(/^SLACK_HOST: SLACK_HOST must be an IP address or a host name/),
    ]);
  });

  it('switches to Socket Mode when SLACK_APP_TOKEN is set, and takes the optional keys', () => {
    expect(
      slackConfigSchema.parse({
        SLACK_BOT_TOKEN: BOT,
        SLACK_APP_TOKEN: 'xapp-1-A1-xyz',
        SLACK_API_URL: 'http://127.0.0.1:9999/api/',
        SLACK_COMMAND: ' /Desk ',
        SLACK_SIGNING_SECRET: '',
      }),
    ).toEqual({
      mode: 'socket',
      botToken: BOT,
      appToken: 'xapp-1-A1-xyz',
      apiUrl: 'http://127.0.0.1:9999/api/',
      command: '/desk',
    });
  });

  it('names the missing bot token', () => {
    expect(problems({ SLACK_SIGNING_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN: SLACK_BOT_TOKEN is required/),
    ]);
  });

  it('asks for the signing secret in HTTP mode, pointing at Socket Mode as the alternative', () => {
    expect(problems({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: '' })).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET: .*required in HTTP mode.*SLACK_APP_TOKEN/),
    ]);
  });

  it('rejects swapped or malformed values with the key in the message', () => {
    const found = problems({
      SLACK_BOT_TOKEN: 'xapp-1-oops',
      SLACK_APP_TOKEN: 'xoxb-2-oops',
      SLACK_PORT: '70000',
      SLACK_API_URL: 'ftp://example.com',
      SLACK_COMMAND: 'gd',
    });
    for (const key of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_PORT',
      'SLACK_API_URL',
      'SLACK_COMMAND',
    ]) {
      expect(found).toContainEqual(expect.stringMatching(new RegExp(`^${key}: .*${key}`)));
    }
  });
});
