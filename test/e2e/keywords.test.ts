/**
 * Keyword arguments and plan names in both locales' words (from the locale files), and
 * replies that name the command as the speaker typed it: transcripts in zh-CN and en.
 */
import { type Playground, playground } from './harness';

describe('keywords in Chinese', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'zh-CN' });
  });
  afterEach(() => pg.close());

  it('a manager runs /员工, /订阅 and /自动 with Chinese words and plan names', async () => {
    const out = await pg.play(`
      :as carol
      :in staff
      /员工 添加 @frank 工程师
      /订阅 续期 acme 6
      /订阅 套餐 acme 高级版
      /订阅 变更 acme Enterprise
      :in acme
      /自动 开
      /自动 关
    `);
    expect(out).toBe(
      '[staff] groupdesk: 已将 frank 登记为支持工程师。\n' +
        // The customer's group is told of each change too (issue 21).
        '[acme] groupdesk: 贵公司的基础版支持套餐已续期至 2028-05-23，感谢支持！\n' +
        '[staff] groupdesk: acme：基础版套餐已续期至 2028-05-23。\n' +
        '[acme] groupdesk: 贵公司的支持套餐已由基础版变更为高级版，有效期至 2028-05-23。\n' +
        '[staff] groupdesk: acme：套餐由基础版变更为高级版，有效期至 2028-05-23。\n' +
        '[acme] groupdesk: 贵公司的支持套餐已由高级版变更为企业版，有效期至 2028-05-23。\n' +
        '[staff] groupdesk: acme：套餐由高级版变更为企业版，有效期至 2028-05-23。\n' +
        '[acme] groupdesk: @carol 已开启自动模式：本群每条新消息都会创建工单（连续消息会合并，“谢谢”“收到”等不会创建）。\n' +
        '[acme] groupdesk: @carol 已关闭自动模式：请 @我 或使用 /提问 创建工单。\n',
    );
  });

  it('refusals and usage name the command as typed', async () => {
    const out = await pg.play(`
      :as bob
      :in staff
      /套餐
      /自动 开
      /优先级 #1001 最高
      /帮助 认领
      /帮助 ask
    `);
    expect(out).toBe(
      '[staff] groupdesk: /套餐 不能在这里使用，请在客户群、私聊、社区群中使用。\n' +
        '[staff] groupdesk: /自动 不能在这里使用，请在客户群中使用。\n' +
        '[staff] groupdesk: 格式不太对。用法：/优先级 #工单号 紧急|普通|低\n' +
        '[staff] groupdesk: /认领 #工单号\n  认领工单。\n  别名：/认领\n' +
        '[staff] groupdesk: 这里没有您可以使用的 /ask 命令。\n',
    );
  });
});

describe('the staff channel reads commands in its own language', () => {
  it('a Chinese staff card and its buttons name /认领 and /解决, which work', async () => {
    const pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play('@bot 导出 PDF 最后一页被截断\n:as bob\n:in staff\n/认领 #1001');
    expect(out).toContain('  认领请发送 /认领 #1001\n  [认领: /认领 #1001] [解决: /解决 #1001]\n');
    expect(out).toContain('[staff] groupdesk: #1001 已由 bob 认领。');
    await pg.close();
  });
});

describe('help in the speaker’s language', () => {
  it('/帮助 提问 lists the Chinese aliases first', async () => {
    const pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play('/帮助 提问');
    expect(out).toContain('别名：/提问 /工单 /ask');
    await pg.close();
  });
});

describe('keywords in English', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'en' });
  });
  afterEach(() => pg.close());

  it('a manager runs /staff, /sub and /auto; Chinese words work in an English desk too', async () => {
    const out = await pg.play(`
      :as carol
      :in staff
      /staff add @frank engineer
      /sub extend acme 6
      /sub plan acme Advanced
      /sub plan acme 企业版
      :in acme
      /auto on
      /auto 关
    `);
    expect(out).toBe(
      '[staff] groupdesk: frank is now registered as one of the support engineers.\n' +
        '[acme] groupdesk: Your Basic support plan is renewed until 2028-05-23. Thank you!\n' +
        '[staff] groupdesk: acme: Basic plan renewed until 2028-05-23.\n' +
        '[acme] groupdesk: Your support plan is now Advanced (was Basic), until 2028-05-23.\n' +
        '[staff] groupdesk: acme: plan changed from Basic to Advanced, until 2028-05-23.\n' +
        '[acme] groupdesk: Your support plan is now Enterprise (was Advanced), until 2028-05-23.\n' +
        '[staff] groupdesk: acme: plan changed from Advanced to Enterprise, until 2028-05-23.\n' +
        '[acme] groupdesk: @carol Auto mode is on: every new message here opens a ticket (bursts are merged; thanks and the like are ignored).\n' +
        '[acme] groupdesk: @carol Auto mode is off: mention me or use /ticket to open a ticket.\n',
    );
  });
});
