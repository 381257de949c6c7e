/** The satisfaction survey after /resolve: asked once, a score, a comment, and the refusals. */
import { type Playground, playground } from './harness';

describe('satisfaction survey', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('asks the requester once with buttons; a bare score and a comment land on the history', async () => {
    pg = await playground();
    await pg.play('@bot the exporter crops the last page');
    const resolved = await pg.play(`
      :as bob
      :in staff
      /resolve #1001 Fixed in 3.3.0.
    `);
    expect(resolved).toContain(
      '[acme] groupdesk: @alice How did we do on #1001? Reply with a score from 1 (poor) to 5 (excellent), or 👍 / 👎, until 11-30 10:00 GMT+8.',
    );
    expect(resolved).toContain('[1 poor: /rate #1001 1]');
    const out = await pg.play(`
      :as alice
      :in acme
      4
      The fix works, but it took a while.
      5
    `);
    expect(out).toContain(
      '[acme] groupdesk: @alice Thank you: your score for #1001 is recorded. Anything to add? Your next message within 5 minutes goes with it.',
    );
    // Unclaimed: the staff channel hears of it (an assignee would, by direct message).
    expect(out).toContain('[staff] groupdesk: #1001 (acme): alice rated the help 4 of 5.');
    expect(out).toContain(
      '[staff] groupdesk: #1001 (acme): alice commented on their rating: The fix works, but it took a while.',
    );
    expect(out).toContain('[acme] groupdesk: @alice Thank you: your comment on #1001 is with the team.');
    expect(out).toContain('You rated #1001 already (4 of 5); the first score stands.');
    const events = await pg.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'survey_sent')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'rating').map((e) => e.to)).toEqual(['4']);
    expect(events.find((e) => e.kind === 'rating_comment')?.text).toBe('The fix works, but it took a while.');
    // Neither the score nor the comment reopened the ticket or became a customer message.
    const ticket = await pg.store.getTicket(1001);
    expect(ticket?.status).toBe('resolved');
    expect(events.filter((e) => e.kind === 'customer_message')).toHaveLength(1);
    // A second /resolve after a reopen asks nothing again.
    const again = await pg.play(`
      :clock +10m
      #1001 it broke again
      :as bob
      :in staff
      /resolve #1001
    `);
    expect(again).not.toContain('How did we do');
  });

  it('a bare number is a follow-up when no survey waits, and a late or foreign rating is refused', async () => {
    pg = await playground();
    await pg.play(`
      @bot the exporter crops the last page
      :as bob
      :in staff
      /wait #1001 How many pages has the document?
      :as alice
      :in acme
      3
    `);
    const events = await pg.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toContain('3');
    const out = await pg.play(`
      /rate #1001 5
      :as bob
      :in staff
      /resolve #1001
      /rate #1001 5
      :as alice
      :in acme
      /rate #1001 great
      :clock +8d
      /rate #1001 5
    `);
    expect(out).toContain('There is no satisfaction survey of yours for #1001.');
    expect(out).toContain("[staff] groupdesk: /rate can't be used here");
    expect(out).toContain('"great" isn\'t a score: send a number from 1 to 5, or 👍 / 👎.');
    expect(out).toContain('The survey for #1001 has closed; thank you all the same.');
    expect((await pg.store.listEvents(1001)).some((e) => e.kind === 'rating')).toBe(false);
  });

  it('no survey for a ticket the customer closed; 👍 counts 5; the button works in Chinese', async () => {
    pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play(`
      @bot 导出 PDF 时最后一页被截断
      /关闭 #1001
      @bot 登录后页面一直刷新
      :as bob
      :in staff
      /解决 #1002
      :as alice
      :in acme
      👍
    `);
    expect(out).toContain('[acme] groupdesk: @alice #1002 的服务您满意吗？');
    expect(out).toContain('[5 非常满意: /评分 #1002 5]');
    expect(out).toContain('谢谢！#1002 的评分已记录。');
    expect((await pg.store.listEvents(1001)).some((e) => e.kind === 'survey_sent')).toBe(false);
    expect((await pg.store.listEvents(1002)).find((e) => e.kind === 'rating')?.to).toBe('5');
  });

  it('scores go into /report per plan, customer and engineer, and into the daily digest', async () => {
    pg = await playground();
    const empty = await pg.play(`
      :as carol
      :in managers
      /report
    `);
    expect(empty).toContain('Satisfaction: no survey answered in this period.');
    await pg.play(`
      :as alice
      :in acme
      @bot the exporter crops the last page
      :as erin
      :in globex
      @bot login loops on the admin page
      :as bob
      :in staff
      /claim #1001
      /resolve #1001 Fixed in 3.3.0.
      /resolve #1002 Clear the cookie.
      :as alice
      :in acme
      5
      :as erin
      :in globex
      /rate #1002 2 It came back the next day.
    `);
    const report = await pg.play(`
      :as carol
      :in managers
      /report
    `);
    expect(report).toContain('Satisfaction: 2 surveys answered, average 3.5 of 5, low scores (1–2): 1.');
    expect(report).toContain('  by customer: ACME Corp 5 (1), Globex 2 (1)');
    expect(report).toContain('  by engineer: bob 5 (1), not yet assigned 2 (1)');
    expect(report).toMatch(/ {2}by plan: \S.* \(1\), \S.* \(1\)/);
    const digest = await pg.play(':clock +24h');
    expect(digest).toContain('Satisfaction, last 24 h: 2 surveys answered, average 3.5 of 5.');
    expect(digest).toContain('  Low scores (1–2): #1002 2 (Globex)');
  });
});
