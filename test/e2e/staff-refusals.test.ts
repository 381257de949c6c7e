import { playground } from './harness';

/** A refusal meant for one engineer reaches that engineer alone, never the customer's group. */
describe('staff refusals in a customer group', () => {
  it('the engineer who loses a claim, and other staff-only refusals, hear of it privately', async () => {
    const pg = await playground();
    await pg.play(`
      @bot the export job hangs after the upgrade
      :as bob
      :in staff
      /claim #1001
    `);
    const out = await pg.play(`
      :as carol
      :in acme
      /claim #1001
      :as bob
      /claim #1001
      /reply #1999 try 2.4.1
      /reply
      /history #1001
      /clam #1001
      @bot
      /reply #1001 ${'x'.repeat(16_001)}
    `);
    const lines = out.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(8);
    expect(lines[7]).toContain('That message is too long for me');
    expect(lines[0]).toBe(
      '[dm:carol] groupdesk: Ticket #1001 is already claimed by someone else. Use /assign to transfer it.',
    );
    for (const line of lines.slice(1)) expect(line).toMatch(/^\[dm:bob\] groupdesk: /);
    expect(out).not.toContain('[acme]');
    await pg.close();
  });

  it('a customer’s own refusal still answers them in their group', async () => {
    const pg = await playground();
    const out = await pg.play('/claim #1001');
    expect(out).toMatch(/^\[acme\] groupdesk: @alice /);
    await pg.close();
  });
});

describe('internal figures asked for in a customer group', () => {
  it('/report and /overdue answer the manager alone, never the customer group', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const out = await pg.play(':as carol\n:in acme\n/report 7\n/overdue');
      expect(out).not.toMatch(/^\[acme\]/m);
      expect(out).toMatch(/^\[dm:carol\] groupdesk: Report for the last 7 days:/m);
      expect(out).toMatch(/^\[dm:carol\] groupdesk: No ticket has missed/m);
    } finally {
      await pg.close();
    }
  });
});
