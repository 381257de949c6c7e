/** The outbox bench still runs and delivers each row once (its speed is `npm run bench`'s business). */
import { benchOutbox } from '../../bench/outbox.bench';

it('sends the two rows of every message once', async () => {
  const figures = await benchOutbox(300, 4);
  expect(figures.delivered).toBe(600);
  expect(figures.perMessageUs).toBeGreaterThan(0);
}, 30_000);
