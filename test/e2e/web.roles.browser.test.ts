/**
 * The manager and the subscriber in real Chromium. The manager's compliance chart (drawn by
 * Chart.js on a canvas) goes from 100 % to 50 % once a second ticket breaches its
 * first-response promise; the subscriber sees their own company's ticket, gets the 404 page
 * for another company's ticket URL, and never an internal note. Screenshots of each page go
 * to test-results/web.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { World } from '../integration/web/world';
import { chromiumAndWorld, chromiumMissing, SHOTS } from './browser';

(chromiumMissing ? describe.skip : describe)(
  `the manager and the subscriber in Chromium${chromiumMissing ? `: skipped, ${chromiumMissing}` : ''}`,
  () => {
    const suite = chromiumAndWorld();
    let w: World;
    let browser: Browser;
    beforeEach(() => {
      w = suite.world();
      browser = suite.browser();
    });

    /** Opens `who`'s /web link in a fresh page and presses Sign in. */
    const signIn = async (who: string): Promise<Page> => {
      const page = await browser.newPage();
      await page.goto(`${w.url}${await w.linkFor(who)}`);
      await page.click('#signin');
      await page.waitForURL(`${w.url}/`);
      return page;
    };
    /** What the chart on the page drew: Chart.js's own data for the compliance canvas. */
    const charted = (page: Page) =>
      page.evaluate(() => {
        const chart = (globalThis as unknown as { Chart: { getChart(id: string): unknown } }).Chart.getChart(
          'compliance',
        ) as { data: { labels: string[]; datasets: { data: number[] }[] } } | undefined;
        return chart ? { labels: chart.data.labels, percent: chart.data.datasets[0]!.data } : undefined;
      });

    it('shows the manager the compliance chart fall from 100 % to 50 % after a breach', async () => {
      await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001
      await w.say('bob', 'staff', '/reply #1001 upgrade to 2.4.1'); // answered at once
      const plan = (await w.desk.services.store.getTicket(1001))!.plan;
      w.clock.advance(60_000); // the period ends now, and counts what was opened before it
      const manager = await signIn('carol');
      await manager.goto(`${w.url}/reports?days=7`);
      expect(await charted(manager)).toEqual({ labels: [plan], percent: [100] });
      await manager.screenshot({ path: path.join(SHOTS, 'reports-100.png'), fullPage: true });

      w.clock.advance(3_600_000); // past the follow-up window: a new message is a new ticket
      await w.say('alice', 'acme', '@bot the nightly export is empty'); // #1002
      expect((await w.desk.services.store.getTicket(1002))?.customerId).toBe('acme');
      w.clock.advance(49 * 3_600_000); // past any plan's first-response target, unanswered
      const later = await signIn('carol'); // the first session lapsed (12 h)
      await later.goto(`${w.url}/reports?days=7`);
      expect(await charted(later)).toEqual({ labels: [plan], percent: [50] });
      expect(await later.textContent('#report-by_plan')).toContain('50');
      await later.screenshot({ path: path.join(SHOTS, 'reports-50.png'), fullPage: true });
      await manager.close();
      await later.close();
    }, 60_000);

    it('shows the subscriber their own tickets, a 404 for another company’s, and no internal notes', async () => {
      await w.say('alice', 'acme', '@bot the build fails on Node 20'); // #1001
      await w.say('erin', 'globex', '@bot Globex secret: the payroll export crashes'); // #1002
      await w.say('bob', 'staff', '/note #1001 internal: the customer pinned an old lockfile');
      await w.say('bob', 'staff', '/reply #1001 please upgrade to 2.4.1');
      const page = await signIn('alice');
      const queue = await page.textContent('#queue');
      expect(queue).toContain('#1001');
      expect(queue).not.toMatch(/#1002|payroll/);
      await page.screenshot({ path: path.join(SHOTS, 'subscriber-queue.png'), fullPage: true });

      await page.click('a[href="/tickets/1001"] >> nth=0');
      await page.waitForURL(`${w.url}/tickets/1001`);
      const history = await page.textContent('#history');
      expect(history).toContain('please upgrade to 2.4.1');
      expect(history).not.toContain('old lockfile');
      expect(await page.locator('.event.internal_note').count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, 'subscriber-ticket.png'), fullPage: true });

      const foreign = await page.goto(`${w.url}/tickets/1002`);
      const foreignText = await page.textContent('body');
      await page.screenshot({ path: path.join(SHOTS, 'subscriber-foreign-404.png') });
      const missing = await page.goto(`${w.url}/tickets/424242`);
      expect([foreign?.status(), missing?.status()]).toEqual([404, 404]);
      expect(await page.textContent('body')).toBe(foreignText);
      expect(foreignText).not.toMatch(/payroll|Globex/);
      await page.close();
    }, 60_000);
  },
);
