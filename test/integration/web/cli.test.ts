/**
 * `groupdesk web-link`: an admin makes a sign-in link from the CLI. The CLI and the bot sign
 * with the same key (generated once into the data dir), so the bot's console accepts it.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliIn } from '../cli.run';
import { world } from './world';

describe('groupdesk web-link', () => {
  let dir: string;
  const run = (...argv: string[]) => runCliIn(dir, 'en', argv);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-web-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a link the running console accepts, once', async () => {
    expect((await run('staff', 'add', 'slack', 'U1', 'engineer', '--name', 'Bob')).code).toBe(0);
    const made = await run('web-link', 'Bob');
    expect(made.code).toBe(0);
    const url = /http:\/\/127\.0\.0\.1:8080(\/signin\?token=\S+)/.exec(made.out)?.[1];
    expect(made.out).toMatch(/^Sign-in link for Bob \(valid for 10 minutes, one use\): /);
    expect(url).toBeDefined();
    expect(statSync(path.join(dir, 'web-secret')).mode & 0o777).toBe(0o600);
    const w = await world({ dataDir: dir });
    try {
      const page = await w.app.inject({ method: 'GET', url: url! });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('as Bob?');
    } finally {
      await w.close();
    }
  });

  it('refuses an unknown person, and someone who may not use the console', async () => {
    expect(await run('web-link', 'nobody')).toMatchObject({
      code: 1,
      err: 'No staff member or subscriber is called "nobody".\n',
    });
    await run('customer', 'add', 'initech');
    await run('subscriber', 'add', 'slack', 'U2', 'initech', '--name', 'Ann'); // no plan
    expect(await run('web-link', 'Ann')).toMatchObject({
      code: 1,
      err: "The web console is for the vendor's staff and for customers with a plan.\n",
    });
  });
});
