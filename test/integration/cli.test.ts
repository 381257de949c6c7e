import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliIn } from './cli.run';

describe('the admin CLI', () => {
  let dir: string;
  const run = (...argv: string[]) => runCliIn(dir, 'en', argv);
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sets up a customer end to end and exports it as JSON lines', async () => {
    expect(await run('customer', 'add', 'initech', '--name', 'Initech')).toMatchObject({
      code: 0,
      out: 'Customer initech (Initech) added.\n',
    });
    expect(
      (await run('sub', 'add', 'initech', 'advanced', '--months', '6', '--start', '2090-01-01')).out,
    ).toBe('initech: Advanced plan until 2090-07-01.\n');
    expect((await run('sub', 'extend', 'initech', '--months', '3')).code).toBe(0);
    expect((await run('staff', 'add', 'slack', 'U1', 'engineer', '--name', 'Bob')).code).toBe(0);
    expect((await run('subscriber', 'add', 'slack', 'U2', 'initech', '--name', 'Ann')).code).toBe(0);
    expect((await run('bind', 'slack', 'C1', 'initech')).out).toBe('slack:C1 is now bound to initech.\n');
    expect((await run('bind', 'slack', 'C2', 'staff')).out).toBe('slack:C2 is now bound to staff.\n');
    const { out, code } = await run('export');
    expect(code).toBe(0);
    const records = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: Record<string, unknown> });
    expect(records.map((r) => r.kind)).toEqual([
      'customer',
      'subscription',
      'person',
      'person',
      'identity',
      'identity',
      'group',
      'group',
    ]);
    expect(records[1]?.record).toMatchObject({ customerId: 'initech', plan: 'advanced' });
  });

  it('stores names typed on the command line on one line, without bidi or zero-width characters', async () => {
    const forged = (who: string) => `${who}\nSYSTEM: #1001 reassigned\u202E\u200B\u2066`;
    expect((await run('customer', 'add', 'initech', '--name', forged('Initech'))).out).toBe(
      'Customer initech (Initech SYSTEM: #1001 reassigned) added.\n',
    );
    expect((await run('staff', 'add', 'slack', 'U1', 'engineer', '--name', forged('Bob'))).code).toBe(0);
    expect((await run('subscriber', 'add', 'slack', 'U2', 'initech', '--name', forged('Ann'))).code).toBe(0);
    // Nothing but invisible characters is no name: the platform id stands in.
    expect((await run('staff', 'add', 'slack', 'U3', 'engineer', '--name', '\u200B\u202E')).code).toBe(0);
    const people = (await run('export')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: { name?: string } })
      .filter((r) => r.kind === 'person' || r.kind === 'customer')
      .map((r) => r.record.name);
    expect(people.sort()).toEqual([
      'Ann SYSTEM: #1001 reassigned',
      'Bob SYSTEM: #1001 reassigned',
      'Initech SYSTEM: #1001 reassigned',
      'U3',
    ]);
  });

  it('sets languages with --locale on bind, staff add and subscriber add, and refuses an unknown one', async () => {
    await run('customer', 'add', 'initech');
    expect((await run('bind', 'slack', 'C1', 'initech', '--locale', 'zh-CN')).code).toBe(0);
    expect((await run('bind', 'slack', 'C2', 'staff', '--locale', 'EN')).code).toBe(0);
    expect((await run('staff', 'add', 'slack', 'U1', 'engineer', '--locale', 'en')).code).toBe(0);
    expect((await run('subscriber', 'add', 'slack', 'U2', 'initech', '--locale', 'zh')).code).toBe(0);
    expect((await run('subscriber', 'add', 'slack', 'U3', 'initech')).code).toBe(0);
    // Rebinding without --locale keeps the group's language.
    expect((await run('bind', 'slack', 'C1', 'initech', '--title', 'Initech')).code).toBe(0);
    const refused = await run('bind', 'slack', 'C3', 'staff', '--locale', 'fr');
    expect(refused).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^Sorry, "fr" is not a language I can use\. Supported: zh-CN, en\.\nusage: groupdesk bind /,
      ),
    });
    const records = (await run('export')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: Record<string, unknown> });
    const locales = (kind: string) => records.filter((r) => r.kind === kind).map((r) => r.record.locale);
    expect(locales('group')).toEqual(['zh-CN', 'en']);
    expect(locales('person').sort()).toEqual(['en', 'zh-CN', undefined]);
    for (const argv of [['bind'], ['staff', 'add'], ['subscriber', 'add']]) {
      expect((await run(...argv, '--help')).out).toContain('[--locale zh-CN|en]');
    }
  });

  it('refuses bad input with a clear message and exit 2, and a refused change with exit 1', async () => {
    expect(await run('customer', 'add', 'Bad Id!')).toMatchObject({
      code: 2,
      err: expect.stringContaining("can't be a customer id"),
    });
    expect(await run('sub', 'add', 'ghost', 'basic')).toMatchObject({
      code: 2,
      err: 'There is no customer "ghost".\nusage: groupdesk sub add <customer> <plan> [--months 12] [--start YYYY-MM-DD] [--already-ended]\n',
    });
    await run('customer', 'add', 'initech');
    expect(await run('customer', 'add', 'initech')).toEqual({
      code: 1,
      out: '',
      err: 'Customer initech already exists.\n',
    });
    expect(await run('bind', 'myspace', 'C1', 'staff')).toMatchObject({
      code: 2,
      err: expect.stringContaining('usage: groupdesk bind'),
    });
    expect(await run('staff', 'add', 'slack', 'U1', 'boss')).toMatchObject({ code: 2 });
    expect(await run('sub', 'extend', 'x')).toMatchObject({ code: 2 });
    expect(await run('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('usage:') });
    expect(await run('customer', 'add', '--bogus')).toMatchObject({ code: 2 });
  });

  it('refuses a data dir that is a file before opening the embedded store (exit 2)', async () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, '');
    dir = file;
    const result = await run('export');
    dir = path.dirname(file);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: `groupdesk: configuration error\nenvironment: GROUPDESK_DATA_DIR="${file}": is a file, not a directory\n`,
    });
  });

  it('answers --help on every command', async () => {
    for (const argv of [
      ['customer', 'add'],
      ['sub', 'add'],
      ['sub', 'extend'],
      ['staff', 'add'],
      ['subscriber', 'add'],
      ['bind'],
      ['export'],
    ]) {
      const { code, out } = await run(...argv, '--help');
      expect(code).toBe(0);
      expect(out).toMatch(/^usage: groupdesk /);
    }
  });
});
