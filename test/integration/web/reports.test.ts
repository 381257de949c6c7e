/**
 * The managers' reports page over real HTTP: the /report figures for a chosen period, the
 * chart's data and script served by this server, and a CSV of the same rows that a
 * spreadsheet cannot run.
 */
import { type World, world } from './world';

describe('the reports page', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001, basic
  });
  afterEach(() => w.close());

  const get = (cookie: string, url: string) => w.app.inject({ method: 'GET', url, headers: { cookie } });
  const rowOf = (body: string, table: string) =>
    new RegExp(`<table id="report-${table}">[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';

  it('shows a manager the compliance per plan, and a breach changes it', async () => {
    const carol = await w.signIn('carol');
    const plan = (await w.desk.services.store.getTicket(1001))!.plan;
    const before = await get(carol, '/reports?days=7');
    expect(before.statusCode).toBe(200);
    expect(rowOf(before.body, 'by_plan')).toBe(''); // nothing decided yet
    w.clock.advance(49 * 3_600_000); // past any plan's first-response target
    const after = await get(await w.signIn('carol'), '/reports?days=7'); // a new session: the old one lapsed
    expect(rowOf(after.body, 'by_plan')).toContain(`<tr><td>${plan}</td><td>0</td><td>1</td><td>0</td></tr>`);
    const chart = /data-chart="([^"]+)"/.exec(after.body)![1]!.replace(/&quot;/g, '"');
    expect(JSON.parse(chart)).toEqual({ labels: [plan], percent: [0] });
    expect(after.body).toContain('<script src="/vendor/chart.umd.min.js"></script>');
    // A period that ended before the ticket counts nothing.
    const old = await get(await w.signIn('carol'), '/reports?from=2026-01-01&to=2026-01-31');
    expect(rowOf(old.body, 'by_plan')).toBe('');
    expect((await get(await w.signIn('carol'), '/reports?days=5')).statusCode).toBe(400);
  });

  it('serves Chart.js and the drawing script from this server', async () => {
    const lib = await w.app.inject({ method: 'GET', url: '/vendor/chart.umd.min.js' });
    expect(lib.statusCode).toBe(200);
    expect(lib.headers['content-type']).toContain('javascript');
    expect(lib.body).toContain('Chart.js v4');
    expect((await w.app.inject({ method: 'GET', url: '/reports.js' })).body).toContain('new Chart(');
  });

  it('downloads the same figures as CSV, formula-safe and quoted', async () => {
    const store = w.desk.services.store;
    const acme = (await store.getCustomer('acme'))!;
    await store.putCustomer({ ...acme, name: '=HYPERLINK("http://evil","x"), Inc' });
    w.clock.advance(49 * 3_600_000);
    const carol = await w.signIn('carol');
    const res = await get(carol, '/reports.csv?days=30');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil"",""x""), Inc",0,1,0\r\n`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('is for managers only: engineers and subscribers get the 404 of a missing page', async () => {
    for (const who of ['bob', 'alice']) {
      const cookie = await w.signIn(who);
      expect((await get(cookie, '/reports')).statusCode).toBe(404);
      expect((await get(cookie, '/reports.csv')).statusCode).toBe(404);
    }
    expect((await w.app.inject({ method: 'GET', url: '/reports' })).statusCode).toBe(401);
  });
});
