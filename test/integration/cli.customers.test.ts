/**
 * The CLI's customer and subscription commands on a real SQLite file: what they show, what
 * they change, and that every bad value exits 2 in the deployment's language with nothing written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';
import { create } from '../contract/store.fixtures';
import { runCliIn } from './cli.run';

const DAY = 86_400_000;
/** Today in the deployment's time zone (the default, Asia/Shanghai), as the CLI prints dates: not UTC's. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe('the admin CLI: customers and subscriptions', () => {
  let dir: string;
  const run = (locale: 'en' | 'zh-CN', ...argv: string[]) => runCliIn(dir, locale, argv);
  const en = (...argv: string[]) => run('en', ...argv);
  const zh = (...argv: string[]) => run('zh-CN', ...argv);
  const subscriptions = async () =>
    (await en('export')).out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; record: Record<string, unknown> })
      .filter((r) => r.kind === 'subscription')
      .map((r) => r.record);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-cli-customers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists and shows customers: plan name and period, groups bound, open tickets', async () => {
    expect((await en('customer', 'list')).out).toBe(
      'No customers yet: add one with groupdesk customer add <id>.\n',
    );
    await en('customer', 'add', 'acme', '--name', 'ACME Corp');
    await en('customer', 'add', 'globex');
    await en('sub', 'add', 'acme', 'basic', '--start', '2090-01-01', '--months', '24');
    await en('bind', 'slack', 'C1', 'acme', '--title', 'ACME support');
    await en('bind', 'qq', '42', 'acme');
    await en('bind', 'slack', 'C9', 'staff');
    // Two open tickets and a resolved one for acme, one for globex, written through the store.
    const store = openSqliteStore(sqliteFileIn(dir));
    for (const status of ['open', 'waiting_on_customer', 'resolved'] as const)
      await create(store, { chatId: 'C1', status });
    await create(store, { customerId: 'globex', chatId: 'C7' });
    await store.close();
    expect((await en('customer', 'show', 'acme')).out).toBe(
      [
        'Customer acme (ACME Corp)',
        'Plan: Basic plan, 2090-01-01 to 2092-01-01',
        'Groups bound (2): qq:42, slack:C1 (ACME support)',
        'Open tickets: 2',
        '',
      ].join('\n'),
    );
    expect((await en('customer', 'list')).out).toBe(
      [
        'acme (ACME Corp): Basic plan, 2090-01-01 to 2092-01-01; groups bound: 2; open tickets: 2',
        'globex (globex): Community (no subscription); groups bound: 0; open tickets: 1',
        '',
      ].join('\n'),
    );
    expect((await zh('customer', 'show', 'acme')).out).toBe(
      [
        '客户 acme（ACME Corp）',
        '套餐：基础版套餐，2090-01-01 至 2092-01-01',
        '已绑定群（2）：qq:42, slack:C1 (ACME support)',
        '未结工单：2',
        '',
      ].join('\n'),
    );
  });

  it('changes the plan and says from what to what, keeping the period; plan names in either language', async () => {
    await en('customer', 'add', 'acme');
    await en('sub', 'add', 'acme', 'basic', '--start', '2090-01-01', '--months', '24');
    const [before] = await subscriptions();
    expect(await en('sub', 'plan', 'acme', 'enterprise')).toEqual({
      code: 0,
      out: 'acme: plan changed from Basic to Enterprise; the period is kept (2090-01-01 to 2092-01-01).\n',
      err: '',
    });
    expect((await zh('sub', 'plan', 'acme', '高级版')).out).toBe(
      'acme：套餐已从企业版改为高级版，有效期不变（2090-01-01 至 2092-01-01）。\n',
    );
    expect((await en('sub', 'plan', 'acme', 'Advanced')).out).toBe(
      'acme is already on the Advanced plan (2090-01-01 to 2092-01-01): nothing changed.\n',
    );
    const after = await subscriptions();
    expect(after).toEqual([{ ...before, plan: 'advanced' }]);
    // sub add and sub extend name the plan too, not its id.
    expect((await en('sub', 'extend', 'acme', '--months', '1')).out).toBe(
      'acme: Advanced plan until 2092-02-01.\n',
    );
  });

  it('ends a subscription now or at a date, without a grace period', async () => {
    await en('customer', 'add', 'acme');
    await en('sub', 'add', 'acme', 'advanced', '--months', '12');
    const end = inDays(30);
    expect((await en('sub', 'end', 'acme', '--at', end)).out).toMatch(
      new RegExp(
        `^acme: the Advanced plan ends on ${end} \\(it ran until \\d{4}-\\d\\d-\\d\\d\\), with no grace period; after that acme is on Community\\.\\n$`,
      ),
    );
    expect(await subscriptions()).toEqual([
      expect.objectContaining({ endsAt: Date.parse(`${end}T00:00:00Z`), graceDays: 0 }),
    ]);
    expect((await en('sub', 'end', 'acme')).code).toBe(0);
    const [ended] = await subscriptions();
    expect(ended?.endsAt as number).toBeLessThanOrEqual(Date.now());
    expect((await en('customer', 'show', 'acme')).out).toContain(`Plan: Advanced plan, ended ${today()}`);
    // Nothing left to end or change: refused (exit 1), not a usage error.
    expect(await en('sub', 'end', 'acme')).toMatchObject({
      code: 1,
      err: 'acme has no current subscription: start one with groupdesk sub add acme <plan>.\n',
    });
    expect((await en('sub', 'plan', 'acme', 'basic')).code).toBe(1);
  });

  it('refuses a start date that makes an already-ended subscription, unless --already-ended says so', async () => {
    await en('customer', 'add', 'acme');
    expect(await en('sub', 'add', 'acme', 'basic', '--start', '2020-01-01')).toEqual({
      code: 2,
      out: '',
      err:
        'With that start the subscription would have ended on 2021-01-01, before today, so nothing was saved. Choose a later --start, or add --already-ended to record a past subscription.\n' +
        'usage: groupdesk sub add <customer> <plan> [--months 12] [--start YYYY-MM-DD] [--already-ended]\n',
    });
    expect(await subscriptions()).toEqual([]);
    expect((await zh('sub', 'add', 'acme', 'basic', '--start', '2020-01-01')).err).toMatch(
      /^按这个开始日期，订阅在今天之前（2021-01-01）就已到期/,
    );
    // Back-dated but still running is fine; so is a past one when asked for.
    expect((await en('sub', 'add', 'acme', 'basic', '--start', inDays(-40), '--months', '2')).code).toBe(0);
    expect((await en('sub', 'add', 'acme', 'basic', '--start', '2020-01-01', '--already-ended')).code).toBe(
      0,
    );
    expect(await subscriptions()).toHaveLength(2);
  });

  it('answers every bad value with a localised message and exit 2, and writes nothing', async () => {
    await en('customer', 'add', 'acme');
    await en('sub', 'add', 'acme', 'basic', '--start', '2090-01-01', '--months', '24');
    const snapshot = (await en('export')).out;
    const cases: [string[], string, string][] = [
      [['sub', 'plan', 'ghost', 'basic'], 'There is no customer "ghost".', '没有名为“ghost”的客户。'],
      [
        ['sub', 'plan', 'acme', 'gold'],
        'There is no plan "gold". Plans: Basic, Advanced, Enterprise.',
        '没有名为“gold”的套餐。可选套餐：基础版, 高级版, 企业版。',
      ],
      [
        ['sub', 'plan', 'acme', 'community'],
        'There is no plan "community". Plans: Basic, Advanced, Enterprise.',
        '没有名为“community”的套餐。可选套餐：基础版, 高级版, 企业版。',
      ],
      [['sub', 'end', 'ghost'], 'There is no customer "ghost".', '没有名为“ghost”的客户。'],
      [
        ['sub', 'end', 'acme', '--at', '2026-02-30'],
        '"2026-02-30" is not a date: write it as YYYY-MM-DD, for example 2026-01-31.',
        '“2026-02-30”不是有效日期，请写成 YYYY-MM-DD，例如 2026-01-31。',
      ],
      [
        ['sub', 'end', 'acme', '--at', '2099-01-01'],
        'acme: --at 2099-01-01 must be between today and the current end of the Basic plan (2092-01-01); nothing was changed.',
        'acme：--at 2099-01-01 必须在今天与基础版套餐当前到期日（2092-01-01）之间，未做更改。',
      ],
      [
        ['sub', 'add', 'acme', 'basic', '--start', 'tomorrow'],
        '"tomorrow" is not a date: write it as YYYY-MM-DD, for example 2026-01-31.',
        '“tomorrow”不是有效日期，请写成 YYYY-MM-DD，例如 2026-01-31。',
      ],
      [['sub', 'add', 'ghost', 'basic'], 'There is no customer "ghost".', '没有名为“ghost”的客户。'],
      [['customer', 'show', 'ghost'], 'There is no customer "ghost".', '没有名为“ghost”的客户。'],
    ];
    for (const [argv, enText, zhText] of cases) {
      const e = await en(...argv);
      const z = await zh(...argv);
      expect([argv, e.code, e.err.split('\n')[0]]).toEqual([argv, 2, enText]);
      expect([argv, z.code, z.err.split('\n')[0]]).toEqual([argv, 2, zhText]);
      expect(e.err.split('\n')[1]).toMatch(/^usage: groupdesk /);
      expect(z.err.split('\n')[1]).toMatch(/^用法：groupdesk /);
    }
    // Missing or extra arguments: the command's usage line, localised.
    for (const argv of [
      ['sub', 'plan', 'acme'],
      ['sub', 'end'],
      ['customer', 'show'],
      ['customer', 'list', 'acme'],
    ]) {
      expect(await zh(...argv)).toMatchObject({
        code: 2,
        err: expect.stringMatching(/^用法：groupdesk \S+ \S+/),
      });
      expect(await en(...argv)).toMatchObject({ code: 2, err: expect.stringMatching(/^usage: groupdesk /) });
    }
    expect((await en('export')).out).toBe(snapshot);
  });

  it('prints a group’s or a subcommand’s usage on --help, exit 0, in the deployment’s language', async () => {
    const sub = await en('sub', '--help');
    expect(sub).toEqual({
      code: 0,
      err: '',
      out: [
        'usage:',
        '  groupdesk sub add <customer> <plan> [--months 12] [--start YYYY-MM-DD] [--already-ended]',
        '  groupdesk sub extend <customer> --months N',
        '  groupdesk sub plan <customer> <plan>',
        '  groupdesk sub end <customer> [--at YYYY-MM-DD]',
        '',
      ].join('\n'),
    });
    expect((await zh('sub', '--help')).out).toContain('  groupdesk sub plan <客户> <套餐>\n');
    for (const argv of [
      ['customer', 'list'],
      ['customer', 'show'],
      ['sub', 'plan'],
      ['sub', 'end'],
      ['customer'],
    ]) {
      expect(await en(...argv, '--help')).toMatchObject({ code: 0, out: expect.stringMatching(/^usage:/) });
      expect(await zh(...argv, '-h')).toMatchObject({ code: 0, out: expect.stringMatching(/^用法：/) });
    }
    // A group without a command is a usage error that lists the group's commands.
    expect(await en('sub')).toMatchObject({
      code: 2,
      out: '',
      err: expect.stringContaining('groupdesk sub end'),
    });
    expect((await en('sub')).err).not.toContain('groupdesk bind');
  });

  it('exits 0 on `sub --help` as a real process too', () => {
    const tsx = require.resolve('tsx/cli');
    const r = spawnSync(process.execPath, [tsx, 'src/cli/index.ts', 'sub', '--help'], {
      cwd: path.join(__dirname, '../..'),
      env: { ...process.env, GROUPDESK_LOCALE: 'zh-CN', GROUPDESK_DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^用法：\n {2}groupdesk sub add <客户> <套餐>/);
  });
});
