/**
 * `npm start` without a platform: the playground starts the web console, names its address
 * and a sign-in link for each demo person in the guide, and stops it cleanly on `:quit`,
 * even with a live event stream open. A real process, real HTTP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cookieHeader, request } from './world';

const root = path.join(__dirname, '../../..');

it('the playground serves the console, prints sign-in links, and stops it with :quit', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-web-pg-'));
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_WEB_PORT: '0',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let out = '';
    const link = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /sign in as bob: (http:\/\/127\.0\.0\.1:\d+\/signin\?token=\S+)/.exec(out);
        if (found) resolve(found[1]!);
      });
      void exited.then(() => reject(new Error(`exited early: ${out}`)));
    });
    expect(out).toMatch(/Web console: http:\/\/127\.0\.0\.1:\d+\n {2}sign in as alice: /);
    expect(out).not.toContain('sign in as dave'); // no plan, no console
    const base = new URL(link).origin;
    const page = await request(base, { method: 'GET', url: link });
    expect(page.body).toContain('as bob?');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const signedIn = await request(base, {
      method: 'POST',
      url: '/signin',
      headers: {
        cookie: cookieHeader(page.headers['set-cookie'] as string[]),
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams({
        _csrf: csrf,
        token: new URL(link).searchParams.get('token')!,
      }).toString(),
    });
    expect(signedIn.statusCode).toBe(303);
    const cookie = cookieHeader(signedIn.headers['set-cookie'] as string[]);
    // A live stream stays open while the playground quits: closing must not wait for it.
    const stream = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(`${base}/events`, { headers: { cookie } }, resolve),
    );
    expect(stream.statusCode).toBe(200);
    stream.resume();
    child.stdin.write(':quit\n');
    expect(await exited).toBe(0);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
