/**
 * The memory soak (bench/soak.bench.ts) drives the desk through commands whose wording the
 * bench relies on (the acknowledgement's ticket number, /reply, /resolve): this runs one
 * simulated hour so a change there fails here, not in the next `npm run bench`. It checks what
 * the hour did, never how fast or how much memory (that is `npm run bench`).
 */
import { benchSoak } from '../../bench/soak.bench';

describe('the memory soak bench', () => {
  it('runs a simulated hour of 200 groups: tickets opened, answered and resolved, the scheduler ticking', async () => {
    const figures = await benchSoak(1);
    expect(figures.messages).toBe(720); // one every 5 s
    expect(figures.ticks).toBe(60);
    expect(figures.ticketsOpened).toBeGreaterThan(300);
    // Each opened ticket is acknowledged and announced; replies and notices come on top.
    expect(figures.sent).toBeGreaterThan(2 * figures.ticketsOpened);
    expect(figures.rssByHourMb).toHaveLength(1);
  }, 60_000);
});
