/**
 * Secrets never reach the log of a real bot. Each platform is configured with real-looking
 * credentials against a local fake that refuses them and echoes what it was sent (as some
 * proxies and debug endpoints do), at the most talkative level, and the process's whole
 * output is searched for every secret. The logger's own redaction is proven in
 * test/unit/logger.test.ts; this proves the wiring: adapters log through it, in JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const tsx = require.resolve('tsx/cli');

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-111122223333-444455556666-AbCdEfGhIjKlMnOpQrStUvWx',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GhIjKl.abcdefghijklmnopqrstuvwxyz012345678',
  ONEBOT_ACCESS_TOKEN: 'onebot-Tok3n-9f8e7d6c5b4a',
};

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      seen.push(req.url ?? '');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ok: false,
          error: 'invalid_auth',
          message: '401: Unauthorized',
          code: 0,
          received: req.headers.authorization,
          body,
        }),
      );
    });
  });
  // OneBot's WebSocket upgrade refused, with the offending token in the answer.
  server.on('upgrade', (req, socket) => {
    seen.push(`upgrade ${req.url}`);
    socket.end(
      `HTTP/1.1 401 Unauthorized\r\ncontent-type: text/plain\r\n\r\nbad token: ${req.headers.authorization} ${req.url}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs the bot until it exits or `stopWhen` matches its output (then SIGTERM). */
function run(
  env: Record<string, string>,
  stopWhen?: (log: string) => boolean,
): Promise<{ status: number | null; out: string; err: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'groupdesk-secrets-'));
  const child = spawn(process.execPath, [tsx, 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', GROUPDESK_DATA_DIR: dataDir, GROUPDESK_LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  let out = '';
  let err = '';
  let stopping = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    if (!stopping && stopWhen?.(err)) {
      stopping = true; // once: a second SIGTERM would find no handler and kill it (143)
      setTimeout(() => child.kill('SIGTERM'), 200);
    }
  });
  return new Promise((resolve) =>
    child.once('close', (status) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ status, out, err });
    }),
  );
}

function expectNoSecret(text: string): void {
  for (const [key, secret] of Object.entries(SECRETS)) {
    expect({ key, leaked: text.includes(secret) }).toEqual({ key, leaked: false });
  }
}

/** Every log line is one JSON object (production format); the exit message is plain text. */
function logEntries(err: string): Array<Record<string, unknown>> {
  const lines = err.split('\n').filter((line) => line.startsWith('{'));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

it('Slack: a refused token stops the start, and neither the token nor the signing secret is printed', async () => {
  const result = await run({
    SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
    SLACK_API_URL: `http://${base}/api/`,
    SLACK_HOST: '127.0.0.1',
    SLACK_PORT: '0',
  });
  expect(result.status).toBe(1);
  expect(result.err).toMatch(/groupdesk: failed to start: .*auth\.test failed \(check SLACK_BOT_TOKEN\)/);
  expect(logEntries(result.err).some((entry) => entry.level === 'warn' && entry.msg === 'slack: error')).toBe(
    true,
  );
  expect(seen).toContain('/api/auth.test');
  expectNoSecret(result.out + result.err);
}, 60_000);

it('Discord: a refused token stops the start without printing it', async () => {
  const result = await run({
    DISCORD_TOKEN: SECRETS.DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: '123456789012345678',
    DISCORD_API_URL: `http://${base}`,
  });
  expect(result.status).toBe(1);
  expect(result.err).toMatch(/groupdesk: failed to start: .*TokenInvalid/);
  expect(seen.some((url) => url.includes('/gateway'))).toBe(true);
  expectNoSecret(result.out + result.err);
}, 60_000);

it('QQ: a refused access token is logged as JSON lines with a hint, never the token', async () => {
  const result = await run(
    {
      ONEBOT_MODE: 'forward',
      ONEBOT_WS_URL: `ws://${base}/`,
      ONEBOT_ACCESS_TOKEN: SECRETS.ONEBOT_ACCESS_TOKEN,
    },
    // Two refusals, and the start complete (its SIGTERM handler installed after the scheduler).
    (log) =>
      (log.match(/OneBot forward connection failed/g) ?? []).length >= 2 &&
      log.includes('SLA scheduler started'),
  );
  expect(result.status).toBe(0);
  const entries = logEntries(result.err);
  expect(entries.length).toBeGreaterThan(3);
  expect(
    result.err
      .split('\n')
      .filter(Boolean)
      .every((line) => line.startsWith('{')),
  ).toBe(true);
  expect(
    entries.filter((entry) => entry.msg === 'OneBot forward connection failed').length,
  ).toBeGreaterThanOrEqual(2);
  expect(entries.find((entry) => entry.msg === 'OneBot forward connection failed')).toMatchObject({
    level: 'error',
    hint: expect.stringContaining('ONEBOT_ACCESS_TOKEN'),
  });
  expectNoSecret(result.out + result.err);
}, 60_000);
