/**
 * The real entry point refuses a broken business calendar with exit code 2 and a message
 * naming the file and the problem, before anything starts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

it('a bad calendar file stops the start with exit code 2, naming the file and the problem', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-sla-start-'));
  try {
    const config = path.join(dir, 'config');
    cpSync(path.join(root, 'config'), config, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const file = path.join(config, 'calendars/cn-workdays.json');
    const calendar = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...calendar, holidays: ['2026-02-30'] }));
    const result = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
      cwd: root,
      input: '',
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GROUPDESK_CONFIG_DIR: config,
        GROUPDESK_DATA_DIR: path.join(dir, 'data'),
      },
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`Invalid business calendar ${file}:`);
    expect(result.stderr).toContain(
      'holidays[0]: "2026-02-30" is not a day of the calendar; expected a real date',
    );
    expect(result.stdout).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
