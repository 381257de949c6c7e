/**
 * The database stopped for real: a playground process (`src/main.ts`) on a FerretDB of its
 * own, whose pid is killed mid-run and which is started again on the same files. The
 * message sent while it is away is kept by the outage spool, the sender is told so, and it
 * is handled once FerretDB is back. Needs the FerretDB binary that scripts/ferretdb.sh
 * builds (FERRETDB_BIN, set by `npm run test:mongo`); without it the suite says so.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';

const ROOT = path.join(__dirname, '../..');
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const BIN = process.env.FERRETDB_BIN;
const KEPT =
  'The desk is temporarily unavailable. Your message is kept and will be handled as soon as it is back.';

jest.setTimeout(120_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

/** FerretDB on its SQLite files in `dir`, on `port`; resolves once it answers ping. */
async function startFerretDb(
  dir: string,
  port: number,
  extra: readonly string[] = [],
  credentials = '',
): Promise<ChildProcess> {
  for (const sub of ['data', 'state']) mkdirSync(path.join(dir, sub), { recursive: true });
  const child = spawn(
    BIN!,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${path.join(dir, 'data')}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${await freePort()}`,
      `--state-dir=${path.join(dir, 'state')}`,
      '--telemetry=disable',
      '--log-level=error',
      ...extra,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await mongoose
        .createConnection(`mongodb://${credentials}127.0.0.1:${port}/groupdesk`, {
          serverSelectionTimeoutMS: 500,
        })
        .asPromise();
      await connection.db!.admin().ping();
      await connection.close();
      return child;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function until(what: string, ready: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const describeWithFerretDb = BIN === undefined ? describe.skip : describe;
if (BIN === undefined)
  console.warn('FerretDB outage (skipped: FERRETDB_BIN is not set; `npm run test:mongo` builds and sets it)');

describeWithFerretDb('FerretDB stopped mid-run, or refusing the credentials', () => {
  let dir: string;
  let ferret: ChildProcess | undefined;
  let desk: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-ferret-'));
  });
  afterEach(async () => {
    for (const child of [desk, ferret]) {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (child) await exited(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the message sent while it is down and handles it once it is back', async () => {
    const port = await freePort();
    ferret = await startFerretDb(path.join(dir, 'ferretdb'), port);
    desk = spawn(process.execPath, ['--import', TSX_LOADER, 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        GROUPDESK_LOCALE: 'en',
        GROUPDESK_DATA_DIR: path.join(dir, 'desk'),
        MONGODB_URI: `mongodb://127.0.0.1:${port}/groupdesk`,
        GROUPDESK_MONGODB_TIMEOUT_MS: '500',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    desk.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    desk.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    desk.stdin!.write('@bot the installer hangs on step 3\n');
    await until('the first ticket', () => out.includes('Ticket #1001 is open'));

    ferret.kill('SIGKILL');
    await exited(ferret);
    desk.stdin!.write(':as erin\n:in globex\n@bot the cache never expires\n');
    await until('the outage notice', () => out.includes(KEPT));
    expect(out).not.toContain('Ticket #1002');
    expect(out).toContain(`[globex] groupdesk: ${KEPT}`);

    ferret = await startFerretDb(path.join(dir, 'ferretdb'), port);
    await until('the kept message to be handled', () => out.includes('@erin Ticket #1002 is open'), 90_000);
    desk.stdin!.write(':quit\n');
    await exited(desk);
    expect(desk.exitCode).toBe(0);

    const connection = await mongoose.createConnection(`mongodb://127.0.0.1:${port}/groupdesk`).asPromise();
    try {
      const tickets = await connection.db!.collection('tickets').find().sort({ _id: 1 }).toArray();
      expect(tickets.map((t) => [t._id, t.subject])).toEqual([
        [1001, 'the installer hangs on step 3'],
        [1002, 'the cache never expires'],
      ]);
      expect(out.split(KEPT)).toHaveLength(2); // told once
      expect(out.match(/Ticket #1002 is open/g)).toHaveLength(1); // handled once
    } finally {
      await connection.close();
    }
  });

  it('a wrong password stops the start with exit code 2, a clear message and no password', async () => {
    const port = await freePort();
    const auth = [
      '--test-enable-new-auth',
      '--setup-username=admin',
      '--setup-password=right',
      '--setup-database=groupdesk',
    ];
    ferret = await startFerretDb(path.join(dir, 'ferretdb'), port, auth, 'admin:right@');
    const uri = `mongodb://admin:wrong-s3cret@127.0.0.1:${port}/groupdesk`;
    desk = spawn(process.execPath, ['--import', TSX_LOADER, 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', GROUPDESK_DATA_DIR: path.join(dir, 'desk'), MONGODB_URI: uri },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    desk.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    await exited(desk);
    expect(desk.exitCode).toBe(2);
    expect(stderr).toBe(
      'groupdesk: configuration error\n' +
        `environment: MONGODB_URI="mongodb://admin:***@127.0.0.1:${port}/groupdesk": the server refused these ` +
        'credentials (authentication failed). Check the user name, the password and authSource.\n',
    );
  });
});
