/**
 * The real entry point, run as a process: bad configuration stops the start with exit
 * code 2 and one message naming the key, the value and what was expected; a database
 * that does not answer stops it with exit code 1 and a message naming it; a piped
 * transcript runs to its end and exits 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';

const root = path.join(__dirname, '../..');
const tsx = require.resolve('tsx/cli');

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function start(env: Record<string, string>, input = '') {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-start-'));
  const result = spawnSync(process.execPath, [tsx, 'src/main.ts'], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', GROUPDESK_DATA_DIR: dataDir, ...env },
    timeout: 30_000,
  });
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

/** The playground loads no platform SDK and no MongoDB driver: each costs 0.3–1.2 s of start. */
describe('what the start loads', () => {
  it('npm start runs the playground from the bundle, loading none of the platform SDKs or mongoose', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-start-'));
    const result = spawnSync(
      process.execPath,
      // npm start's own path: the bundle (scripts/build.js), rebuilt here if a source changed.
      ['-r', path.join(root, 'test/fakes/loaded-sdks.js'), 'scripts/start.js'],
      {
        cwd: root,
        input: ':quit\n',
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', GROUPDESK_DATA_DIR: dataDir },
        timeout: 30_000,
      },
    );
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/alice/); // the playground's guide
    expect(result.stderr).toContain('loaded SDKs: none');
  });
});

/** `start`, without blocking this process (a fake server in it must keep answering). */
function startAsync(env: Record<string, string>): Promise<{ status: number | null; stderr: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-start-'));
  const child = spawn(process.execPath, [tsx, 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', GROUPDESK_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.once('close', (status) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ status, stderr });
    }),
  );
}

/** Runs a start with `env` and, at the same moment, one that fails on its first check. */
async function startBeside(env: Record<string, string>, as: { uid?: number; gid?: number } = {}) {
  const run = (vars: Record<string, string>, ids: typeof as) =>
    new Promise<{ status: number | null; stdout: string; stderr: string; ms: number }>((resolve) => {
      const began = Date.now();
      const child = spawn(process.execPath, [tsx, 'src/main.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...vars },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...ids,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr, ms: Date.now() - began });
      });
    });
  // A data dir of its own unless the test gives one: ./data would be created in the repo.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-start-'));
  const [result, reference] = await Promise.all([
    run({ GROUPDESK_DATA_DIR: dataDir, ...env }, as),
    run({ GROUPDESK_LOCALE: 'fr' }, as),
  ]);
  rmSync(dataDir, { recursive: true, force: true });
  expect(reference.status).toBe(2);
  return { ...result, referenceMs: reference.ms };
}

/**
 * Refused with exit code 2 and one message, within a second of a start that fails on its
 * first check (booting tsx and importing every adapter alone takes seconds, and twice as
 * long on a loaded machine: a quarter of it is allowed as noise), so a check that hangs
 * (as on /proc did) or waits for a peer fails the test.
 */
function expectRefusedQuickly(result: Awaited<ReturnType<typeof startBeside>>, message: RegExp) {
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stdout).toBe('');
  expect(result.status).toBe(2);
  expect(result.ms).toBeLessThan(result.referenceMs * 1.25 + 1000);
}

