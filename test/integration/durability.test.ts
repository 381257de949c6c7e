/**
 * What the bot acknowledged survives the process being killed, and a message redelivered
 * after a restart is still recognised as a duplicate.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { createDesk } from '../../src/app';
import type { InboundMessage, OutboundMessage } from '../../src/core/chat';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { seedDemo } from '../../src/demo';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';

const root = path.join(__dirname, '../..');

function waitForLine(child: ChildProcessWithoutNullStreams, pattern: RegExp, ms = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in:\n${seen}`)), ms);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const line = seen.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

describe('durability', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-durable-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a ticket whose number was acknowledged survives SIGKILL right after', async () => {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', GROUPDESK_LOCALE: 'en', GROUPDESK_DATA_DIR: dir },
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitForLine(child, /console playground/);
      child.stdin.write('@bot the nightly export is empty\n');
      const ack = await waitForLine(child, /Ticket #\d+ is open/);
      child.kill('SIGKILL');
      await exited;
      const store = openSqliteStore(sqliteFileIn(dir));
      const number = Number(/#(\d+)/.exec(ack)![1]);
      expect(await store.getTicket(number)).toMatchObject({
        subject: 'the nightly export is empty',
        status: 'open',
      });
      await store.close();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a redelivery after a restart opens no second ticket and sends nothing', async () => {
    const config = loadConfig({
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.join(root, 'config'),
    });
    const message: InboundMessage = {
      platform: 'console',
      chatId: 'acme',
      chatKind: 'group',
      messageId: 'platform-msg-42',
      sender: { id: 'alice', name: 'alice' },
      text: 'the importer skips rows',
      mentions: [],
      addressed: true,
    };
    const run = async () => {
      const sent: OutboundMessage[] = [];
      const store = openSqliteStore(sqliteFileIn(dir));
      const desk = createDesk({
        config,
        store,
        clock: new ManualClock(Date.now()),
        logger: silentLogger,
        messenger: {
          send: async (m) => {
            sent.push(m);
            return { messageId: 'x' };
          },
        },
      });
      await seedDemo(desk.services);
      await desk.router.handle(message);
      await store.close();
      return sent;
    };
    expect((await run()).length).toBeGreaterThan(0);
    expect(await run()).toEqual([]);
    const store = openSqliteStore(sqliteFileIn(dir));
    expect(await store.getTicket(1001)).toBeDefined();
    expect(await store.getTicket(1002)).toBeUndefined();
    await store.close();
  });
});
