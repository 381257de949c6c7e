/**
 * The SLA bench (bench/sla.bench.ts) fills its store with raw SQL, so a schema change can
 * break it while every other test passes: this runs it once on a small store. It checks
 * that the bench still works and sends what it should, never how fast (that is `npm run bench`).
 */
import { measure } from '../../bench/sla.bench';

describe('the SLA bench', () => {
  it('fills a store, re-arms it, and its tick sends the 1,000 due reminders', async () => {
    const measured = await measure(6000, { runs: 1, warmUp: 0, settleMs: 0 });
    // 1,000 due: 333 at 50 % and 333 at 80 % to the staff channel, and 334 breached, each
    // to the manager channel and to the manager by direct message.
    expect(measured.deliveries).toBe(1334);
    expect(measured.tickMs).toBeGreaterThan(0);
  }, 60_000);
});

describe('the three-metric SLA bench', () => {
  it('spreads the 1,000 due reminders over the three promises and sends them all', async () => {
    const measured = await measure(6000, { runs: 1, warmUp: 0, settleMs: 0 }, 3);
    expect(measured.deliveries).toBe(1334); // the same stages, a third per metric
  }, 60_000);
});
