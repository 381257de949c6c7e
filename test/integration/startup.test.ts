/**
 * The real entry point, run as a process: bad configuration stops the start with exit
 * code 2 and one message naming the key, the value and what was expected; a piped
 * transcript runs to its end and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const tsx = require.resolve('tsx/cli');

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
