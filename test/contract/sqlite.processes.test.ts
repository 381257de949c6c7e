/**
 * The SQLite store shared by real processes: a child process (node with the tsx loader) writes to the
 * same file as this one, concurrently, or is killed mid-stream.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';
import { openSqliteStore } from '../../src/store/sqlite';
import { event, newTicket } from './store.fixtures';

const WORKER = join(__dirname, 'sqlite.worker.ts');
// tsx as a loader of this very node process, not `tsx/cli`: the cli runs the script in a
// grandchild that a SIGKILL of the child would leave running (and holding the pipes open).
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

function startWorker(args: string[]): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, WORKER, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, lines };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const next = await lines.next();
  if (next.done) throw new Error('the worker ended early (see its stderr above)');
  return next.value;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

describe('SQLite store shared by two processes', () => {
  let dir: string;
  let file: string;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'groupdesk-procs-'));
    file = join(dir, 'groupdesk.sqlite');
  });
  afterEach(async () => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (child !== undefined) await exited(child);
    child = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('never hands out one ticket number twice, and lets one process win each inbound key', async () => {
    const count = 300;
    const store = openSqliteStore(file);
    const worker = startWorker(['race', file, String(count)]);
    child = worker.child;
    expect(await nextLine(worker.lines)).toBe('ready');
    worker.child.stdin!.write('go\n');
    const mine: number[] = [];
    const won: string[] = [];
    for (let i = 0; i < count; i += 1) {
      if (await store.claimInbound(`shared-${i}`, i)) won.push(`shared-${i}`);
      mine.push((await store.createTicket(newTicket({ sourceKey: `parent-${i}` }), event())).ticket.number);
    }
    const theirs = JSON.parse(await nextLine(worker.lines)) as { numbers: number[]; won: string[] };
    await exited(worker.child);
    await store.close();

    const numbers = [...mine, ...theirs.numbers].sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 2 * count }, (_, i) => 1001 + i));
    expect(won.filter((key) => theirs.won.includes(key))).toEqual([]);
    expect(won.length + theirs.won.length).toBe(count);
  });

  it('keeps every ticket it acknowledged when the process is killed mid-stream', async () => {
    const worker = startWorker(['ack', file]);
    child = worker.child;
    const acknowledged: number[] = [];
    while (acknowledged.length < 200) acknowledged.push(Number((await nextLine(worker.lines)).split(' ')[1]));
    worker.child.kill('SIGKILL');
    // Every ack the worker wrote before it died counts, including those not read yet.
    for (let next = await worker.lines.next(); !next.done; next = await worker.lines.next()) {
      acknowledged.push(Number(next.value.split(' ')[1]));
    }
    await exited(worker.child);

    const store = openSqliteStore(file);
    const missing: number[] = [];
    for (const number of acknowledged)
      if ((await store.getTicket(number)) === undefined) missing.push(number);
    expect(missing).toEqual([]);
    const next = await store.createTicket(newTicket({ sourceKey: 'after-the-crash' }), event());
    expect(next.ticket.number).toBeGreaterThan(Math.max(...acknowledged));
    await store.close();

    const db = new Database(file);
    expect(db.pragma('integrity_check', { simple: true })).toMatchObject({ integrity_check: 'ok' });
    db.close();
  });
});
