/**
 * No customer reply lost (issue 21): a plain message after /resolve reopens, after /close it
 * is answered with a one-step way to a new ticket, an answer after /wait goes to the ticket
 * that waits, several waiting tickets are asked about, and a different kind of problem is
 * its own ticket. Transcripts in en and zh-CN through the real playground and SQLite.
 */
import { type Playground, playground } from './harness';

const lines = (out: string, prefix: string) => out.split('\n').filter((l) => l.startsWith(prefix));
const messagesOf = async (pg: Playground, n: number) =>
  (await pg.store.listEvents(n)).filter((e) => e.kind === 'customer_message').map((e) => e.text);

describe('no reply lost (en)', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'en' });
  });
  afterEach(() => pg.close());

  it('a plain "still broken" after /resolve reopens the ticket; the customer, staff and assignee are told', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :as bob
      :in staff
      /claim #1001
      /resolve #1001 use --legacy-peer-deps
      :as alice
      :in acme
      :clock +2h
      still broken, same error
    `);
    expect(lines(out, '[acme]').at(-1)).toBe(
      '[acme] groupdesk: @alice Ticket #1001 is reopened; the engineer has been told.',
    );
    expect(out).toMatch(/\[staff\] groupdesk: #1001 \(.*\) was reopened by the customer/);
    expect(lines(out, '[dm:bob]').at(-1)).toBe(
      '[dm:bob] groupdesk: #1001: alice added: still broken, same error',
    );
    expect(await messagesOf(pg, 1001)).toEqual(['the build fails on Node 20', 'still broken, same error']);
    expect((await pg.store.getTicket(1001))?.status).toBe('claimed');
  });

  it("after /close a plain message is answered, and the answer's command opens a new ticket that names the old one", async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :as bob
      :in staff
      /close #1001
      :as alice
      :in acme
      :clock +1h
      it is broken again
    `);
    expect(lines(out, '[acme]').at(-1)).toBe(
      '[acme] groupdesk: @alice Ticket #1001 is closed, so this message was not added to it. To open a new ticket about it, send: /ticket it is broken again (follows #1001)',
    );
    expect(out).toContain('[New ticket: /ticket it is broken again (follows #1001)]');
    expect(await messagesOf(pg, 1001)).toEqual(['the build fails on Node 20']);
    const next = await pg.play('/ticket it is broken again (follows #1001)');
    expect(next).toMatch(/Ticket #1002 is open/);
    expect((await pg.store.getTicket(1002))?.subject).toBe('it is broken again (follows #1001)');
  });

  it('past the reopen window a resolved ticket is not reopened: the message is answered the same way', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :as bob
      :in staff
      /resolve #1001 fixed in 2.7.1
      :as alice
      :in acme
      :clock +8d
      hm, again
    `);
    expect(lines(out, '[acme]').at(-1)).toMatch(
      /Ticket #1001 is closed, so this message was not added to it/,
    );
    expect((await pg.store.getTicket(1001))?.status).toBe('resolved');
  });

  it('the answer after /wait goes to the waiting ticket, not to the newest; several waiting: the bot asks which', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :clock +3m
      @bot export to PDF crops the last page
      :as bob
      :in staff
      /wait #1001 which Node 20 minor version?
      :as alice
      :in acme
      :clock +3h
      20.11.1
    `);
    expect(await messagesOf(pg, 1001)).toEqual(['the build fails on Node 20', '20.11.1']);
    expect(await messagesOf(pg, 1002)).toEqual(['export to PDF crops the last page']);
    expect((await pg.store.getTicket(1001))?.status).toBe('open'); // no longer waiting on alice
    expect(lines(out, '[acme]').at(-1)).toMatch(/Added to ticket #1001\./);

    const asked = await pg.play(`
      :as bob
      :in staff
      /wait #1001 and the npm version?
      /wait #1002 which PDF viewer?
      :as alice
      :in acme
      npm 10
    `);
    expect(asked.split('\n').slice(-3, -1)).toEqual([
      '[acme] groupdesk: @alice Several of your tickets are waiting for your answer: #1001, #1002. Which one is this for? Please send it again starting with its number, e.g. #1001 followed by your answer.',
      '  [For #1001: #1001 npm 10] [For #1002: #1002 npm 10]',
    ]);
    expect(await messagesOf(pg, 1001)).not.toContain('npm 10');
    expect(await messagesOf(pg, 1002)).not.toContain('npm 10');
    await pg.play('#1001 npm 10');
    expect(await messagesOf(pg, 1001)).toContain('#1001 npm 10');
  });

  it('a security report a minute after an upgrade question is its own ticket, at P1', async () => {
    await pg.play(`
      @bot how do we upgrade from 2.x to 3.x?
      :clock +1m
      @bot we found an XSS vulnerability in the login form
    `);
    expect(await messagesOf(pg, 1001)).toEqual(['how do we upgrade from 2.x to 3.x?']);
    expect(await pg.store.getTicket(1002)).toMatchObject({ category: 'security', priority: 'p1' });
  });
});

describe('no reply lost (zh-CN)', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'zh-CN' });
  });
  afterEach(() => pg.close());

  it('解决后的“还是不行”重新打开工单；关闭后的消息得到答复和新建工单的命令', async () => {
    const out = await pg.play(`
      @bot Node 20 下构建失败
      :as bob
      :in staff
      /认领 #1001
      /解决 #1001 请加 --legacy-peer-deps
      :as alice
      :in acme
      还是不行
    `);
    expect(lines(out, '[acme]').at(-1)).toBe(
      '[acme] groupdesk: @alice 工单 #1001 已重新打开，已通知工程师。',
    );
    expect(await messagesOf(pg, 1001)).toEqual(['Node 20 下构建失败', '还是不行']);
    const closed = await pg.play(`
      :as bob
      :in staff
      /关闭 #1001
      :as alice
      :in acme
      又坏了
    `);
    expect(lines(closed, '[acme]').at(-1)).toBe(
      '[acme] groupdesk: @alice 工单 #1001 已关闭，这条消息没有记入该工单。如需就此新建工单，请发送：/提问 又坏了（接 #1001）',
    );
    expect(await pg.play('/提问 又坏了（接 #1001）')).toMatch(/#1002/);
  });
});
