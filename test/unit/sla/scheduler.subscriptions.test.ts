/**
 * Renewal reminders through the scheduler: 7 days and 1 day before the end, once when the
 * grace period starts, and on expiry, to the customer's group and the managers; a renewal
 * cancels what is left; after downtime only the most severe notice goes out.
 */
import { DAY_MS } from '../../../src/core/sla/zone';
import { type SlaDesk, slaDesk } from './sla-desk';

describe('subscription reminders', () => {
  let s: SlaDesk;
  let endsAt: number;
  beforeEach(async () => {
    s = await slaDesk();
    await s.desk.services.directory.extendSubscription('globex', 6); // globex ends later: only acme here
    endsAt = (await s.store.listSubscriptions('acme'))[0]!.endsAt; // 2027-11-23 10:00 +08:00, grace 7 days
  });
  afterEach(() => s.close());

  const to = async (at: number) => s.advance(at - s.clock.now());

  it('reminds 7 days and 1 day before, at the grace start and on expiry, each once', async () => {
    expect(await to(endsAt - 8 * DAY_MS)).toEqual([]);
    expect(await to(endsAt - 7 * DAY_MS)).toEqual([
      '[acme] Your Basic support plan ends on 2027-11-23 (in 7 days). Please contact your account manager to renew it.',
      '[managers] ACME Corp: the Basic plan ends on 2027-11-23 (in 7 days).',
    ]);
    expect(await to(endsAt - 2 * DAY_MS)).toEqual([]);
    expect(await to(endsAt - DAY_MS)).toEqual([
      '[acme] Your Basic support plan ends on 2027-11-23 (in 1 day). Please contact your account manager to renew it.',
      '[managers] ACME Corp: the Basic plan ends on 2027-11-23 (in 1 day).',
    ]);
    expect(await to(endsAt)).toEqual([
      '[acme] Your Basic support plan ended on 2027-11-23. Support continues during a grace period until 2027-11-30; please renew to keep it.',
      '[managers] ACME Corp: the Basic plan ended on 2027-11-23; grace period until 2027-11-30.',
    ]);
    expect(await to(endsAt + 3 * DAY_MS)).toEqual([]);
    expect(await to(endsAt + 7 * DAY_MS)).toEqual([
      '[acme] Your Basic support plan has expired. New questions go to the community channels: issues https://github.com/your-org/your-framework/issues, docs https://your-framework.example.org/docs. Please contact your account manager to renew.',
      '[managers] ACME Corp: the Basic plan has expired; the customer is on community support now.',
    ]);
    expect(await to(endsAt + 30 * DAY_MS)).toEqual([]);
  });

  it('a renewal cancels the reminders left for the old end date', async () => {
    await to(endsAt - 7 * DAY_MS);
    await s.desk.services.directory.extendSubscription('acme', 12);
    expect(await to(endsAt + 8 * DAY_MS)).toEqual([]);
  });

  it('after downtime only the most severe notice goes out', async () => {
    await to(endsAt - 8 * DAY_MS);
    expect(await to(endsAt + 2 * DAY_MS)).toEqual([
      expect.stringMatching(/^\[acme\] Your Basic support plan ended on 2027-11-23\. Support continues/),
      expect.stringMatching(/^\[managers\] ACME Corp: the Basic plan ended/),
    ]);
  });
});
