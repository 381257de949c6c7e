/**
 * The upstream bench (bench/upstream.bench.ts) fills its store with raw SQL, so a schema
 * change can break it while every other test passes: this runs it once on a small store and
 * checks that the index and the scan name the same tickets, never how fast.
 */
import { benchUpstream } from '../../bench/upstream.bench';

it('finds the same five tickets through the index as by a scan, and uses the index', async () => {
  const figures = await benchUpstream(2000, 2);
  expect(figures.linked).toHaveLength(5);
  expect(figures.scanned).toEqual(figures.linked);
  expect(figures.plan).toContain('USING INDEX events_upstream_links');
}, 60_000);
