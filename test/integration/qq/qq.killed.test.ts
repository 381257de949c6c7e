/**
 * kill -9 with messages waiting (issue 22): a real GroupDesk process on a SQLite file, fed 25
 * QQ requests over a real OneBot WebSocket by a client that never answers a send, is killed
 * with SIGKILL while its 50 acknowledgements and announcements wait (some of them leased,
 * mid-send). A new process on the same file, with a client that answers, delivers every one,
 * none twice. The only possible duplicates are sends the dead process had handed to the
 * client without hearing back (the crash window): counted and reported.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { ManualClock } from '../../../src/core/clock';
import { ReversePeer } from '../../fakes/onebot-peer';
import { ACME_GROUP, ALICE, BOT, plain, STAFF_GROUP, START, startQqDesk, text } from './desk.harness';
import { TOKEN } from './helpers';

const WORKER = join(__dirname, 'qq.killed.worker.ts');
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const REQUESTS = 25;
const OUTBOX = { baseDelayMs: 50, maxDelayMs: 200, sendTimeoutMs: 1000, pollMs: 60_000 };

const firstLine = (params: Record<string, unknown>) => plain(params).split('\n')[0]!;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

test(`kill -9 with ${2 * REQUESTS} messages waiting: the next process delivers each once`, async () => {
  // Seed the data directory (customer, plan, groups, engineer) and leave it.
  const seeded = await startQqDesk({}, {}, { keepDir: true });
  const dir = seeded.dir;
  await seeded.close();
  try {
    child = spawn(process.execPath, ['--import', TSX_LOADER, WORKER, dir, String(2 * REQUESTS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async (): Promise<string> => {
      const line = await lines.next();
      if (line.done) throw new Error('the GroupDesk process ended early (see its stderr above)');
      return line.value;
    };
    const port = Number((await next()).replace('port ', ''));
    const silent = await ReversePeer.dial(`ws://127.0.0.1:${port}/onebot/v11/ws`, {
      selfId: BOT,
      nickname: 'DeskBot',
      token: TOKEN,
    });
    silent.onAction('send_group_msg', () => 'no-answer');
    for (let i = 0; i < REQUESTS; i++)
      silent.push(
        silent.groupMessage({
          messageId: 9000 + i,
          groupId: ACME_GROUP,
          userId: ALICE + i,
          segments: [{ type: 'at', data: { qq: BOT } }, text(` killed ${i}`)],
          format: 'array',
          card: `Customer ${i}`,
        }),
      );
    expect(await next()).toBe(`waiting ${2 * REQUESTS}`);
    const handedOver = silent.received('send_group_msg').map((r) => firstLine(r.params));
    child.kill('SIGKILL');
    await new Promise<void>((resolve) => child!.once('exit', () => resolve()));
    await silent.close();

    const again = await startQqDesk(
      { ONEBOT_ACTION_TIMEOUT_MS: '300' },
      {},
      {
        outbox: OUTBOX,
        dir,
        keepDir: true,
        clock: new ManualClock(START + 60_000),
      },
    );
    try {
      const peer = await ReversePeer.dial(`ws://127.0.0.1:${again.adapter.port}/onebot/v11/ws`, {
        selfId: BOT,
        nickname: 'DeskBot',
        token: TOKEN,
      });
      await again.adapter.whenConnected(BOT);
      again.desk.router.retryKept();
      for (let round = 0; round < 20 && (await again.store.outboxDepth()).waiting > 0; round++) {
        again.clock.advance(60_000); // past every lease the dead process held
        again.desk.services.outbox.kick();
        await again.desk.router.idle();
      }
      const sent = (group: number) =>
        peer
          .received('send_group_msg')
          .filter((r) => r.params.group_id === group)
          .map((r) => firstLine(r.params));
      const acme = sent(ACME_GROUP);
      const staff = sent(STAFF_GROUP);
      expect(await again.store.outboxDepth()).toEqual({ waiting: 0 });
      for (let i = 0; i < REQUESTS; i++) {
        expect(acme.filter((t) => t.startsWith(`Ticket #${1001 + i} is open`))).toHaveLength(1);
        expect(staff.filter((t) => t.startsWith(`New ticket #${1001 + i} `))).toHaveLength(1);
      }
      expect(acme).toHaveLength(REQUESTS);
      expect(staff).toHaveLength(REQUESTS);
      const figures = {
        waitingAtKill: 2 * REQUESTS,
        handedToTheSilentClient: handedOver.length,
        deliveredAfterRestart: acme.length + staff.length,
        duplicatesAfterRestart: acme.length + staff.length - new Set([...acme, ...staff]).size,
      };
      console.log('outbox fault test (kill -9):', JSON.stringify(figures));
      await peer.close();
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
