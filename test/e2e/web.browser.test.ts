/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core (never a
 * downloaded browser). An engineer signs in from the link /web gave him, sees the queue,
 * opens the ticket, replies, and the customer's group receives the answer; the open page
 * refreshes by itself when the ticket changes in chat. Screenshots go to test-results/web
 * (not committed). Without /usr/bin/chromium the suite is skipped and says why.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { World } from '../integration/web/world';
import { chromiumAndWorld, chromiumMissing as missing, SHOTS } from './browser';

(missing ? describe.skip : describe)(
  `the web console in Chromium${missing ? `: skipped, ${missing}` : ''}`,
  () => {
    const suite = chromiumAndWorld();
    let w: World;
    let browser: Browser;
    beforeEach(() => {
      w = suite.world();
      browser = suite.browser();
    });

    it('signs in from a /web link, shows the queue, opens a ticket, replies, and the group receives it', async () => {
      await w.say('alice', 'acme', '@bot the build fails on Node 20 with ERR_REQUIRE_ESM');
      const link = `${w.url}${await w.linkFor('bob')}`;
      const page = await browser.newPage();
      const began = Date.now();
      await page.goto(link);
      await page.screenshot({ path: path.join(SHOTS, 'signin.png') });
      await page.click('#signin');
      await page.waitForURL(`${w.url}/`);
      const queue = await page.textContent('#queue');
      expect(queue).toContain('#1001');
      expect(queue).toContain('the build fails on Node 20');
      await page.screenshot({ path: path.join(SHOTS, 'queue.png') });
      await page.click('a[href="/tickets/1001"] >> nth=0');
      await page.waitForURL(`${w.url}/tickets/1001`);
      expect(await page.textContent('#history')).toContain('the build fails on Node 20');

      await page.fill(
        'form[action="/tickets/1001/reply"] textarea',
        'Please upgrade to 2.4.1, it ships the ESM fix',
      );
      await page.click('#reply');
      await page.waitForSelector('text=Reply to #1001 delivered to the customer.');
      const toGroup = w.sent.filter((m) => m.chatId === 'acme').map((m) => m.text);
      expect(toGroup).toContain('#1001 · bob: Please upgrade to 2.4.1, it ships the ESM fix');
      expect(await page.textContent('#history')).toContain('Please upgrade to 2.4.1');
      await page.screenshot({ path: path.join(SHOTS, 'ticket.png'), fullPage: true });

      // A change made in chat reaches the open page without a reload by hand (server-sent events).
      await w.say('bob', 'staff', '/note #1001 customer pinned an old lockfile');
      await page.waitForSelector('text=customer pinned an old lockfile', { timeout: 10_000 });
      expect(await page.textContent('.event.internal_note')).toContain('internal note');
      process.stdout.write(`web console in Chromium: sign-in to live update in ${Date.now() - began} ms\n`);
      await page.close();
    }, 60_000);
  },
);
