import { stderrLogger } from '../../src/logger';

// Real-looking secrets, each in a place a log call really puts them.
const SECRETS = {
  slackBot: 'xoxb-111122223333-444455556666-AbCdEfGhIjKlMnOpQrStUvWx',
  slackSigning: '0123456789abcdef0123456789abcdef',
  slackApp: 'xapp-1-A0123456789-1234567890123-0a1b2c3d4e5f',
  discord: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz012345678',
  onebot: 'onebot-Tok3n-9f8e7d6c5b4a',
  mongoPassword: 'P4ssw0rd-s3cret',
  githubToken: 'ghp_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa',
  githubPat: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  githubWebhook: 'whsec-groupdesk-0123456789abcdef',
};

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const logger = stderrLogger('debug', { format, write: (line) => lines.push(line) });
  return { logger, text: () => lines.join('') };
}

function logEverySecret(logger: ReturnType<typeof stderrLogger>): void {
  logger.error('slack: start failed', {
    config: { botToken: SECRETS.slackBot, signingSecret: SECRETS.slackSigning, appToken: SECRETS.slackApp },
  });
  logger.warn('discord: REST call failed', { headers: { authorization: `Bot ${SECRETS.discord}` } });
  logger.warn('OneBot forward connection down', {
    url: `ws://127.0.0.1:6700/?access_token=${SECRETS.onebot}`,
  });
  logger.error('store unavailable', {
    error: new Error(
      `connect ECONNREFUSED mongodb://groupdesk:${SECRETS.mongoPassword}@db.internal:27017/desk`,
    ),
  });
  logger.info(`retrying mongodb://groupdesk:${SECRETS.mongoPassword}@db.internal:27017/desk`);
  logger.debug('environment', {
    env: {
      DISCORD_TOKEN: SECRETS.discord,
      ONEBOT_ACCESS_TOKEN: SECRETS.onebot,
      GROUPDESK_GITHUB_TOKEN: SECRETS.githubToken,
      GROUPDESK_GITHUB_WEBHOOK_SECRET: SECRETS.githubWebhook,
    },
  });
  // An upstream error that echoes the token in its text (a proxy's debug page does).
  logger.warn('upstream: create issue failed', {
    error: new Error(`401 Bad credentials for ${SECRETS.githubToken} (also tried ${SECRETS.githubPat})`),
  });
}

describe.each(['json', 'pretty'] as const)('the %s log', (format) => {
  it('never holds a secret, by key or inside text', () => {
    const { logger, text } = capture(format);
    logEverySecret(logger);
    const log = text();
    for (const [what, secret] of Object.entries(SECRETS)) {
      expect({ what, leaked: log.includes(secret) }).toEqual({ what, leaked: false });
    }
    // What is not secret still reaches the operator.
    expect(log).toContain('slack: start failed');
    expect(log).toContain('db.internal:27017');
    expect(log).toContain('ECONNREFUSED');
    expect(log).toContain('ws://127.0.0.1:6700/');
    expect(log.split('\n').filter(Boolean)).toHaveLength(7);
  });
});

it('writes one JSON object per line in production, with level, time and message', () => {
  const { logger, text } = capture('json');
  logger.warn('reply not delivered', { platform: 'qq', error: new TypeError('socket hang up') });
  const entry = JSON.parse(text()) as Record<string, unknown>;
  expect(entry).toMatchObject({ level: 'warn', msg: 'reply not delivered', platform: 'qq' });
  expect(entry.error).toMatchObject({ type: 'TypeError', message: 'socket hang up' });
  expect(new Date(String(entry.time)).getTime()).not.toBeNaN();
});

it('writes readable one-line entries in the playground, an Error as its message', () => {
  const { logger, text } = capture('pretty');
  logger.error('discord: client error', new Error('gateway closed') as unknown as Record<string, unknown>);
  expect(text()).toMatch(
    /^\d{4}-\d\d-\d\dT[\d:.]+Z ERROR discord: client error \{"type":"Error","message":"gateway closed"/,
  );
  expect(text().trimEnd().split('\n')).toHaveLength(1);
});

it('honours the level, silent included', () => {
  const lines: string[] = [];
  stderrLogger('warn', { write: (l) => lines.push(l) }).info('not shown');
  stderrLogger('silent', { write: (l) => lines.push(l) }).error('not shown either');
  expect(lines).toEqual([]);
});
