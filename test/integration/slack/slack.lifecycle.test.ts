import { SlackAdapter } from '../../../adapters/slack/slack.adapter';
import { slackConfigSchema } from '../../../adapters/slack/slack.config';
import { RecordingHost } from '../../fakes/recording-host';
import { FakeSlackApi } from '../../fakes/slack-api';
import { MemoryLogger, SIGNING_SECRET } from './slack.harness';

describe('Slack adapter: start and stop', () => {
  let fake: FakeSlackApi;
  const running: SlackAdapter[] = [];

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
  });
  afterEach(async () => {
    for (const adapter of running.splice(0)) await adapter.stop();
    await fake.close();
  });

  const adapterFor = (env: Record<string, string>) => {
    const config = slackConfigSchema.parse({
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      SLACK_HOST: '127.0.0.1',
      SLACK_PORT: '0',
      ...env,
    });
    const adapter = new SlackAdapter(config, { logger: new MemoryLogger() });
    running.push(adapter);
    return adapter;
  };

  it('refuses to start with a token Slack rejects, naming the key', async () => {
    const host = new RecordingHost();
    await expect(adapterFor({ SLACK_BOT_TOKEN: 'xoxb-revoked' }).start(host)).rejects.toThrow(
      /SLACK_BOT_TOKEN.*invalid_auth/,
    );
    expect(host.health).toEqual([expect.objectContaining({ platform: 'slack', state: 'error' })]);
  });

  it('reports a taken port as a failed start, and can be stopped twice', async () => {
    const first = adapterFor({});
    await first.start(new RecordingHost());
    const host = new RecordingHost();
    const second = adapterFor({ SLACK_PORT: String(first.port) });
    await expect(second.start(host)).rejects.toThrow(/EADDRINUSE/);
    expect(host.health.at(-1)).toMatchObject({ state: 'error' });
    await first.stop();
    await first.stop();
    expect(first.port).toBeUndefined();
    await expect(
      first.send({ platform: 'slack', chatId: 'C1', chatKind: 'group', text: 'x' }),
    ).rejects.toThrow(/not running/);
  });
});
