import { type Playground, playground } from './harness';

describe('a support conversation in the playground', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground();
  });
  afterEach(() => pg.close());

  it('customer asks, engineer claims and answers, customer checks and closes', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20 with ERR_REQUIRE_ESM
      :as bob
      :in staff
      /queue
      /claim #1001
      /reply #1001 Please upgrade to 2.4.1
      :as alice
      :in acme
      /status #1001
      /close #1001
    `);
    expect(out).toContain(
      '[acme] groupdesk: @alice Ticket #1001 is open (Basic plan). An engineer will respond within 24 h, by 11-24 10:00 GMT+8.',
    );
    expect(out).toContain(
      '[staff] groupdesk: New ticket #1001 · ACME Corp (Basic) · consultation · P2 · due 11-24 10:00 GMT+8',
    );
    expect(out).toContain('[Claim: /claim #1001] [Resolve: /resolve #1001]');
    expect(out).toContain(
      '#1001 · P2 · open · acme · the build fails on Node 20 with ERR_REQUIRE_ESM · due 11-24 10:00 GMT+8 (in 1 d)',
    );
    expect(out).toContain('[acme] groupdesk: @alice #1001: bob is working on your request.');
    expect(out).toContain('[staff] groupdesk: #1001 is now yours, bob.');
    expect(out).toContain('[acme] groupdesk: @alice #1001 · bob: Please upgrade to 2.4.1');
    expect(out).toContain('[staff] groupdesk: Reply to #1001 delivered to the customer.');
    expect(out).toContain(
      '#1001 · P2 · in progress · the build fails on Node 20 with ERR_REQUIRE_ESM · answered',
    );
    expect(out).toContain('[acme] groupdesk: @alice Ticket #1001 is closed. Thank you!');
    // The acknowledgement comes before the staff announcement.
    expect(out.indexOf('Ticket #1001 is open')).toBeLessThan(out.indexOf('New ticket #1001'));
    const ticket = await pg.store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'closed', firstResponseAt: expect.any(Number) });
    const kinds = (await pg.store.listEvents(1001)).map((e) => e.kind);
    expect(kinds).toEqual([
      'customer_message',
      'assignment',
      'status_change',
      'staff_reply',
      'status_change',
    ]);
  });

  it('staff see the request with its links; lists show a short subject', async () => {
    const link = 'https://cdn.discordapp.com/attachments/1/2/screenshot.png?ex=67&hm=abc';
    const out = await pg.play(`
      @bot export to PDF crops the last page, screenshot: ${link}
      :as bob
      :in staff
      /queue
    `);
    expect(out).toContain(`  alice: export to PDF crops the last page, screenshot: ${link}\n`);
    const queue = out.slice(out.indexOf('Claim it with'));
    expect(queue).toContain('export to PDF crops the last page, screenshot: cdn.discordapp.com/…');
    expect(queue).not.toContain(link);
  });

  it('one problem told in quick @bot messages is one ticket; /ticket or a later @bot opens another', async () => {
    const out = await pg.play(`
      @bot the build fails
      @bot on Node 20, with ERR_REQUIRE_ESM
      /ticket the docs site is down
      :clock +3m
      @bot export to PDF crops the last page
    `);
    expect(out.split('\n').filter((l) => l.startsWith('[acme]'))).toEqual([
      expect.stringMatching(/^\[acme\] groupdesk: @alice Ticket #1001 is open/),
      '[acme] groupdesk: @alice Added to ticket #1001. If this is a different problem, open a separate ticket with /ticket <description>.',
      expect.stringMatching(/^\[acme\] groupdesk: @alice Ticket #1002 is open/),
      expect.stringMatching(/^\[acme\] groupdesk: @alice Ticket #1003 is open/),
    ]);
    const messages = (await pg.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
    expect(messages.map((e) => e.text)).toEqual(['the build fails', 'on Node 20, with ERR_REQUIRE_ESM']);
    expect((await pg.store.getTicket(1003))?.subject).toBe('export to PDF crops the last page');
  });

  it('a greeting asks for the problem, or points at the ticket already open; it opens nothing', async () => {
    const out = await pg.play(`
      @bot 在吗？
      @bot hi there 👋
      @bot the build fails on Node 20
      :clock +2h
      @bot hello?
    `);
    expect(out.split('\n').filter((l) => l.startsWith('[acme]'))).toEqual([
      '[acme] groupdesk: @alice Please tell me what you need help with, e.g. "@bot the build fails on Node 20 with …".',
      '[acme] groupdesk: @alice Please tell me what you need help with, e.g. "@bot the build fails on Node 20 with …".',
      expect.stringMatching(/^\[acme\] groupdesk: @alice Ticket #1001 is open/),
      '[acme] groupdesk: @alice Hello! Your ticket #1001 is open and an engineer will answer here. Add details any time by mentioning #1001, or describe a new problem to open another ticket.',
    ]);
    expect(await pg.store.getTicket(1002)).toBeUndefined();
    const messages = (await pg.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
    expect(messages.map((e) => e.text)).toEqual(['the build fails on Node 20']);
  });

  it('the engineer holding a ticket hears of each follow-up by direct message; nobody does before a claim', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      it fails at the link step
      :as bob
      :in staff
      /claim #1001
      :as alice
      :in acme
      :clock +5m
      here is the log: https://cdn.discordapp.com/attachments/1/2/link.log
      thanks
    `);
    expect(out.split('\n').filter((l) => l.startsWith('[dm:'))).toEqual([
      '[dm:bob] groupdesk: #1001: alice added: here is the log: https://cdn.discordapp.com/attachments/1/2/link.log',
    ]);
    expect(out).toContain('  (/history #1001 shows the whole ticket.)');
  });

  it('attaches follow-ups within the window and by #N, and ignores pleasantries', async () => {
    const out = await pg.play(`
      @bot the dashboard is blank after upgrading
      :clock +10m
      it happens only in Safari
      thanks
      :clock +2h
      #1001 the console shows a CSP error
      谢谢 👍
    `);
    expect(out.match(/Ticket #\d+ is open/g)).toHaveLength(1);
    const texts = (await pg.store.listEvents(1001))
      .filter((e) => e.kind === 'customer_message')
      .map((e) => e.text);
    expect(texts).toEqual([
      'the dashboard is blank after upgrading',
      'it happens only in Safari',
      '#1001 the console shows a CSP error',
    ]);
  });

  it('a message after the follow-up window that does not address the bot is just chat', async () => {
    await pg.play(`
      @bot question one
      :clock +2h
      unrelated chatter among colleagues
    `);
    const texts = (await pg.store.listEvents(1001)).map((e) => e.text);
    expect(texts).toEqual(['question one']);
  });

  it('auto mode opens a ticket for every top-level message and merges bursts', async () => {
    const out = await pg.play(`
      :as carol
      /auto on
      :as alice
      the importer crashes on empty CSV files
      :clock +5m
      stack trace: TypeError at line 3
      收到
      :clock +1h
      :as erin
      :in globex
      unrelated
    `);
    expect(out).toContain('Auto mode is on');
    expect(out.match(/Ticket #\d+ is open/g)).toHaveLength(1);
    expect(await pg.store.getTicket(1002)).toBeUndefined();
  });

  it('waiting on the customer pauses the clock and their answer resumes it', async () => {
    await pg.play(`
      @bot the worker leaks memory
      :as bob
      :in staff
      /wait #1001
    `);
    const before = await pg.store.getTicket(1001);
    expect(before?.status).toBe('waiting_on_customer');
    const out = await pg.play(`
      :clock +3h
      :as alice
      :in acme
      #1001 here is the heap dump
    `);
    const after = await pg.store.getTicket(1001);
    expect(after?.status).toBe('open');
    expect(after?.pausedAt).toBeUndefined();
    expect(after!.dueAt! - before!.dueAt!).toBe(3 * 3_600_000);
    expect(out).toContain(
      '[staff] groupdesk: #1001 (acme): the customer answered, the clock is running again:',
    );
  });

  it('a customer message within the reopen window reopens a resolved ticket', async () => {
    const out = await pg.play(`
      @bot login loops forever
      :as bob
      :in staff
      /resolve #1001 fixed in 2.4.2
      :clock +1d
      :as alice
      :in acme
      #1001 still looping on 2.4.2
    `);
    expect(out).toContain('[acme] groupdesk: @alice #1001 has been resolved by bob: fixed in 2.4.2');
    expect(out).toContain('[acme] groupdesk: @alice Ticket #1001 is reopened; the engineer has been told.');
    expect((await pg.store.getTicket(1001))?.status).toBe('open');
  });

  it('a staff message in the customer group naming #N is the first response', async () => {
    await pg.play(`
      @bot cannot connect to the cluster
      :as bob
      #1001 which port does the firewall block?
    `);
    const ticket = await pg.store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'claimed', firstResponseAt: expect.any(Number) });
    const events = await pg.store.listEvents(1001);
    expect(events.find((e) => e.kind === 'staff_reply')?.text).toBe(
      '#1001 which port does the firewall block?',
    );
  });

  it('a staff message mentioning the requester answers their ticket', async () => {
    await pg.play(`
      @bot pods restart every hour
      :as bob
      @alice can you share the liveness probe config?
    `);
    expect((await pg.store.getTicket(1001))?.firstResponseAt).toBeDefined();
  });
});
