/**
 * SLA reminders as the playground shows them: `:clock` moves time and the scheduler ticks,
 * so the reminders, the breach alert and the digest appear in the transcript; a reply
 * stops them; waiting on the customer pauses them.
 */
import { type Playground, playground } from './harness';

const lines = (out: string, prefix: string) => out.split('\n').filter((l) => l.startsWith(prefix));

describe('SLA reminders in the playground', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('ticket opened, clock forward: 50 %, 80 %, breach to the managers, a repeat; the reply stops them', async () => {
    pg = await playground(); // Monday 10:00; ACME is on Basic: 24 h, due Tuesday 10:00
    await pg.play('@bot export to PDF crops the last page');
    const half = await pg.play(':clock +12h');
    expect(half).toBe(
      '[staff] groupdesk: Reminder: #1001 · ACME Corp · Basic · "export to PDF crops the last page" has used 50% of its first-response time: due 11-24 10:00 GMT+8 (in 12 h). Engineer: not yet assigned.\n' +
        '  [Claim: /claim #1001]\n',
    );
    expect(await pg.play(':clock +8h')).toContain(
      'has used 80% of its first-response time: due 11-24 10:00 GMT+8 (in 4 h).',
    );
    const breach = await pg.play(':clock +5h');
    const alert =
      'SLA breach: #1001 · ACME Corp · Basic · "export to PDF crops the last page" has had no first response within its 24 h target: overdue by 1 h. Engineer: not yet assigned.';
    expect(lines(breach, '[managers]')).toContain(`[managers] groupdesk: ${alert}`);
    expect(lines(breach, '[dm:carol]')).toEqual([`[dm:carol] groupdesk: ${alert}`]);
    // The day's digest went out at the same tick (it was due at 09:30).
    expect(breach).toContain(
      '[managers] groupdesk: Daily SLA digest, 2026-11-24:\n  First response:\n    Breached (1):\n      ACME Corp: #1001 overdue by 1 h (not yet assigned)',
    );
    expect(lines(await pg.play(':clock +4h'), '[dm:carol]')).toEqual([
      '[dm:carol] groupdesk: Still no first response (alert 2): #1001 · ACME Corp · Basic · "export to PDF crops the last page": overdue by 5 h. Engineer: not yet assigned.',
    ]);
    const after = await pg.play(`
      :as bob
      :in staff
      /reply #1001 we can reproduce it, fix on the way
      :clock +8h
      :clock +1d
    `);
    expect(after).toContain('[acme] groupdesk: @alice #1001 · bob: we can reproduce it, fix on the way');
    expect(after).not.toMatch(/Still no first response|SLA breach|Reminder:/);
    const events = await pg.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'reminder_sent').map((e) => e.text)).toEqual([
      'half',
      'late',
      'breach',
      'breach #2',
    ]);
  });

  it('waiting on the customer pauses the clock and the reminders; the answer resumes both', async () => {
    pg = await playground();
    const out = await pg.play(`
      :as erin
      :in globex
      @bot the importer drops rows
      :as bob
      :in staff
      /claim #1001
      /wait #1001
      :clock +10h
    `);
    expect(out).not.toContain('Reminder:');
    expect(out).not.toContain('SLA breach');
    const resumed = await pg.play(`
      :as erin
      :in globex
      #1001 here is the sample file
      :clock +3h
      :clock +1h
    `);
    // Enterprise is 8 h: 4 h used after the answer is half of it, 14 h after opening.
    expect(lines(resumed, '[dm:bob]')).toEqual([
      '[dm:bob] groupdesk: #1001: erin added: #1001 here is the sample file', // the assignee hears of the answer
      '[dm:bob] groupdesk: Reminder: #1001 · Globex · Enterprise · "the importer drops rows" has used 50% of its first-response time: due 11-24 04:00 GMT+8 (in 4 h). Engineer: bob.',
    ]);
    expect(resumed).toContain(
      '[staff] groupdesk: #1001 (globex): the customer answered, the clock is running again:',
    );
  });

  it('/wait with a question asks the customer, counts as the first response and pauses the clock', async () => {
    pg = await playground();
    const out = await pg.play(`
      :as erin
      :in globex
      @bot the importer drops rows
      :as bob
      :in staff
      /wait #1001 which version of the importer do you run?
      /wait #1001 and the OS?
      :clock +10h
    `);
    expect(out).toContain(
      '[globex] groupdesk: @erin #1001 · bob: which version of the importer do you run?\n  (Please answer mentioning #1001.)',
    );
    expect(out).toContain('[staff] groupdesk: #1001 is waiting on the customer');
    expect(out).toContain('[staff] groupdesk: Ticket #1001 is already waiting on the customer.');
    expect(out).not.toContain('and the OS?'); // refused: nothing half-done reaches the customer
    expect(out).not.toContain('Reminder:');
    const ticket = await pg.store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'waiting_on_customer', firstResponseAt: ticket?.createdAt });
    const replies = (await pg.store.listEvents(1001)).filter((e) => e.kind === 'staff_reply');
    expect(replies.map((e) => e.text)).toEqual(['which version of the importer do you run?']);
  });

  it('speaks the desk’s language: the breach alert in Chinese', async () => {
    pg = await playground({ locale: 'zh-CN' });
    await pg.play('@bot 导出 PDF 最后一页被截断');
    const out = await pg.play(':clock +25h');
    expect(out).toContain(
      '[managers] groupdesk: SLA 超时：#1001 · ACME Corp · 基础版 ·“导出 PDF 最后一页被截断”未在 24 小时目标内首次响应：已超时 1 小时。负责工程师：尚未指派。',
    );
    expect(out).not.toContain('50%'); // after a day away only the breach is news
  });

  it('/overdue lists breached and at-risk tickets for managers', async () => {
    pg = await playground();
    const out = await pg.play(`
      @bot export to PDF crops the last page
      :as erin
      :in globex
      @bot security: tokens leak into the logs
      :clock +9h
      :as carol
      :in managers
      /overdue
    `);
    expect(out).toContain('[managers] groupdesk: Overdue tickets (1):');
    expect(out).toMatch(/#1002 · P1 · open · globex · security: tokens leak into the logs · overdue by 1 h/);
    expect(out).not.toContain('At risk');
    const later = await pg.play(`
      :clock +11h
      /overdue
    `);
    expect(later).toContain('  At risk (1), 80% or more of a promised time used:');
    expect(later).toMatch(
      / {2}#1001 · P2 · open · acme · export to PDF crops the last page · due 11-24 10:00 GMT\+8 \(in 4 h\)/,
    );
    expect(later).toContain('  Per engineer: not yet assigned: 1 breached, 1 at risk');
  });

  it('/report: compliance per plan and customer, times, engineers, training; a customer group sees only itself', async () => {
    pg = await playground();
    await pg.play(`
      @bot export to PDF crops the last page
      :as erin
      :in globex
      @bot the importer drops rows
      /training onboarding for the new team
      :as bob
      :in staff
      /reply #1001 fixed in 2.3.1
      :clock +9h
      /reply #1002 looking into it
      /resolve #1001
    `);
    const all = await pg.play(`
      :as carol
      :in managers
      /report 7
    `);
    expect(all).toContain('Tickets opened: 3, resolved: 1.');
    // #1001 answered at once; #1002 answered after 9 h of its 8; the training request #1003 not at all.
    expect(all).toContain('First response within target: 33% (1/3); breaches: 2.');
    expect(all).toContain('First response time: median 1 min, p90 9 h.');
    expect(all).toContain('Resolution time: median 9 h, p90 9 h.');
    for (const line of [
      'By plan:',
      '    Enterprise: 0% (0/2), breaches: 2',
      '    Basic: 100% (1/1), breaches: 0',
      'By customer:',
      '    Globex: 0% (0/2), breaches: 2',
      '    ACME Corp: 100% (1/1), breaches: 0',
      // bob took #1002 by answering it an hour after its deadline: nobody held it when it passed.
      'Breaches per engineer:\n    not yet assigned: 2',
    ]) {
      expect(all).toContain(line);
    }
    expect(all).toContain('Globex (Enterprise): 1 of 2');
    const acme = await pg.play(`
      :in acme
      /report 7
      /overdue
    `);
    expect(acme).toContain('Tickets opened: 1, resolved: 1.');
    expect(acme).not.toMatch(/Globex|globex|Enterprise|#1002|#1003/);
  });
});
