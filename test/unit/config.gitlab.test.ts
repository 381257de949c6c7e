import { gitlabConfig } from '../../config/gitlab.config';
import { ConfigError } from '../../src/core/errors';

const TOKEN = `glpat-${'x9Y8'.repeat(5)}`;

it('is off without a token, and parses a full configuration', () => {
  expect(gitlabConfig({})).toBeUndefined();
  expect(
    gitlabConfig({
      GROUPDESK_GITLAB_TOKEN: TOKEN,
      GROUPDESK_GITLAB_URL: 'https://gitlab.example.org/',
      GROUPDESK_GITLAB_WEBHOOK_TOKEN: 'w'.repeat(16),
      GROUPDESK_GITLAB_POLL_MINUTES: '10',
    }),
  ).toEqual({
    token: TOKEN,
    url: 'https://gitlab.example.org',
    webhookToken: 'w'.repeat(16),
    pollMinutes: 10,
  });
  expect(gitlabConfig({ GROUPDESK_GITLAB_TOKEN: TOKEN })).toEqual({
    token: TOKEN,
    url: 'https://gitlab.com',
    pollMinutes: 0,
  });
});

it.each([
  [
    { GROUPDESK_GITLAB_TOKEN: 'short secret!' },
    'GROUPDESK_GITLAB_TOKEN="[redacted]": expected a GitLab access token',
  ],
  [{ GROUPDESK_GITLAB_TOKEN: TOKEN, GROUPDESK_GITLAB_URL: 'gitlab.com' }, 'GROUPDESK_GITLAB_URL'],
  [
    { GROUPDESK_GITLAB_TOKEN: TOKEN, GROUPDESK_GITLAB_WEBHOOK_TOKEN: 'too-short-secret'.slice(0, 10) },
    'GROUPDESK_GITLAB_WEBHOOK_TOKEN="[redacted]": expected at least 16 characters',
  ],
  [{ GROUPDESK_GITLAB_WEBHOOK_TOKEN: 'w'.repeat(16) }, 'set GROUPDESK_GITLAB_TOKEN too'],
  [
    { GROUPDESK_GITLAB_POLL_MINUTES: '5' },
    'GROUPDESK_GITLAB_POLL_MINUTES="5": set GROUPDESK_GITLAB_TOKEN too',
  ],
  [{ GROUPDESK_GITLAB_TOKEN: TOKEN, GROUPDESK_GITLAB_POLL_MINUTES: '2000' }, 'GROUPDESK_GITLAB_POLL_MINUTES'],
])('refuses %j, naming the key and never a secret', (env, message) => {
  let error: unknown;
  try {
    gitlabConfig(env);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toContain(message);
  const given: Record<string, string> = env;
  const secrets = [given.GROUPDESK_GITLAB_TOKEN, given.GROUPDESK_GITLAB_WEBHOOK_TOKEN];
  for (const secret of secrets)
    if (secret !== undefined) expect((error as Error).message).not.toContain(`"${secret}"`);
});
