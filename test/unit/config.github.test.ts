import { githubConfig } from '../../config/github.config';
import { ConfigError } from '../../src/core/errors';

const TOKEN = `github_pat_${'a1B2'.repeat(10)}`;

it('is off without a token', () => {
  expect(githubConfig({})).toBeUndefined();
  expect(githubConfig({ GROUPDESK_GITHUB_TOKEN: '  ' })).toBeUndefined();
});

it('parses a full configuration', () => {
  expect(
    githubConfig({
      GROUPDESK_GITHUB_TOKEN: TOKEN,
      GROUPDESK_GITHUB_API_URL: 'http://127.0.0.1:9999/',
      GROUPDESK_GITHUB_REPO: 'acme/framework',
      GROUPDESK_GITHUB_WEBHOOK_SECRET: 's'.repeat(20),
      GROUPDESK_GITHUB_POLL_MINUTES: '15',
    }),
  ).toEqual({
    token: TOKEN,
    apiUrl: 'http://127.0.0.1:9999',
    defaultRepo: 'acme/framework',
    webhookSecret: 's'.repeat(20),
    pollMinutes: 15,
  });
  expect(githubConfig({ GROUPDESK_GITHUB_TOKEN: TOKEN })).toMatchObject({ apiUrl: 'https://api.github.com' });
});

it.each([
  [
    { GROUPDESK_GITHUB_TOKEN: 'not-a-token-but-secret-1234' },
    'GROUPDESK_GITHUB_TOKEN="[redacted]": expected a GitHub token',
  ],
  [
    { GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_REPO: 'framework' },
    'GROUPDESK_GITHUB_REPO="framework": expected owner/repo',
  ],
  [{ GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_API_URL: 'api.github.com' }, 'GROUPDESK_GITHUB_API_URL'],
  [
    { GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_WEBHOOK_SECRET: 'short-secret' },
    'GROUPDESK_GITHUB_WEBHOOK_SECRET="[redacted]"',
  ],
  [
    { GROUPDESK_GITHUB_REPO: 'acme/framework' },
    'GROUPDESK_GITHUB_REPO="acme/framework": set GROUPDESK_GITHUB_TOKEN too',
  ],
])('refuses %j naming the key, never the secret', (env, message) => {
  let error: unknown;
  try {
    githubConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toContain(message);
  expect((error as Error).message).not.toContain('not-a-token-but-secret');
  expect((error as Error).message).not.toContain('short-secret');
});
