/** `groupdesk outbox`: lists what waits with age, attempts and last error; retries and drops by id. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';
import { runCliIn } from './cli.run';

describe('groupdesk outbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-cli-outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** What a bot that could not reach QQ for 90 minutes left behind. */
  async function leaveWaiting() {
    const store = openSqliteStore(sqliteFileIn(dir));
    const at = Date.now() - 90 * 60_000;
    const message = (text: string) => ({
      platform: 'qq' as const,
      chatId: '100200300',
      chatKind: 'group' as const,
      text,
    });
    const [first, second] = await store.enqueueOutbound(
      [
        { message: message('Ticket #1001 is open'), expiresAt: at + 86_400_000 },
        { message: message('#1001 · bob: please upgrade'), expiresAt: at + 86_400_000 },
      ],
      at,
    );
    const claimed = await store.claimOutbound(first!, 'bot', at + 60_000, at);
    await store.settleOutbound(claimed!.id, 'bot', {
      result: 'retry',
      at,
      nextAt: at + 1000,
      error: 'OneBot: not connected',
    });
    await store.close();
    return { first: first!, second: second! };
  }

  it('lists the waiting messages, oldest chat order first, with age, attempts and the last error', async () => {
    const { first, second } = await leaveWaiting();
    const { code, out } = await runCliIn(dir, 'en', ['outbox']);
    expect(code).toBe(0);
    expect(out).toBe(
      '2 messages waiting to be sent; the oldest for 90 min.\n' +
        `${first.id}  queued  qq:100200300 #1  waiting 90 min  attempts 1  last error: OneBot: not connected\n` +
        '    “Ticket #1001 is open”\n' +
        `${second.id}  queued  qq:100200300 #2  waiting 90 min  attempts 0  last error: -\n` +
        '    “#1001 · bob: please upgrade”\n',
    );
    expect((await runCliIn(dir, 'zh-CN', ['outbox'])).out).toContain(
      '2 条消息待发送；最早的已等待 90 分钟。',
    );
  });

  it('retries one now with attempts reset, drops another for good, and refuses an unknown id', async () => {
    const { first, second } = await leaveWaiting();
    expect(await runCliIn(dir, 'en', ['outbox', 'retry', first.id])).toMatchObject({
      code: 0,
      out: `${first.id} will be sent again now (attempts reset).\n`,
    });
    expect((await runCliIn(dir, 'en', ['outbox', 'drop', second.id])).code).toBe(0);
    expect(await runCliIn(dir, 'en', ['outbox', 'drop', second.id])).toMatchObject({
      code: 1,
      err: `${second.id}: no message waiting or failed with this id. Nothing was changed.\n`,
    });
    expect((await runCliIn(dir, 'en', ['outbox', 'retry'])).code).toBe(2);
    const store = openSqliteStore(sqliteFileIn(dir));
    const rows = await store.listOutbound({});
    expect(rows.map((r) => [r.id, r.state, r.attempts])).toEqual([
      [first.id, 'queued', 0],
      [second.id, 'dropped', 0],
    ]);
    await store.close();
    expect((await runCliIn(dir, 'en', ['outbox'])).out).toMatch(/^1 message waiting/);
  });
});
