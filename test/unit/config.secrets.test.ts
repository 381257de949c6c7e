/** A bad setting is named in the start-up error, but a secret's value never appears in it. */
import { slackConfigSchema } from '../../adapters/slack/slack.config';
import { parseWith } from '../../config/load';
import { coreEnvSchema } from '../../config/schema';

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return String(error);
  }
  throw new Error('expected the settings to be refused');
};

test('a user token pasted as SLACK_BOT_TOKEN is refused by name, its value not printed', () => {
  const message = errorOf(() =>
    parseWith(
      slackConfigSchema,
      { SLACK_BOT_TOKEN: 'xoxp-1234-real-user-token', SLACK_APP_TOKEN: 'xapp-1' },
      'environment',
    ),
  );
  expect(message).toContain('SLACK_BOT_TOKEN');
  expect(message).toContain('[redacted]');
  expect(message).not.toContain('xoxp-1234-real-user-token');
});

test('a database address of the wrong kind is shown, but not its password', () => {
  const message = errorOf(() =>
    parseWith(coreEnvSchema, { MONGODB_URI: 'postgres://desk:hunter2@db.internal:5432/desk' }, 'environment'),
  );
  expect(message).toContain('MONGODB_URI="postgres://desk:***@db.internal:5432/desk"');
  expect(message).not.toContain('hunter2');
});

test('a plain bad value is still shown, so the admin sees what was wrong', () => {
  const message = errorOf(() =>
    parseWith(coreEnvSchema, { GROUPDESK_OUTBOX_EXPIRE_HOURS: 'soon' }, 'environment'),
  );
  expect(message).toContain('GROUPDESK_OUTBOX_EXPIRE_HOURS="soon"');
});
