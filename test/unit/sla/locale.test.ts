/**
 * Reminders, digests and renewal notices in each recipient's language: a channel reads its
 * own, a person by direct message their own, everyone else the deployment's (here `en`).
 */
import { DAY_MS } from '../../../src/core/sla/zone';
import { HOUR, MIN, type SlaDesk, slaDesk } from './sla-desk';

describe('SLA wording per recipient language', () => {
  let s: SlaDesk;
  afterEach(() => s.close());

  /** Sets a stored group's or person's language, as `/lang` and the CLI do. */
  const groupIn = async (chatId: string, locale: 'en' | 'zh-CN') => {
    const g = (await s.store.getGroup('console', chatId))!;
    await s.store.putGroup({ ...g, locale });
  };
  const personIn = async (userId: string, locale: 'en' | 'zh-CN') => {
    const p = (await s.store.findPersonByIdentity('console', userId))!;
    await s.store.putPerson({ ...p, locale });
  };

  it('SlaMessages.in words the same reminder per locale and builds each locale once', () => {
    return (async () => {
      s = await slaDesk();
      const m = s.desk.sla.messages;
      expect(m.locale).toBe('en');
      const zh = m.in('zh-CN');
      expect(zh.locale).toBe('zh-CN');
      expect(m.in('zh-CN')).toBe(zh);
      expect(zh.in('en')).toBe(m);
      expect(m.planName('basic')).toBe('Basic');
      expect(zh.planName('basic')).toBe('基础版');
      expect(zh.t('button.claim')).toBe('认领');
    })();
  });

  it('a staff channel in Chinese gets the 50 % reminder in Chinese; managers stay in English', async () => {
    s = await slaDesk();
    await groupIn('staff', 'zh-CN');
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    const half = await s.advance(12 * HOUR);
    expect(half).toHaveLength(1);
    expect(half[0]).toMatch(
      /^\[staff\] 提醒：#1001 · ACME Corp · 基础版 ·“export to PDF crops the last page”已用去首次响应时限的 50%/,
    );
    expect(s.messenger.sent.at(-1)?.buttons).toEqual([{ label: '认领', command: '/认领 #1001' }]);
    await s.advance(7 * HOUR + 12 * MIN); // 80 %
    const breach = await s.advance(4 * HOUR + 48 * MIN + MIN);
    expect(breach).toEqual([
      expect.stringMatching(/^\[managers\] SLA breach: #1001 · ACME Corp · Basic/),
      expect.stringMatching(/^\[dm:carol\] SLA breach: #1001/),
    ]);
  });

  it('a manager who chose Chinese gets the breach by direct message in Chinese, the channel in English', async () => {
    s = await slaDesk();
    await personIn('carol', 'zh-CN');
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    await s.advance(12 * HOUR);
    await s.advance(7 * HOUR + 12 * MIN);
    expect(await s.advance(4 * HOUR + 49 * MIN)).toEqual([
      expect.stringMatching(/^\[managers\] SLA breach: #1001 · ACME Corp · Basic/),
      expect.stringMatching(/^\[dm:carol\] SLA 超时：#1001 · ACME Corp · 基础版 ·“export/),
    ]);
  });

  it('words the daily digest once per language of the manager channels and managers', async () => {
    s = await slaDesk({ digest: true });
    await personIn('carol', 'zh-CN');
    await s.desk.services.store.putGroup({
      platform: 'console',
      chatId: 'managers-cn',
      kind: 'manager',
      locale: 'zh-CN',
      autoMode: false,
      boundAt: s.clock.now(),
    });
    await s.say('alice', 'acme', '@bot export to PDF crops the last page');
    const lines = await s.advance(23 * HOUR + 30 * MIN); // Tuesday 09:30: at risk, not breached
    const digests = lines.filter((l) => l.includes('2026-11-24'));
    expect(digests).toEqual([
      expect.stringMatching(/^\[managers\] Daily SLA digest, 2026-11-24:\nFirst response:\n {2}At risk/),
      expect.stringMatching(/^\[managers-cn\] 每日 SLA 摘要，2026-11-24：/),
    ]);
  });

  it('a renewal notice reaches the customer group in its language and the managers in theirs', async () => {
    s = await slaDesk();
    await s.desk.services.directory.extendSubscription('globex', 6);
    await groupIn('acme', 'zh-CN');
    const endsAt = (await s.store.listSubscriptions('acme'))[0]!.endsAt;
    expect(await s.advance(endsAt - 7 * DAY_MS - s.clock.now())).toEqual([
      '[acme] 贵公司的基础版支持服务将于 2027-11-23 到期（还有 7 天）。请联系客户经理续费。',
      '[managers] ACME Corp: the Basic plan ends on 2027-11-23 (in 7 days).',
    ]);
  });
});
