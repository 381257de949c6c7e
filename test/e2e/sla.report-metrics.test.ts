/**
 * /report and the daily digest per promise, in the playground: after a first answer the
 * customer writes again and nobody answers (a next-reply breach), and the ticket is still
 * unresolved past its resolution target (a resolution breach). Each shows under its own
 * metric, in English and in Chinese. ACME is on Basic (24 h); this config gives Basic a
 * 20 h resolution target.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Playground, playground, tempDir } from './harness';

/** The repository's config with a resolution target on Basic. */
function configWithResolution(): string {
  const dir = tempDir();
  cpSync(path.resolve(__dirname, '../../config'), dir, { recursive: true });
  const file = path.join(dir, 'plans.json');
  const catalog = JSON.parse(readFileSync(file, 'utf8'));
  for (const plan of catalog.plans) if (plan.id === 'basic') plan.resolutionHours = 20;
  writeFileSync(file, JSON.stringify(catalog));
  return dir;
}

const STORY = `
  @bot export to PDF crops the last page
  :as bob
  :in staff
  /reply #1001 which version are you on?
  :as alice
  :in acme
  #1001 that did not work, still cropped
  :as carol
  :in managers
  :clock +25h
`;

describe('/report and the digest per promise', () => {
  let pg: Playground;
  let config: string;
  beforeEach(() => {
    config = configWithResolution();
  });
  afterEach(async () => {
    await pg.close();
    rmSync(config, { recursive: true, force: true });
  });

  it('en: a next-reply breach and a resolution breach, each under its metric', async () => {
    pg = await playground({ env: { GROUPDESK_CONFIG_DIR: config } });
    const story = await pg.play(STORY);
    expect(story).toContain(
      [
        '[managers] groupdesk: Daily SLA digest, 2026-11-24:',
        '  Next reply:',
        '    Breached (1):',
        '      ACME Corp: #1001 next reply overdue by 1 h (bob)',
        '  Resolution:',
        '    Breached (1):',
        '      ACME Corp: #1001 resolution overdue by 5 h (bob)',
        '  Per engineer: bob: 1 breached, 0 at risk',
      ].join('\n'),
    );
    expect(story).not.toContain('  First response:');
    const report = await pg.play('/report 7');
    // The first answer came at once: first response kept, its breaches none.
    expect(report).toContain(
      [
        '  First response within target: 100% (1/1); breaches: 0.',
        '  First response time: median 1 min, p90 1 min.',
        '  By plan:',
        '    Basic: 100% (1/1), breaches: 0',
        '  By customer:',
        '    ACME Corp: 100% (1/1), breaches: 0',
        '  Breaches per engineer:',
        '    none',
        '  Next reply within target: 0% (0/1); breaches: 1.',
        '  Next reply time: median -, p90 -.',
        '  By plan:',
        '    Basic: 0% (0/1), breaches: 1',
        '  By customer:',
        '    ACME Corp: 0% (0/1), breaches: 1',
        '  Breaches per engineer:',
        '    bob: 1',
        '  Breached: #1001 ACME Corp (bob)',
        '  Resolution within target: 0% (0/1); breaches: 1.',
        '  Resolution time: median -, p90 -.',
      ].join('\n'),
    );
    expect(report).toContain(
      ['  Breaches per engineer:', '    bob: 1', '  Breached: #1001 ACME Corp (bob)', '  Open tickets'].join(
        '\n',
      ),
    );
    // One metric alone; the late reply closes the window: still a breach, now with its time.
    const next = await pg.play(`
      :as bob
      :in staff
      /reply #1001 fixed in 2.3.1
      :as carol
      :in managers
      /report 7 next
    `);
    expect(next).toContain(
      '  Next reply within target: 0% (0/1); breaches: 1.\n  Next reply time: median 1 d 1 h, p90 1 d 1 h.',
    );
    expect(next).not.toMatch(/First response|Resolution/);
    const resolution = await pg.play('/report resolution');
    expect(resolution).toContain('  Resolution within target: 0% (0/1); breaches: 1.');
    expect(resolution).not.toMatch(/First response|Next reply/);
    expect(await pg.play('/report 7 update')).toBe(
      "[managers] groupdesk: That doesn't look right. Usage: /report [days] [first|next|resolution]\n",
    );
  });

  it('zh-CN: the same breaches under 再次响应 and 解决, the metric named in Chinese', async () => {
    pg = await playground({ locale: 'zh-CN', env: { GROUPDESK_CONFIG_DIR: config } });
    const story = await pg.play(STORY);
    expect(story).toContain(
      [
        '[managers] groupdesk: 每日 SLA 摘要，2026-11-24：',
        '  再次响应：',
        '    已超时（1）：',
        '      ACME Corp：#1001 再次响应已超时 1 小时（bob）',
        '  解决：',
        '    已超时（1）：',
        '      ACME Corp：#1001 解决已超时 5 小时（bob）',
      ].join('\n'),
    );
    const report = await pg.play('/报表 7');
    expect(report).toContain(
      [
        '  各工程师超时数：',
        '    无',
        '  再次响应达标率：0%（0/1）；超时：1。',
        '  再次响应时间：中位数 -，P90 -。',
        '  按套餐：',
        '    基础版：0%（0/1），超时：1',
        '  按客户：',
        '    ACME Corp：0%（0/1），超时：1',
        '  各工程师超时数：',
        '    bob：1',
        '  超时工单：#1001 ACME Corp（bob）',
        '  解决达标率：0%（0/1）；超时：1。',
      ].join('\n'),
    );
    const next = await pg.play('/报表 7 再次');
    expect(next).toContain('  再次响应达标率：0%（0/1）；超时：1。');
    expect(next).not.toMatch(/首次响应|解决达标率/);
    const resolution = await pg.play('/报表 解决');
    expect(resolution).toContain('  解决达标率：0%（0/1）；超时：1。\n  解决时间：中位数 -，P90 -。');
    expect(resolution).not.toMatch(/首次响应|再次响应/);
    expect(await pg.play('/报表 7 更新')).toContain('/报表 [天数] [首次|再次|解决]');
  });
});
