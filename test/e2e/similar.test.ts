/** The staff announcement of a new ticket lists similar resolved tickets; no customer ever sees them. */
import { type Playground, playground } from './harness';

describe('similar resolved tickets', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it("lists up to three resolved tickets of any customer to staff, never in the customer's group", async () => {
    pg = await playground();
    await pg.play(`
      @bot SSO login loop on the admin page
      :clock +10m
      @bot the exporter crops the last page of a PDF
      :clock +10m
      @bot SSO login loop after the upgrade
      :as bob
      :in staff
      /resolve #1001 Clear the session cookie, then retry.
      /resolve #1002 Fixed in 3.3.0.
    `);
    const out = await pg.play(`
      :as erin
      :in globex
      @bot we are stuck in a login loop with SSO
    `);
    const staff = out.slice(out.indexOf('[staff]'));
    expect(staff).toContain('Similar resolved tickets:\n  #1001 · ACME Corp · ');
    // Open tickets are not answers yet; unrelated resolved ones are not similar.
    expect(staff).not.toContain('#1003 ·');
    expect(staff).not.toContain('#1002 ·');
    const customer = out
      .split('\n')
      .filter((l) => l.startsWith('[globex]'))
      .join('\n');
    expect(customer).toContain('Ticket #1004 is open');
    expect(customer).not.toContain('#1001');
    expect(customer).not.toContain('ACME');
    expect(out).not.toContain('[acme]');
  });

  it("lists them in each staff channel's language, and says nothing when none is similar", async () => {
    pg = await playground({ locale: 'zh-CN' });
    await pg.play(`
      @bot 导出 PDF 时最后一页被截断
      :as bob
      :in staff
      /解决 #1001 已在 3.3.0 修复。
    `);
    const similar = await pg.play(`
      :as erin
      :in globex
      @bot 导出的 PDF 最后一页被截断了
    `);
    expect(similar).toContain('相似的已解决工单：\n  #1001 · ACME Corp · 导出 PDF 时最后一页被截断');
    expect(
      similar
        .split('\n')
        .filter((l) => l.startsWith('[globex]'))
        .join('\n'),
    ).not.toContain('#1001');
    const none = await pg.play(`
      :clock +10m
      @bot 构建在 Node 20 上失败
    `);
    expect(none).toContain('新工单 #1003');
    expect(none).not.toContain('相似的已解决工单');
  });
});
