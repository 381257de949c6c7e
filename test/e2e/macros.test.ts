/** Saved replies (/macro, /模板): managers curate, engineers send them exactly as /reply does. */
import { type Playground, playground } from './harness';

describe('saved replies', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('a manager curates per locale; an engineer sends one as the reply, in the group’s language', async () => {
    pg = await playground();
    await pg.play(`
      @bot export to PDF crops the last page
      :as carol
      :in globex
      /lang group zh-CN
      :as erin
      @bot 导出 PDF 时最后一页被截断
    `);
    const out = await pg.play(`
      :as carol
      :in staff
      /macro add restart Please restart the export service and send us the log.
      /macro add restart zh-CN 请重启导出服务，然后把日志发给我们。
      /macro add restart Again
      /macro edit nothing Text
      /macro add 123 Text
      /macro add list Text
      /macro add empty
      /macro list
      :as bob
      /macro add mine Mine
      /macro restart #1001
      /macro restart #1002
      /macro nothing #1001
      /macro restart
      /history #1001
    `);
    expect(out).toContain(
      '[staff] groupdesk: Saved reply "restart" (en) added. Send it with /macro restart #N.',
    );
    expect(out).toContain('[staff] groupdesk: Saved reply "restart" (zh-CN) added.');
    expect(out).toContain('A saved reply "restart" (en) exists already');
    expect(out).toContain('There is no saved reply "nothing". /macro list shows them.');
    expect(out).toContain(`"123" can't be a saved reply's name`);
    expect(out).toContain(`"list" can't be a saved reply's name`);
    expect(out).toContain('A saved reply needs a text: /macro add NAME <text>.');
    expect(out).toContain('2 saved replies (send with /macro NAME #N):\n  restart [en] Please restart');
    expect(out).toContain('[staff] groupdesk: Sorry, /macro is for support managers only.');
    // The reply itself: the same words and path as /reply, in each group's own language.
    expect(out).toContain(
      '[acme] groupdesk: @alice #1001 · bob: Please restart the export service and send us the log.',
    );
    expect(out).toContain('[globex] groupdesk: @erin #1002 · bob：请重启导出服务，然后把日志发给我们。');
    expect(out).toContain('[staff] groupdesk: Reply to #1001 delivered to the customer.');
    expect(out).toContain("That doesn't look right. Usage: /macro NAME #N");
    expect(out).not.toContain('[acme] groupdesk: @alice #1001 · bob: Again');
    const ticket = await pg.store.getTicket(1001);
    expect(ticket?.firstResponseAt).toBeDefined();
    expect(ticket?.status).toBe('claimed');
    const events = await pg.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'staff_reply').map((e) => e.text)).toEqual([
      'Please restart the export service and send us the log.',
    ]);
  });

  it('a huge text is refused, a removed macro is gone, and none is curated in a customer group', async () => {
    pg = await playground();
    const out = await pg.play(`
      :as carol
      :in staff
      /macro add big ${'x'.repeat(2001)}
      /macro add bye Thanks, closing this.
      /macro remove bye
      /macro remove bye
      /macro list
      :in acme
      /macro add hi Hello
    `);
    expect(out).toContain('That text has 2001 characters; a saved reply may have at most 2000.');
    expect(out).toContain('[staff] groupdesk: Saved reply "bye" removed (1 language).');
    expect(out).toContain('[staff] groupdesk: There is no saved reply "bye".');
    expect(out).toContain('[staff] groupdesk: There are no saved replies yet.');
    expect(out).toContain('Saved replies are curated in the staff channel or a direct message');
    expect(await pg.store.listMacros()).toEqual([]);
  });

  it('in Chinese: /模板 添加, /模板 列表 and /模板 名称 #工单号', async () => {
    pg = await playground({ locale: 'zh-CN' });
    await pg.play('@bot 导出 PDF 时最后一页被截断');
    const out = await pg.play(`
      :as carol
      :in staff
      /模板 添加 重启 请重启导出服务，然后把日志发给我们。
      /模板 列表
      :as bob
      /模板 重启 #1001
      /模板 不存在 #1001
    `);
    expect(out).toContain('[staff] groupdesk: 已添加常用回复“重启”（zh-CN）。用 /模板 重启 #工单号 发送。');
    expect(out).toContain('共 1 条常用回复（用 /模板 名称 #工单号 发送）：\n  重启 [zh-CN] 请重启导出服务');
    expect(out).toContain('[acme] groupdesk: @alice #1001 · bob：请重启导出服务，然后把日志发给我们。');
    expect(out).toContain('[staff] groupdesk: 没有名为“不存在”的常用回复。');
  });
});
