import { type Playground, playground } from './harness';

describe('every staff and manager command', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground();
    await pg.play(`
      @bot export to PDF crops the last page
      :as erin
      :in globex
      @bot security: the admin API accepts expired tokens
    `);
  });
  afterEach(() => pg.close());

  it('security reports get priority where the plan includes it and lead the queue', async () => {
    const out = await pg.play(`
      :as bob
      :in staff
      /queue
    `);
    const queue = out.split('\n').filter((l) => l.includes(' · '));
    expect(queue[0]).toContain('#1002 · P1 · open · globex · security: the admin API accepts expired tokens');
    expect(queue[1]).toContain('#1001 · P2 · open · acme');
  });

  it('claim, unclaim, assign, priority, note, wait, resolve and mine', async () => {
    const out = await pg.play(`
      :as carol
      :in staff
      /staff add @frank engineer
      :as bob
      /claim #1001
      /claim #1001
      /mine
      /unclaim #1001
      /unclaim #1001
      /assign #1001 @frank
      /priority #1001 p3
      /note #1001 reproduced with Chrome 130
      /wait #1001
      /resolve #1001
      /resolve #1001
    `);
    expect(out).toContain('[staff] groupdesk: frank is now registered as one of the support engineers.');
    expect(out).toContain('[staff] groupdesk: #1001 is now yours, bob.');
    expect(out).toContain('[staff] groupdesk: Ticket #1001 is already assigned to bob.');
    expect(out).toContain('[staff] groupdesk: Your tickets (1):');
    expect(out).toContain('[staff] groupdesk: #1001 is back in the queue.');
    expect(out).toContain('[staff] groupdesk: Ticket #1001 is not claimed by anyone.');
    expect(out).toContain('[staff] groupdesk: #1001 is assigned to frank.');
    expect(out).toContain(
      '[dm:frank] groupdesk: You have been assigned #1001 "export to PDF crops the last page" by bob.',
    );
    expect(out).toContain('[staff] groupdesk: #1001 priority is now P3.');
    expect(out).toContain('[staff] groupdesk: Internal note added to #1001 (never shown to the customer).');
    expect(out).toContain('[staff] groupdesk: #1001 is waiting on the customer');
    expect(out).toContain('[acme] groupdesk: @alice #1001 has been resolved by bob.');
    expect(out).toContain('[staff] groupdesk: Ticket #1001 is already resolved.');
    // The internal note never reaches the customer's group.
    expect(
      out
        .split('\n')
        .filter((l) => l.startsWith('[acme]'))
        .join('\n'),
    ).not.toContain('Chrome 130');
    const ticket = await pg.store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'resolved', priority: 'p3', assigneeId: expect.any(String) });
  });

  it('an engineer cannot release a colleague’s ticket; a manager can', async () => {
    const out = await pg.play(`
      :as carol
      :in staff
      /staff add @frank engineer
      :as frank
      /claim #1001
      :as bob
      /unclaim #1001
      /claim #1001
      :as carol
      /unclaim #1001
    `);
    expect(out).toContain('Ticket #1001 is claimed by someone else; only they or a manager can release it.');
    expect(out).toContain('Ticket #1001 is already claimed by someone else. Use /assign to transfer it.');
    expect(out).toContain('[staff] groupdesk: #1001 is back in the queue.');
  });

  it('overdue and report for managers', async () => {
    const out = await pg.play(`
      :clock +9h
      :as bob
      :in staff
      /reply #1001 looking into it
      :clock +20h
      :as carol
      :in managers
      /overdue
      /report 7
    `);
    expect(out).toContain('[managers] groupdesk: Overdue tickets (1):');
    expect(out).toMatch(
      /#1002 · P1 · open · globex · security: the admin API accepts expired tokens · overdue by 21 h/,
    );
    expect(out).toContain('Tickets opened: 2, resolved: 0.');
    expect(out).toContain('First response within target: 50% (1/2); breaches: 1.');
    expect(out).toContain('First response time: median 9 h, p90 9 h.');
    expect(out).toContain('  bob: 1');
    expect(out).toContain('  not yet assigned: 1');
  });

  it('subscriptions and plans: add, extend, change, and what /plan shows', async () => {
    const out = await pg.play(`
      :as carol
      :in managers
      /sub plan acme advanced
      /sub extend acme 6
      /sub add initech enterprise
      /sub add acme platinum
      :as alice
      :in acme
      /plan
      /ticket diagnosis the scheduler skips jobs
    `);
    expect(out).toContain(
      '[managers] groupdesk: acme: plan changed from Basic to Advanced, until 2027-11-23.',
    );
    expect(out).toContain('[managers] groupdesk: acme: Advanced plan renewed until 2028-05-23.');
    // The customer is told of both in their group (issue 21).
    expect(out).toContain(
      '[acme] groupdesk: Your support plan is now Advanced (was Basic), until 2027-11-23.',
    );
    expect(out).toContain(
      '[acme] groupdesk: Your Advanced support plan is renewed until 2028-05-23. Thank you!',
    );
    expect(out).toContain('[managers] groupdesk: There is no customer "initech".');
    expect(out).toContain(
      '[managers] groupdesk: There is no plan "platinum". Plans: Basic, Advanced, Enterprise.',
    );
    expect(out).toContain('Plan: Advanced, valid until 2028-05-23. First response within 12 h.');
    expect(out).toContain('Training sessions left this period: 1 of 1.');
    expect(out).toContain('Ticket #1003 is open (Advanced plan)');
  });

  it('/help lists only what the speaker may use here', async () => {
    const subscriber = await pg.play('/help');
    expect(subscriber).toContain('/ticket [category] <question> — Open a support ticket');
    expect(subscriber).not.toContain('/claim');
    const engineer = await pg.play(`
      :as bob
      :in staff
      /help
      /help reply
    `);
    expect(engineer).toContain('/claim #N — Take a ticket.');
    expect(engineer).not.toContain('/sub add');
    expect(engineer).toContain('[staff] groupdesk: /reply #N <text>\n  Answer the customer');
    expect(engineer).toContain('  Also: /回复');
  });

  it('"@bot help" and "@bot 帮助" (no slash) answer like /help; a plain "help" gets no answer', async () => {
    const slash = await pg.play('/help');
    expect(await pg.play('@bot help')).toBe(slash);
    expect(await pg.play('@bot 帮助')).toBe(slash);
    expect(await pg.play('help')).toBe('');
    expect(await pg.store.getTicket(1003)).toBeUndefined();
  });

  it('/history shows staff what the customer added, with notes and changes; never in a customer group', async () => {
    const out = await pg.play(`
      :clock +3m
      :as alice
      :in acme
      @bot the build fails on Node 20
      @bot log: https://cdn.discordapp.com/attachments/1/2/build.log
      :as bob
      :in staff
      /claim #1003
      /note #1003 reproduced locally
      /history #1003
      /history #1003 1
      /history #1003 0
      :in acme
      /history #1003
      :as alice
      /history #1003
    `);
    const staff = out.split('\n[').find((block) => block.includes('the last 5 of 5 entries'));
    expect(staff?.split('\n').slice(1)).toEqual([
      '  11-23 10:03 GMT+8 alice: the build fails on Node 20',
      '  11-23 10:03 GMT+8 alice: log: https://cdn.discordapp.com/attachments/1/2/build.log',
      '  11-23 10:03 GMT+8 bob: assigned to bob',
      '  11-23 10:03 GMT+8 bob: open → claimed',
      '  11-23 10:03 GMT+8 bob (internal note): reproduced locally',
    ]);
    expect(out).toContain(
      '[staff] groupdesk: #1003 · the build fails on Node 20 — the last 1 of 5 entries:\n  11-23 10:03 GMT+8 bob (internal note): reproduced locally\n',
    );
    expect(out).toContain("[staff] groupdesk: That doesn't look right. Usage: /history #N [count]");
    // The note never reaches a customer group, whoever asks there.
    const inAcme = out.split('\n').filter((l) => l.startsWith('[acme]'));
    // The customer's refusal in the group; bob's reaches bob alone (a refusal is his business).
    expect(inAcme.filter((l) => l.includes('/history'))).toHaveLength(1);
    expect(out).toContain("[dm:bob] groupdesk: /history can't be used here.");
    expect(inAcme.join('\n')).not.toContain('reproduced locally');
  });

  it('a waiting ticket reads "waiting on the customer" to staff and "waiting for you" to the customer', async () => {
    const out = await pg.play(`
      :as bob
      :in staff
      /wait #1001
      /queue
      /status #1001
      :as alice
      :in acme
      /status #1001
    `);
    const staff = out.split('\n').filter((l) => l.includes('#1001 · P2'));
    expect(staff).toEqual([
      expect.stringContaining('#1001 · P2 · waiting on the customer · acme · export to PDF'),
      expect.stringContaining('#1001 · P2 · waiting on the customer · acme · export to PDF'),
      expect.stringContaining('#1001 · P2 · waiting for you · export to PDF'),
    ]);
    expect(out).toContain('[acme] groupdesk: @alice #1001 · P2 · waiting for you');
  });

  it('staff can be removed and then lose their commands', async () => {
    const out = await pg.play(`
      :as carol
      :in staff
      /staff add @frank engineer
      /staff remove @frank
      /staff remove @carol
      :as frank
      /queue
    `);
    expect(out).toContain("[staff] groupdesk: You can't remove carol.");
    expect(out).toContain('[staff] groupdesk: frank is no longer registered as staff.');
    expect(out).toContain('[staff] groupdesk: Sorry, /queue is for support engineers only.');
  });

  it('a manager binds the staff channel on any group', async () => {
    const out = await pg.play(`
      :as carol
      :in ops-room
      /bind staff
      :as alice
      :in acme
      :clock +3m
      @bot new question
    `);
    expect(out).toContain('[ops-room] groupdesk: This group is now linked to the staff channel.');
    expect(out).toContain('[ops-room] groupdesk: New ticket #1003');
  });
});
