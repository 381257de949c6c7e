/**
 * One deployment (default zh-CN) serving a Chinese customer group and an English staff
 * channel: every reader gets their own language (person → group → deployment), and the
 * deadlines stay in the vendor's time zone whatever the words.
 */
import { type Playground, playground } from './harness';

const lines = (out: string, prefix: string) => out.split('\n').filter((l) => l.startsWith(prefix));

describe('languages per group and per person', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'zh-CN' }); // Monday 10:00; ACME on Basic: due Tuesday 10:00
    const staff = await pg.play(`
      :as carol
      :in staff
      /lang group en
    `);
    expect(staff).toBe(
      "[staff] groupdesk: Done: this group's language is now English. People who chose their own with /lang keep it.\n",
    );
  });
  afterEach(() => pg.close());

  it('acknowledges the customer in Chinese and announces the ticket to the English staff channel', async () => {
    const out = await pg.play(`
      :as alice
      :in acme
      @bot export to PDF crops the last page
    `);
    expect(out).toBe(
      '[acme] groupdesk: @alice 已创建工单 #1001（基础版套餐）。工程师将在 24 小时内（11-24 10:00 GMT+8 前）响应。补充信息时请带上 #1001。\n' +
        '[staff] groupdesk: New ticket #1001 · ACME Corp (Basic) · consultation · P2 · due 11-24 10:00 GMT+8\n' +
        '  alice: export to PDF crops the last page\n' +
        '  Claim it with /claim #1001\n' +
        '  [Claim: /claim #1001] [Resolve: /resolve #1001]\n',
    );
  });

  it('a customer who sets /lang en reads English; the group stays Chinese for the others', async () => {
    const out = await pg.play(`
      :as alice
      :in acme
      /lang
      /lang en
      @bot export to PDF crops the last page
      :as dave
      @bot 升级到 3.0 以后启动报错
      :as bob
      :in staff
      /claim #1001
      /claim #1002
    `);
    expect(lines(out, '[acme]')).toEqual([
      '[acme] groupdesk: @alice 我目前用简体中文（zh-CN）回复您（默认设置）。支持的语言：简体中文（zh-CN）、English（en）。用 /语言 <语言代码> 选择，用 /语言 重置 取消自己的选择。',
      '[acme] groupdesk: @alice Done: I will answer you in English from now on, wherever you write.',
      '[acme] groupdesk: @alice Ticket #1001 is open (Basic plan). An engineer will respond within 24 h, by 11-24 10:00 GMT+8. Add details any time by mentioning #1001.',
      '[acme] groupdesk: @dave 已创建工单 #1002（基础版套餐）。工程师将在 24 小时内（11-24 10:00 GMT+8 前）响应。补充信息时请带上 #1002。',
      // Notices posted for staff into the customer group follow the requester's language.
      '[acme] groupdesk: @alice #1001: bob is working on your request.',
      '[acme] groupdesk: @dave #1002：bob 正在处理您的问题。',
    ]);
    expect((await pg.store.findPersonByIdentity('console', 'alice'))?.locale).toBe('en');
    expect((await pg.store.getGroup('console', 'acme'))?.locale).toBeUndefined();
  });

  it('sends the 50 % reminder to the English staff channel in English (:clock +13h)', async () => {
    await pg.play(`
      :as alice
      :in acme
      @bot export to PDF crops the last page
    `);
    expect(await pg.play(':clock +13h')).toBe(
      '[staff] groupdesk: Reminder: #1001 · ACME Corp · Basic · "export to PDF crops the last page" has used 50% of its first-response time: due 11-24 10:00 GMT+8 (in 11 h). Engineer: not yet assigned.\n' +
        '  [Claim: /claim #1001]\n',
    );
  });

  it('refuses an unknown language politely, and /lang group from a subscriber', async () => {
    const out = await pg.play(`
      :as alice
      :in acme
      /lang fr
      /语言 group en
      /lang en fr
    `);
    expect(out).toBe(
      '[acme] groupdesk: @alice 抱歉，我不支持“fr”这种语言。支持的语言：简体中文（zh-CN）、English（en）。\n' +
        '[acme] groupdesk: @alice 抱歉，/语言 group 仅限支持经理使用。\n' +
        '[acme] groupdesk: @alice 格式不太对。用法：/语言 [语言代码|重置] | /语言 群 <语言代码|重置>\n',
    );
    expect((await pg.store.findPersonByIdentity('console', 'alice'))?.locale).toBeUndefined();
    expect((await pg.store.getGroup('console', 'acme'))?.locale).toBeUndefined();
  });

  it("/lang reset drops a person's choice, /lang group reset the group's", async () => {
    const out = await pg.play(`
      :as alice
      :in acme
      /lang en
      /lang reset
      :as carol
      :in staff
      /lang zh
      /lang 默认
      /lang group reset
    `);
    expect(out).toBe(
      '[acme] groupdesk: @alice Done: I will answer you in English from now on, wherever you write.\n' +
        '[acme] groupdesk: @alice 好的：已取消您自己的语言选择。在这里我用简体中文回复您（默认设置）；在其他群里用各群的语言。\n' +
        '[staff] groupdesk: 好的：今后无论在哪里，我都会用简体中文回复您。\n' +
        "[staff] groupdesk: Done: your own choice is removed. Here I answer you in English (this group's language); in other groups, in each group's language.\n" +
        // carol has no choice of her own left: she reads the deployment's language again.
        '[staff] groupdesk: 好的：本群不再单独设置语言，改用默认的简体中文。已用 /语言 选择了自己语言的人保持不变。\n',
    );
    expect((await pg.store.findPersonByIdentity('console', 'alice'))?.locale).toBeUndefined();
    expect((await pg.store.findPersonByIdentity('console', 'carol'))?.locale).toBeUndefined();
    expect((await pg.store.getGroup('console', 'staff'))?.locale).toBeUndefined();
  });
});
