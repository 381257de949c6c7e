/**
 * The real entry point refuses a broken business calendar with exit code 2 and a message
 * naming the file and the problem, before anything starts; so does a plan with a negative
 * or unknown SLA metric.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '../..');

it('a bad calendar file stops the start with exit code 2, naming the file and the problem', () => {
  let file = '';
  const result = startWith((config) => {
    file = path.join(config, 'calendars/cn-workdays.json');
    const calendar = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...calendar, holidays: ['2026-02-30'] }));
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`Invalid business calendar ${file}:`);
  expect(result.stderr).toContain(
    'holidays[0]: "2026-02-30" is not a day of the calendar; expected a real date',
  );
  expect(result.stdout).toBe('');
});

function startWith(edit: (config: string) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-sla-start-'));
  try {
    const config = path.join(dir, 'config');
    cpSync(path.join(root, 'config'), config, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    edit(config);
    return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/main.ts'], {
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function editPlan(config: string, id: string, patch: Record<string, unknown>): string {
  const file = path.join(config, 'plans.json');
  const catalog = JSON.parse(readFileSync(file, 'utf8'));
  catalog.plans = catalog.plans.map((p: { id: string }) => (p.id === id ? { ...p, ...patch } : p));
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

it('a negative SLA target stops the start with exit code 2, naming the key', () => {
  let file = '';
  const result = startWith((config) => {
    file = editPlan(config, 'advanced', { nextResponseHours: -4 });
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(
    `${file}: plans.2.nextResponseHours: expected a positive number of hours, or null for no target`,
  );
  expect(result.stdout).toBe('');
});

it('an unknown SLA metric stops the start with exit code 2, naming it and the known ones', () => {
  let file = '';
  const result = startWith((config) => {
    file = editPlan(config, 'enterprise', { updateHours: 4 });
  });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(
    `${file}: plans.3: unknown SLA metric "updateHours"; expected firstResponseHours, nextResponseHours, resolutionHours`,
  );
});
