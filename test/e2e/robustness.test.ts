import { rmSync } from 'node:fs';
import { playground, tempDir } from './harness';

describe('duplicates, restarts and bad input', () => {
  it('a redelivered message opens one ticket and is answered once', async () => {
    const pg = await playground();
    const out = await pg.play(`
      @bot the cache never expires
      :again
      :again
    `);
    expect(out.match(/Ticket #\d+ is open/g)).toHaveLength(1);
    expect(out.match(/New ticket/g)).toHaveLength(1);
    expect(await pg.store.getTicket(1002)).toBeUndefined();
    await pg.close();
  });

  it('a second run on the same data dir sees the first run’s tickets and numbering', async () => {
    const dir = tempDir();
    const first = await playground({ dir });
    await first.play('@bot first run question');
    await first.close();
    const second = await playground({ dir });
    const out = await second.play(`
      /status #1001
      :clock +3m
      @bot second run question
    `);
    expect(out).toContain('#1001 · P2 · open · first run question');
    expect(out).toContain('Ticket #1002 is open');
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers empty, huge, control-character and mixed-script input politely and keeps running', async () => {
    const pg = await playground();
    const huge = 'x'.repeat(1_000_000);
    const out = await pg.play(`
      @bot
      @bot ${huge}
      @bot \u0007\u0000 
      @bot 部署失败 😱 — مرحبا \u202Eevil\u202C ok?
      /status
    `);
    expect(out).toContain('[acme] groupdesk: @alice Please tell me what you need help with');
    expect(out).toContain('That message is too long for me (16000 characters at most).');
    expect(out).not.toContain('xxxxxxxxxx');
    expect(out).toContain('Ticket #1001 is open');
    const ticket = await pg.store.getTicket(1001);
    expect(ticket?.subject).toBe('部署失败 😱 — مرحبا evil ok?');
    expect(await pg.store.getTicket(1002)).toBeUndefined();
    expect(out).toContain('#1001 · P2 · open · 部署失败 😱');
    await pg.close();
  });

  it('malformed arguments and unknown ids get clear answers', async () => {
    const pg = await playground();
    const out = await pg.play(`
      :as bob
      :in staff
      /claim #0
      /claim #99999999999
      /claim 1001
      /reply #1001
      /assign #1001 @nobody
      :as carol
      /sub extend acme lots
      /sub extend nobody 3
      /bind
    `);
    expect(out).toContain("That doesn't look right. Usage: /claim #N");
    expect(out).toContain("I can't find ticket #1001.");
    expect(out).toContain("That doesn't look right. Usage: /reply #N <text>");
    expect(out).toContain("I can't find ticket #1001.");
    expect(out).toContain('"lots" is not a number of months between 1 and 120.');
    expect(out).toContain('There is no customer "nobody".');
    expect(out).toContain("That doesn't look right. Usage: /bind <customer>|staff|managers|community");
    await pg.close();
  });

  it('speaks Chinese when the deployment locale is zh-CN, with full-width slashes and aliases', async () => {
    const pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play(`
      @bot 升级到 3.0 后启动报错
      ／状态 ＃1001
      :as bob
      :in staff
      /认领 #1001
      /回复 #1001 请贴一下完整日志
    `);
    expect(out).toContain(
      '[acme] groupdesk: @alice 已创建工单 #1001（基础版套餐）。工程师将在 24 小时内（11-24 10:00 GMT+8 前）响应。',
    );
    expect(out).toContain(
      '#1001 · P2 · 待处理 · 升级到 3.0 后启动报错 · 截止 11-24 10:00 GMT+8（剩余 1 天）',
    );
    expect(out).toContain('[staff] groupdesk: #1001 已由 bob 认领。');
    expect(out).toContain('[acme] groupdesk: @alice #1001 · bob：请贴一下完整日志');
    await pg.close();
  });
});
