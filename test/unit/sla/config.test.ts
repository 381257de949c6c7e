/**
 * Calendars and reminder rules are validated at load: a bad calendar file, a plan naming a
 * calendar that is not there, or a bad sla.json stop the start with a message naming the
 * file, the key and what was expected.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { ConfigError } from '../../../src/core/errors';

const shipped = path.join(__dirname, '../../../config');

describe('SLA configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-config-'));
    cpSync(shipped, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = () => loadConfig({ GROUPDESK_CONFIG_DIR: dir });
  const edit = (file: string, change: (json: Record<string, unknown>) => unknown) => {
    const full = path.join(dir, file);
    writeFileSync(full, JSON.stringify(change(JSON.parse(readFileSync(full, 'utf8')))));
  };
  const failure = () => {
    try {
      load();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('loads the shipped calendars by id and the shipped rules', () => {
    const config = load();
    expect([...config.calendars.keys()]).toEqual(['cn-workdays', 'us-eastern']);
    expect(config.sla.tickets.stages.map((s) => s.percent)).toEqual([50, 80, 100]);
    expect(config.sla.scheduler.cron).toBe('* * * * *');
  });

  it('uses the defaults when sla.json is absent or partial', () => {
    unlinkSync(path.join(dir, 'sla.json'));
    expect(load().sla.digest).toEqual({
      enabled: true,
      at: '09:30',
      atRiskPercent: 80,
      skipWhenEmpty: true,
      calendarWarningDays: 30,
    });
    writeFileSync(path.join(dir, 'sla.json'), JSON.stringify({ scheduler: { retry: { maxAttempts: 3 } } }));
    const { scheduler, tickets } = load().sla;
    expect(scheduler.retry).toEqual({ maxAttempts: 3, firstDelaySeconds: 60, maxDelaySeconds: 3600 });
    expect(tickets.repeatEveryWorkingHours).toBe(4);
  });

  it('names the calendar file and the problem', () => {
    edit('calendars/cn-workdays.json', (c) => ({
      ...c,
      week: { ...(c.week as object), mon: [['09:00', '25:00']] },
    }));
    expect(failure()).toMatch(
      /calendars\/cn-workdays\.json[\s\S]*week\.mon\[0\]\[1\]: expected a time "HH:mm"/,
    );
  });

  it('refuses a calendar whose id is not its file name, and broken JSON', () => {
    edit('calendars/us-eastern.json', (c) => ({ ...c, id: 'eastern' }));
    expect(failure()).toMatch(/us-eastern\.json: id="eastern": expected "us-eastern"/);
    writeFileSync(path.join(dir, 'calendars/us-eastern.json'), '{ nope');
    expect(failure()).toMatch(/us-eastern\.json: not valid JSON/);
  });

  it('refuses a plan naming a calendar that is not loaded', () => {
    edit('plans.json', (c) => ({
      ...c,
      plans: (c.plans as Array<Record<string, unknown>>).map((p) =>
        p.id === 'advanced' ? { ...p, calendar: 'mars' } : p,
      ),
    }));
    expect(failure()).toMatch(
      /plans\.json: plans\.2\.calendar="mars": no calendars\/mars\.json; expected one of: cn-workdays, us-eastern/,
    );
  });

  it('refuses stages out of order, a bad cron expression and unknown keys in sla.json', () => {
    edit('sla.json', (c) => ({
      ...c,
      tickets: {
        stages: [
          { id: 'a', percent: 80, notify: 'staff' },
          { id: 'b', percent: 50, notify: 'staff' },
        ],
      },
    }));
    expect(failure()).toMatch(
      /sla\.json: tickets\.stages\.1\.percent: expected stages in ascending percent order/,
    );
    edit('sla.json', () => ({ scheduler: { cron: 'every minute' } }));
    expect(failure()).toMatch(/sla\.json: scheduler\.cron: expected a node-cron expression/);
    edit('sla.json', () => ({ digest: { at: '9:30', colour: 'red' } }));
    expect(failure()).toMatch(/digest\.at: expected a time "HH:mm"[\s\S]*colour/);
  });
});
