/**
 * Debian's Chromium for the browser suites, driven by playwright-core (never a downloaded
 * browser). Without /usr/bin/chromium a suite is skipped and says why.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type World, world } from '../integration/web/world';

export const CHROMIUM = '/usr/bin/chromium';
/** Why the browser suites are skipped here, or undefined when they run. */
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`;
/** Screenshots, kept as test artefacts (gitignored). */
export const SHOTS = path.join(__dirname, '../../test-results/web');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Inside a describe: one Chromium for the suite and a fresh desk per test. */
export function chromiumAndWorld(): { browser: () => Browser; world: () => World } {
  let browser: Browser | undefined;
  let current: World | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    current = await world();
  });
  afterEach(() => current?.close());
  return { browser: () => browser!, world: () => current! };
}
