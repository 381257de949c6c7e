import { type Playground, playground } from './harness';

describe('refusals: roles, places, plans and tenants', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground();
  });
  afterEach(() => pg.close());

  it('subscribers cannot run staff or manager commands', async () => {
    const out = await pg.play(`
      /claim #1001
      /queue
      /overdue
      /staff add @mallory engineer
      /bind globex
    `);
    expect(out).toContain('[acme] groupdesk: @alice Sorry, /claim is for support engineers only.');
    expect(out).toContain('[acme] groupdesk: @alice Sorry, /queue is for support engineers only.');
    expect(out).toContain('[acme] groupdesk: @alice Sorry, /overdue is for support managers only.');
    expect(out).toContain("[acme] groupdesk: @alice /staff can't be used here.");
    expect(out).toContain('[acme] groupdesk: @alice Sorry, /bind is for support managers only.');
    expect((await pg.store.getGroup('console', 'acme'))?.customerId).toBe('acme');
  });

  it('engineers cannot run manager commands, and notes are refused in customer groups', async () => {
    const out = await pg.play(`
      @bot first question
      :as bob
      /note #1001 customer seems confused
      :in staff
      /report
      /sub extend acme 12
    `);
    expect(out).toContain(
      "[dm:bob] groupdesk: /note can't be used here. Use it in: the staff channel, the manager channel, a direct message.",
    );
    expect(out).toContain('[staff] groupdesk: Sorry, /report is for support managers only.');
    expect(out).toContain('[staff] groupdesk: Sorry, /sub is for support managers only.');
    expect((await pg.store.listEvents(1001)).some((e) => e.kind === 'internal_note')).toBe(false);
  });

  it('a request outside the plan names the plan that covers it', async () => {
    const out = await pg.play(`
      /ticket diagnosis our cluster crashes nightly
      /training
      /ticket performance tune our queries
    `);
    expect(out).toContain(
      'Your Basic plan does not include problem diagnosis. It is included from the Advanced plan on — please contact your account manager to upgrade.',
    );
    expect(out).toContain(
      'Your Basic plan does not include training sessions. It is included from the Advanced plan on',
    );
    expect(out).toContain(
      'Your Basic plan does not include performance optimisation. It is included from the Enterprise plan on',
    );
    expect(await pg.store.getTicket(1001)).toBeUndefined();
  });

  it('training sessions are a counted quota', async () => {
    const out = await pg.play(`
      :as erin
      :in globex
      /training onboarding for new hires
      /training advanced topics
      /training one more please
      /plan
    `);
    expect(out.match(/Ticket #\d+ is open/g)).toHaveLength(2);
    expect(out).toContain('All 2 training sessions of this subscription period are already booked.');
    expect(out).toContain('Training sessions left this period: 0 of 2.');
    expect(await pg.store.getTicket(1003)).toBeUndefined();
  });

  it("another customer's ticket looks exactly like one that does not exist", async () => {
    await pg.play('@bot acme secret: our DB password rotation fails');
    const out = await pg.play(`
      :as erin
      :in globex
      /status #1001
      /status #9999
      /close #1001
      #1001 can I see this?
      :as bob
      /claim #1001
      /queue
    `);
    expect(out).toContain("[globex] groupdesk: @erin I can't find ticket #1001.");
    expect(out).toContain("[globex] groupdesk: @erin I can't find ticket #9999.");
    expect(out).not.toContain('password');
    // Bob's refusal reaches bob alone, and reads the same as for a ticket that does not exist.
    expect(out).toContain("[dm:bob] groupdesk: I can't find ticket #1001.");
    expect(out).toContain('[globex] groupdesk: @bob The queue is empty.');
    const ticket = await pg.store.getTicket(1001);
    expect(ticket?.status).toBe('open');
    expect((await pg.store.listEvents(1001)).map((e) => e.text)).toEqual([
      'acme secret: our DB password rotation fails',
    ]);
  });

  it('an alice posting in globex is a stranger there', async () => {
    const out = await pg.play(`
      :in globex
      /status #1001
      @bot let me in
    `);
    // Issue 21: they are told why (another customer), not that they have no plan.
    expect(out).toContain(
      '[globex] groupdesk: @alice Sorry, you are registered with another customer, so /status does not work for you in this group.',
    );
    expect(out).not.toContain('for subscribers of a support plan only');
    expect(out).toContain('[globex] groupdesk: @alice Sorry, you are registered with another customer');
    expect(await pg.store.getTicket(1001)).toBeUndefined();
  });

  it('community users get the free channels and no ticket', async () => {
    const out = await pg.play(`
      :as dave
      :in community
      @bot how do I configure the cache?
      /ticket please help
    `);
    expect(out).toContain(
      '[community] groupdesk: Thanks for reaching out! This is the community group: there are no support tickets here.',
    );
    expect(out).toContain('https://github.com/your-org/your-framework/issues');
    expect(await pg.store.getTicket(1001)).toBeUndefined();
  });

  it('an expired plan past its grace period falls back to community', async () => {
    await pg.play(':clock +400d');
    const out = await pg.play('@bot is anyone there?');
    expect(out).toContain('Your company has no active support plan');
    expect(await pg.store.getTicket(1001)).toBeUndefined();
  });

  it('during the grace period tickets still open, with a renewal notice', async () => {
    const out = await pg.play(`
      :clock +368d
      @bot quick question
    `);
    expect(out).toContain('Ticket #1001 is open');
    expect(out).toContain('is in its grace period. Please renew');
  });

  it('an unbound group tells people how to bind it; a manager binds it', async () => {
    const out = await pg.play(`
      :in newgroup
      @bot hello?
      :as carol
      /bind globex
      :as zed
      @bot now I can ask
    `);
    expect(out).toContain('[newgroup] groupdesk: This group is not linked to a customer yet.');
    expect(out).toContain('[newgroup] groupdesk: This group is now linked to Globex.');
    expect(out).toContain('Ticket #1001 is open (Enterprise plan)');
    expect((await pg.store.getTicket(1001))?.customerId).toBe('globex');
  });

  it('unknown commands get a help pointer, bad arguments the usage', async () => {
    const out = await pg.play(`
      /frobnicate
      /status #abc
      /close
      :as bob
      :in staff
      /priority #1001 p9
      /assign #1001
    `);
    expect(out).toContain("I don't know the command /frobnicate. Send /help");
    expect(out).toContain("That doesn't look right. Usage: /status [#N]");
    expect(out).toContain("That doesn't look right. Usage: /close #N");
    expect(out).toContain("That doesn't look right. Usage: /priority #N p1|p2|p3");
    expect(out).toContain("That doesn't look right. Usage: /assign #N @who");
  });
});
