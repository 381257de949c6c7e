import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planCatalogSchema } from '../../config/schema';
import type { Subscription } from '../../src/core/model';
import { PlanBook } from '../../src/core/plans';

const catalog = planCatalogSchema.parse(
  JSON.parse(readFileSync(path.join(__dirname, '../../config/plans.json'), 'utf8')),
);
const book = new PlanBook(catalog);
const DAY = 86_400_000;
const sub = (plan: string, startsAt: number, endsAt: number, graceDays = 7): Subscription => ({
  id: plan,
  customerId: 'c',
  plan,
  startsAt,
  endsAt,
  graceDays,
  trainingUsed: 0,
  createdAt: startsAt,
});

describe('plans and entitlements', () => {
  it('names the cheapest plan that covers a category', () => {
    expect(book.cheapestWith('consultation')?.id).toBe('basic');
    expect(book.cheapestWith('diagnosis')?.id).toBe('advanced');
    expect(book.cheapestWith('performance')?.id).toBe('enterprise');
  });
  it('community covers nothing', () => {
    expect(book.covers(book.community, 'consultation')).toBe(false);
  });
  it('uses the best active plan, then the grace period, then community', () => {
    const now = 100 * DAY;
    expect(book.effective([], now).plan.id).toBe('community');
    expect(book.effective([sub('basic', 0, 200 * DAY), sub('enterprise', 0, 150 * DAY)], now).plan.id).toBe(
      'enterprise',
    );
    const grace = book.effective([sub('basic', 0, now - 3 * DAY)], now);
    expect(grace).toMatchObject({ inGrace: true, plan: { id: 'basic' } });
    expect(book.effective([sub('basic', 0, now - 8 * DAY)], now).plan.id).toBe('community');
    expect(book.effective([sub('basic', now + DAY, now + 30 * DAY)], now).plan.id).toBe('community');
  });
  it('rejects a catalogue whose first plan is not free, naming the path', () => {
    const bad = { ...catalog, plans: [...catalog.plans].reverse() };
    const result = planCatalogSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['plans', 0]);
  });
});
