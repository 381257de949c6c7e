import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planCatalogSchema } from '../../config/schema';
import type { Subscription } from '../../src/core/model';
import { PlanBook } from '../../src/core/plans';
import { metricHours, priorityFactor, targetMs } from '../../src/core/sla/metrics';
import { HOUR_MS } from '../../src/core/sla/zone';

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

describe('SLA metrics per plan', () => {
  const enterprise = book.get('enterprise')!;
  const withPlan = (patch: Record<string, unknown>) => ({
    ...catalog,
    plans: catalog.plans.map((p) => (p.id === 'enterprise' ? { ...p, ...patch } : p)),
  });
  const messages = (value: unknown) => {
    const result = planCatalogSchema.safeParse(value);
    expect(result.success).toBe(false);
    return result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('defaults next response to the first-response hours and resolution to off', () => {
    expect(metricHours(enterprise, 'first_response')).toBe(8);
    expect(metricHours(enterprise, 'next_response')).toBe(8);
    expect(metricHours(enterprise, 'resolution')).toBeNull();
    expect(metricHours(book.community, 'next_response')).toBeNull();
  });
  it('reads all three metrics and the priority factors from the plan', () => {
    const parsed = planCatalogSchema.parse(
      withPlan({ nextResponseHours: 4, resolutionHours: 40, priorityFactors: { p1: 0.25, p2: 0.5 } }),
    );
    const plan = new PlanBook(parsed).get('enterprise')!;
    expect(metricHours(plan, 'next_response')).toBe(4);
    expect(targetMs(plan, 'first_response', 'p1')).toBe(2 * HOUR_MS);
    expect(targetMs(plan, 'resolution', 'p2')).toBe(20 * HOUR_MS);
    expect(targetMs(plan, 'next_response', 'p3')).toBe(4 * HOUR_MS);
    expect(priorityFactor(plan, 'p3')).toBe(1);
    // null switches a metric off even where a default would apply
    const off = new PlanBook(planCatalogSchema.parse(withPlan({ nextResponseHours: null }))).get(
      'enterprise',
    )!;
    expect(targetMs(off, 'next_response', 'p1')).toBeUndefined();
  });
  it('refuses a negative target, naming the key', () => {
    expect(messages(withPlan({ nextResponseHours: -2 }))).toEqual([
      'plans.3.nextResponseHours: expected a positive number of hours, or null for no target',
    ]);
  });
  it('refuses an unknown metric, naming it and the known ones', () => {
    expect(messages(withPlan({ updateHours: 4 }))).toEqual([
      'plans.3: unknown SLA metric "updateHours"; expected firstResponseHours, nextResponseHours, resolutionHours',
    ]);
  });
  it('refuses a factor outside (0, 1] and an unknown priority', () => {
    expect(messages(withPlan({ priorityFactors: { p1: 0 } }))[0]).toMatch(
      /^plans\.3\.priorityFactors\.p1: expected a factor/,
    );
    expect(messages(withPlan({ priorityFactors: { p1: 1.5 } }))[0]).toMatch(
      /^plans\.3\.priorityFactors\.p1: /,
    );
    expect(messages(withPlan({ priorityFactors: { p9: 0.5 } }))).toEqual([
      'plans.3.priorityFactors: unknown priority; expected p1, p2, p3',
    ]);
  });
  it('keeps promises off the free community plan', () => {
    const bad = {
      ...catalog,
      plans: catalog.plans.map((p, i) => (i === 0 ? { ...p, resolutionHours: 10 } : p)),
    };
    expect(messages(bad)[0]).toMatch(/^plans\.0: the first plan must be the free community plan/);
  });
});
