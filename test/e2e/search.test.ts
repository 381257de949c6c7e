/** /search (/搜索): staff find any customer's ticket; a customer's group never shows another's. */
import { type Playground, playground } from './harness';

describe('search', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('finds tickets by subject, messages and replies, pages by ten, and stays private in a customer group', async () => {
    pg = await playground();
    const asks = Array.from(
      { length: 11 },
      (_, i) => `      /ticket login loop after SSO upgrade, case ${i}`,
    ).join('\n');
    await pg.play(`
${asks}
      :as erin
      :in globex
      @bot SSO login loop on the admin page
      :as bob
      :in staff
      /reply #1001 Clear the session cookie, then retry.
    `);
    const out = await pg.play(`
      :as bob
      :in staff
      /search login loop
      /search login loop 2
      /search session cookie
      /search nothing-like-this
      :in acme
      /search admin page
      /search sso
    `);
    expect(out).toContain('[staff] groupdesk: Tickets matching "login loop" (page 1):');
    expect(out).toContain('#1012 · globex · open · SSO login loop on the admin page');
    expect(out).toContain('More: /search login loop 2');
    expect(out).toContain('Tickets matching "login loop" (page 2):');
    expect(out).toContain('#1001 · acme · claimed · Clear the session cookie, then retry.');
    expect(out).toContain('No ticket matches "nothing-like-this" (page 1).');
    // In acme's group: only acme's tickets, and only the engineer sees the answer.
    expect(out).toContain('No ticket matches "admin page" (page 1).');
    expect(out).not.toMatch(/\[acme\][^\n]*#1012/);
    expect(out).not.toMatch(/^\[acme\] groupdesk: Tickets matching/m);
  });

  it('in Chinese: /搜索 finds Chinese text, also with two characters', async () => {
    pg = await playground({ locale: 'zh-CN' });
    await pg.play('@bot 导出 PDF 时最后一页被截断');
    const out = await pg.play(`
      :as bob
      :in staff
      /搜索 最后一页
      /搜索 截断
    `);
    expect(out).toContain('[staff] groupdesk: 与“最后一页”匹配的工单（第 1 页）：\n  #1001 · acme · ');
    expect(out).toContain('与“截断”匹配的工单（第 1 页）：\n  #1001 · acme · ');
  });
});
