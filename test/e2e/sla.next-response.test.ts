/**
 * The next-response promise in the playground: after a first answer the customer writes
 * again and nobody answers; the next-reply reminders, then the breach, each once; the next
 * public reply stops them. ACME is on Basic: 24 h, and next reply defaults to the same.
 */
import { type Playground, playground } from './harness';

const lines = (out: string, prefix: string) => out.split('\n').filter((l) => l.startsWith(prefix));

describe('next-response reminders in the playground', () => {
  let pg: Playground;
  afterEach(() => pg.close());

  it('answer → follow-up → no answer: 50 %, 80 %, breach once each; the next reply stops them', async () => {
    pg = await playground();
    const first = await pg.play(`
      @bot export to PDF crops the last page
      :as bob
      :in staff
      /reply #1001 which version are you on?
      :as alice
      :in acme
      #1001 that did not work, still cropped
      :clock +12h
    `);
    expect(lines(first, '[dm:bob]')).toContain(
      '[dm:bob] groupdesk: Reminder: #1001 · ACME Corp · Basic · "export to PDF crops the last page": the customer wrote again and has used 50% of the next-reply time: due 11-24 10:00 GMT+8 (in 12 h). Engineer: bob.',
    );
    expect(first).not.toContain('first-response time');
    // The customer sees the promise that applies now, in their words; never the alerts.
    expect(lines(first, '[acme]').filter((l) => l.includes('Reminder'))).toEqual([]);
    const status = await pg.play(`
      :as alice
      :in acme
      /status #1001
    `);
    expect(status).toContain('next reply due 11-24 10:00 GMT+8 (in 12 h)');
    expect(await pg.play(':clock +8h')).toContain('has used 80% of the next-reply time');
    const breach = await pg.play(':clock +5h');
    expect(lines(breach, '[dm:carol]')).toEqual([
      '[dm:carol] groupdesk: SLA breach: #1001 · ACME Corp · Basic · "export to PDF crops the last page": no reply to the customer\'s follow-up within the 24 h next-reply target: overdue by 1 h. Engineer: bob.',
    ]);
    expect(lines(breach, '[acme]')).toEqual([]); // a breach never reaches the customer group
    const after = await pg.play(`
      :as bob
      :in staff
      /reply #1001 fixed in 2.3.1
      :clock +1d
    `);
    expect(after).not.toMatch(/Still no reply|SLA breach|Reminder:/);
    const sent = (await pg.store.listEvents(1001))
      .filter((e) => e.kind === 'reminder_sent')
      .map((e) => e.text);
    expect(sent).toEqual(['half', 'late', 'breach']);
  });
});
