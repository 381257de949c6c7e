/**
 * The real entry point, run as a process: bad configuration stops the start with exit
 * code 2 and one message naming the key, the value and what was expected; a database
 * that does not answer stops it with exit code 1 and a message naming it; a piped
 * transcript runs to its end and exits 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