describe('starting groupdesk', () => {
  it.each([
    ['GROUPDESK_LOCALE', 'fr', /GROUPDESK_LOCALE="fr": .*"zh-CN".*"en"/],
    ['GROUPDESK_TIMEZONE', 'Mars/Olympus', /GROUPDESK_TIMEZONE="Mars\/Olympus": expected an IANA time zone/],
    ['GROUPDESK_FOLLOWUP_MINUTES', '-5', /GROUPDESK_FOLLOWUP_MINUTES="-5": .*(>0|positive|greater)/i],
    ['MONGODB_URI', 'http://db', /MONGODB_URI="http:\/\/db": expected a mongodb:\/\//],
    ['GROUPDESK_CONFIG_DIR', '/nonexistent', /plans\.json: file not found/],
  ])('%s=%s stops the start with exit code 2', (key, value, message) => {
    const result = start({ [key]: value });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('GROUPDESK_MONGODB_TIMEOUT_MS=soon stops the start with exit code 2', () => {
    const result = start({
      MONGODB_URI: 'mongodb://127.0.0.1:1/groupdesk',
      GROUPDESK_MONGODB_TIMEOUT_MS: 'soon',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/GROUPDESK_MONGODB_TIMEOUT_MS="soon": .*number/i);
  });

  it('a MongoDB that does not answer stops the start with exit code 1, a clear message and no password', async () => {
    const port = await closedPort();
    const result = start({
      MONGODB_URI: `mongodb://admin:s3cret@127.0.0.1:${port}/groupdesk`,
      GROUPDESK_MONGODB_TIMEOUT_MS: '300',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^groupdesk: the database is unreachable\n/);
    expect(result.stderr).toContain(
      `MongoDB at mongodb://admin:***@127.0.0.1:${port}/groupdesk did not answer within 300 ms`,
    );
    expect(result.stderr).not.toContain('s3cret');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
  });

  it.each([
    ['accepts connections and never answers', (_socket: import('node:net').Socket) => undefined],
    [
      'answers HTTP',
      (socket: import('node:net').Socket) =>
        socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    ],
  ])(
    'a server on the port that %s (not MongoDB) stops the start with exit code 1 within the timeout',
    async (_what, serve) => {
      const server = createServer(serve);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      try {
        // spawnSync would block the event loop that serves the fake server: run it async.
        const result = await startAsync({
          MONGODB_URI: `mongodb://admin:s3cret@127.0.0.1:${port}/groupdesk`,
          GROUPDESK_MONGODB_TIMEOUT_MS: '500',
        });
        expect(result.status).toBe(1);
        expect(result.stderr).toMatch(/^groupdesk: the database is unreachable\n/);
        expect(result.stderr).toContain(
          `MongoDB at mongodb://admin:***@127.0.0.1:${port}/groupdesk did not answer`,
        );
        expect(result.stderr).not.toContain('s3cret');
      } finally {
        server.close();
      }
    },
  );

  describe('GROUPDESK_DATA_DIR that cannot hold the data', () => {
    let scratch: string;
    beforeAll(() => {
      scratch = mkdtempSync(path.join(tmpdir(), 'groupdesk-datadir-'));
    });
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('a regular file', async () => {
      const file = path.join(scratch, 'a-file');
      writeFileSync(file, 'not a directory');
      expectRefusedQuickly(
        await startBeside({ GROUPDESK_DATA_DIR: file }),
        /^groupdesk: configuration error\nenvironment: GROUPDESK_DATA_DIR=".*a-file": is a file, not a directory\n$/,
      );
    });

    it.each([
      [
        '/etc/hostname/x',
        /GROUPDESK_DATA_DIR="\/etc\/hostname\/x": cannot be created: \/etc\/hostname is a file/,
      ],
      ['/proc/groupdesk', /GROUPDESK_DATA_DIR="\/proc\/groupdesk": is on \/proc, a pseudo-filesystem/],
      ['/proc/self', /GROUPDESK_DATA_DIR="\/proc\/self": is on \/proc, a pseudo-filesystem/],
      ['/sys/groupdesk', /GROUPDESK_DATA_DIR="\/sys\/groupdesk": is on \/sys, a pseudo-filesystem/],
      ['/dev/null', /GROUPDESK_DATA_DIR="\/dev\/null": is on \/dev, a pseudo-filesystem/],
    ])('%s', async (dir, message) => {
      expectRefusedQuickly(await startBeside({ GROUPDESK_DATA_DIR: dir }), message);
    });

    it('a symbolic link to /proc', async () => {
      const link = path.join(scratch, 'to-proc');
      symlinkSync('/proc/self', link);
      expectRefusedQuickly(
        await startBeside({ GROUPDESK_DATA_DIR: path.join(link, 'data') }),
        /GROUPDESK_DATA_DIR=".*to-proc\/data": is on \/proc, a pseudo-filesystem/,
      );
    });

    // chmod does not stop root: as root the start runs as nobody, who cannot write there.
    const asRoot = process.getuid?.() === 0;
    // nobody must be able to reach the checkout to run it: a clone under `mktemp -d` (0700) cannot.
    const reachable = (dir: string): boolean =>
      (statSync(dir).mode & 0o005) === 0o005 && (dir === path.dirname(dir) || reachable(path.dirname(dir)));
    const runnable = !asRoot || reachable(root);
    if (!runnable)
      console.warn(
        `skipped "a directory it may not write to": as root it runs as nobody, who cannot reach ${root}`,
      );
    (runnable ? it : it.skip)('a directory it may not write to', async () => {
      const shared = path.join(scratch, 'shared');
      mkdirSync(shared, { recursive: true });
      chmodSync(scratch, 0o755);
      chmodSync(shared, asRoot ? 0o755 : 0o555);
      const result = await startBeside(
        { GROUPDESK_DATA_DIR: shared },
        asRoot ? { uid: 65534, gid: 65534 } : {},
      );
      chmodSync(shared, 0o755);
      expectRefusedQuickly(result, /GROUPDESK_DATA_DIR=".*shared": is not writable \(EACCES/);
    });

    it('a missing directory is created, for the owner only', () => {
      const fresh = path.join(scratch, 'new', 'data');
      const result = start({ GROUPDESK_DATA_DIR: fresh, GROUPDESK_LOCALE: 'en' }, ':quit\n');
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(statSync(fresh).mode & 0o777).toBe(0o700);
    });
  });

  // They turn a platform on: blank, the bot used to start the playground instead.
  it.each([
    ['SLACK_BOT_TOKEN', ' ', 'remove the line to leave Slack off, or give the token'],
    ['SLACK_SIGNING_SECRET', '', 'remove the line to leave it unset, or give the Slack secret'],
    ['SLACK_APP_TOKEN', '\t', 'remove the line to leave it unset, or give the Slack secret'],
    ['DISCORD_TOKEN', '', 'remove the line to leave Discord off, or give the token'],
    ['ONEBOT_ACCESS_TOKEN', '  ', 'remove the line to leave QQ off, or give the token'],
    ['WECHATY_PUPPET', ' ', 'remove the line to leave WeChat off, or give the puppet'],
  ])('%s=%j (set but blank) stops the start with exit code 2', async (key, value, fix) => {
    const result = await startBeside({ [key]: value });
    expect(result.stderr).toBe(
      `groupdesk: configuration error\nenvironment: ${key}=${JSON.stringify(value)}: set but blank: ${fix}\n`,
    );
    expectRefusedQuickly(result, /set but blank/);
  });

  it('starts the playground from a .env copied from .env.example, as CONTRIBUTING.md says', () => {
    const example = parseEnv(readFileSync(path.join(root, '.env.example'), 'utf8')) as Record<string, string>;
    const { GROUPDESK_DATA_DIR: _inRepo, ...env } = example; // ./data: the test's own dir instead
    const result = start({ ...env, GROUPDESK_LOCALE: 'en' }, ':quit\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('GroupDesk console playground');
  });

  it('plays a piped transcript to the end and exits 0', () => {
    const result = start(
      { GROUPDESK_LOCALE: 'en' },
      '@bot hello, the installer hangs\n:as bob\n:in staff\n/claim #1001\n',
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('GroupDesk console playground');
    expect(result.stdout).toContain('[acme] groupdesk: @alice Ticket #1001 is open');
    expect(result.stdout).toContain('[staff] groupdesk: #1001 is now yours, bob.');
  });
});
