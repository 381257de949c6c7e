/**
 * Dead ends per role (issue 21): what each side is told after /unclaim, /assign of an
 * unknown name, and /close by staff or by the customer. Transcripts in en and zh-CN.
 */
import { type Playground, playground } from './harness';

const lines = (out: string, prefix: string) => out.split('\n').filter((l) => l.startsWith(prefix));

describe.each(['en', 'zh-CN'] as const)('dead ends (%s)', (locale) => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale });
  });
  afterEach(() => pg.close());
  const en = locale === 'en';

  it('history after /unclaim says who it is no longer assigned to', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :as bob
      :in staff
      /claim #1001
      /unclaim #1001
      /history #1001
    `);
    expect(out).toContain(en ? 'bob: no longer assigned to bob' : 'bob：取消指派 bob');
    expect(out).not.toMatch(/assigned to not yet assigned|指派给 尚未指派/);
  });

  it('/assign of an unknown name lists the registered staff', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :as carol
      :in staff
      /assign #1001 @nobody
    `);
    expect(lines(out, '[staff]').at(-1)).toBe(
      en
        ? '[staff] groupdesk: nobody is not registered with GroupDesk. Registered staff: bob, carol. A manager can add them with /staff add @nobody engineer.'
        : '[staff] groupdesk: nobody 尚未在 GroupDesk 登记。已登记的员工：bob、carol。经理可以用 /员工 添加 @nobody 工程师 登记。',
    );
  });

  it('staff closing is confirmed without thanks; a customer closing tells the staff and the assignee', async () => {
    const out = await pg.play(`
      @bot the build fails on Node 20
      :clock +3m
      @bot export to PDF crops the last page
      :as bob
      :in staff
      /claim #1002
      /close #1001
      :as alice
      :in acme
      /close #1002
    `);
    expect(lines(out, '[staff]')).toContain(
      en ? '[staff] groupdesk: Closed #1001.' : '[staff] groupdesk: 已关闭 #1001。',
    );
    expect(out).not.toMatch(/\[staff\] groupdesk: .*(Thank you|谢谢)/);
    const told = en
      ? '#1002 (ACME Corp) was closed by the customer (alice).'
      : '#1002（ACME Corp）已由客户 alice 关闭。';
    expect(lines(out, '[staff]').at(-1)).toBe(`[staff] groupdesk: ${told}`);
    expect(lines(out, '[dm:bob]').at(-1)).toBe(`[dm:bob] groupdesk: ${told}`);
  });
});

describe.each(['en', 'zh-CN'] as const)('a community user asks for help (%s)', (locale) => {
  it('/help lists the free channels and every plan with what it covers', async () => {
    const pg = await playground({ locale });
    try {
      const out = await pg.play(':as dave\n:in community\n/help');
      const en = locale === 'en';
      expect(out).toContain(
        en ? 'Free help: the issue tracker https://github.com/' : '免费渠道：在 https://github.com/',
      );
      for (const plan of pg.desk.services.plans.catalog.plans.filter((p) => p.firstResponseHours !== null)) {
        expect(out).toContain(
          en
            ? `• ${plan.name.en}: first response within ${plan.firstResponseHours} h; `
            : `• ${plan.name['zh-CN']}：${plan.firstResponseHours} 小时内首次响应；`,
        );
      }
    } finally {
      await pg.close();
    }
  });
});

describe.each(['en', 'zh-CN'] as const)('a subscriber in another customer’s group (%s)', (locale) => {
  it('is told they belong to another customer, not that they have no plan', async () => {
    const pg = await playground({ locale });
    try {
      const out = await pg.play(':as erin\n:in acme\n/status');
      expect(out).toBe(
        locale === 'en'
          ? "[acme] groupdesk: @erin Sorry, you are registered with another customer, so /status does not work for you in this group. Use it in your own company's group, or send it to me by direct message.\n"
          : '[acme] groupdesk: @erin 抱歉，您登记在其他客户名下，/status 在本群对您不可用。请在贵公司自己的群里使用，或私聊我。\n',
      );
    } finally {
      await pg.close();
    }
  });
});

describe.each(['en', 'zh-CN'] as const)('training bookings (%s)', (locale) => {
  it('each booking says how many sessions are left and until when; the last one is refused politely', async () => {
    const pg = await playground({ locale });
    try {
      const out = await pg.play(
        ':as erin\n:in globex\n/training onboarding\n/training CI pipelines\n/training profiling',
      );
      const end = pg.desk.services.format.date(
        (await pg.desk.services.directory.effectivePlan('globex')).subscription!.endsAt,
      );
      const said = out.split('\n').filter((l) => l.startsWith('[globex]') && !/#100\d/.test(l));
      expect(said).toEqual(
        locale === 'en'
          ? [
              `[globex] groupdesk: @erin 1 of 2 training sessions is left in this subscription period (until ${end}).`,
              `[globex] groupdesk: @erin 0 of 2 training sessions are left in this subscription period (until ${end}).`,
              '[globex] groupdesk: @erin All 2 training sessions of this subscription period are already booked.',
            ]
          : [
              `[globex] groupdesk: @erin 本订阅期（至 ${end}）还剩 1 次培训，共 2 次。`,
              `[globex] groupdesk: @erin 本订阅期（至 ${end}）还剩 0 次培训，共 2 次。`,
              '[globex] groupdesk: @erin 本订阅期的 2 次培训已全部预约。',
            ],
      );
    } finally {
      await pg.close();
    }
  });
});

describe.each(['en', 'zh-CN'] as const)('cancelling a training booking (%s)', (locale) => {
  it('gives the session back once, tells staff, and refuses what is not a booking of theirs', async () => {
    const pg = await playground({ locale });
    const en = locale === 'en';
    try {
      const cancel = en ? '/training cancel' : '/培训 取消';
      const out = await pg.play(
        [
          ':as erin',
          ':in globex',
          '/training onboarding',
          '/training CI pipelines',
          `${cancel} #1001`,
          `${cancel} #1001`,
          '/training profiling',
          '@bot the build is slow',
          `${cancel} #1004`,
          ':as alice',
          ':in acme',
          '@bot the upgrade fails',
          ':as erin',
          ':in globex',
          `${cancel} #1005`,
          `${cancel} #9999`,
        ].join('\n'),
      );
      const end = pg.desk.services.format.date(
        (await pg.desk.services.directory.effectivePlan('globex')).subscription!.endsAt,
      );
      const said = (where: string) => out.split('\n').filter((l) => l.startsWith(`[${where}] groupdesk: @`));
      expect(said('globex').slice(4, 10)).toEqual(
        en
          ? [
              `[globex] groupdesk: @erin Training booking #1001 is cancelled: 1 of 2 training sessions is left in this subscription period (until ${end}).`,
              '[globex] groupdesk: @erin Training booking #1001 is already closed, so it can no longer be cancelled.',
              expect.stringMatching(/^\[globex\] groupdesk: @erin .*#1003/),
              `[globex] groupdesk: @erin 0 of 2 training sessions are left in this subscription period (until ${end}).`,
              expect.stringMatching(/^\[globex\] groupdesk: @erin .*#1004/),
              '[globex] groupdesk: @erin #1004 is not a training booking; /close #1004 closes it.',
            ]
          : [
              `[globex] groupdesk: @erin 培训预约 #1001 已取消：本订阅期（至 ${end}）还剩 1 次培训，共 2 次。`,
              '[globex] groupdesk: @erin 培训预约 #1001 已结束（已关闭），无法再取消。',
              expect.stringMatching(/^\[globex\] groupdesk: @erin .*#1003/),
              `[globex] groupdesk: @erin 本订阅期（至 ${end}）还剩 0 次培训，共 2 次。`,
              expect.stringMatching(/^\[globex\] groupdesk: @erin .*#1004/),
              '[globex] groupdesk: @erin #1004 不是培训预约；要关闭它请发送 /关闭 #1004。',
            ],
      );
      expect(out).toContain(
        en
          ? '[staff] groupdesk: Training booking #1001 (Globex) was cancelled by the customer (erin).'
          : '[staff] groupdesk: 培训预约 #1001（Globex）已由客户 erin 取消。',
      );
      // Another customer's booking answers exactly like a missing ticket.
      const [foreign, missing] = said('globex').slice(-2);
      expect(missing).toMatch(/#9999/);
      expect(foreign?.replace('#1005', '#N')).toBe(missing?.replace('#9999', '#N'));
      expect((await pg.desk.services.directory.effectivePlan('globex')).subscription!.trainingUsed).toBe(2);
      expect((await pg.store.getTicket(1005))?.status).toBe('open');
    } finally {
      await pg.close();
    }
  });
});

describe('a second subscription beside a running one', () => {
  it('is refused with the two commands that do what was meant; nothing is stored', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const before = await pg.store.listSubscriptions('globex');
      const out = await pg.play(':as carol\n:in managers\n/sub add globex basic');
      expect(out).toMatch(
        /^\[managers\] groupdesk: globex already has the Enterprise plan until \d{4}-\d\d-\d\d\. To change the plan send \/sub plan globex <plan>; to renew, \/sub extend globex <months>\.\n$/,
      );
      expect(await pg.store.listSubscriptions('globex')).toEqual(before);
    } finally {
      await pg.close();
    }
  });
});

describe('a breach while nobody held the ticket', () => {
  it('is charged to "not yet assigned", not to the engineer who claimed it later', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const out = await pg.play(`
        @bot the build fails on Node 20
        :clock +2d
        :as bob
        :in staff
        /claim #1001
        /reply #1001 try --legacy-peer-deps
        :as carol
        :in managers
        /report 7
      `);
      const breaches = out.slice(out.indexOf('Breaches per engineer'));
      expect(breaches.split('\n').slice(0, 2)).toEqual(['Breaches per engineer:', '    not yet assigned: 1']);
      expect((await pg.store.getTicket(1001))?.assigneeId).toBeDefined();
    } finally {
      await pg.close();
    }
  });
});

describe.each(['en', 'zh-CN'] as const)('a manager creates a customer from chat (%s)', (locale) => {
  it('adds it, names the next steps, refuses a taken or reserved id and non-managers', async () => {
    const pg = await playground({ locale });
    try {
      const en = locale === 'en';
      const out = await pg.play(
        en
          ? ':as carol\n:in staff\n/customer add initech Initech Ltd\n/customer add initech\n/customer add staff\n:as bob\n/customer add hooli'
          : ':as carol\n:in staff\n/客户 添加 initech Initech Ltd\n/客户 添加 initech\n/客户 添加 staff\n:as bob\n/客户 添加 hooli',
      );
      expect(await pg.store.getCustomer('initech')).toMatchObject({ id: 'initech', name: 'Initech Ltd' });
      expect(await pg.store.getCustomer('hooli')).toBeUndefined();
      const said = out.trimEnd().split('\n');
      expect(said[0]).toBe(
        en
          ? '[staff] groupdesk: Customer initech (Initech Ltd) added. Next: /sub add initech <plan> [months], then /bind initech in its group.'
          : '[staff] groupdesk: 已新建客户 initech（Initech Ltd）。下一步：/订阅 添加 initech 套餐名 [月数]，然后在客户群里发送 /绑定 initech。',
      );
      expect(said.slice(1)).toEqual(
        en
          ? [
              '[staff] groupdesk: Customer initech already exists.',
              '[staff] groupdesk: "staff" can\'t be a customer id: use lowercase letters, digits, - or _ (not staff/managers/community).',
              '[staff] groupdesk: Sorry, /customer is for support managers only.',
            ]
          : [
              '[staff] groupdesk: 客户 initech 已存在。',
              expect.stringContaining('staff'),
              expect.stringMatching(/^\[staff\] groupdesk: .*\/客户.*经理/),
            ],
      );
    } finally {
      await pg.close();
    }
  });
});

describe('a community user asks for /plan', () => {
  it('gets the plans in the community group and by direct message, not a refusal', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const out = await pg.play(':as dave\n:in community\n/plan\n:in dm\n/plan');
      expect(out).not.toMatch(/Sorry|subscribers of a support plan only/);
      expect(
        out.match(/Support plans \(a dedicated group, tracked tickets, guaranteed first response\):/g),
      ).toHaveLength(2);
      expect(out).toMatch(/^\[community\] groupdesk: Free help:/m);
      expect(out).toMatch(/^\[dm:dave\] groupdesk: Free help:/m);
    } finally {
      await pg.close();
    }
  });
});

describe('a community user chooses a language', () => {
  it('/lang keeps it for them as a visitor, everywhere, and when they join a customer', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const out = await pg.play(`
        :as dave
        :in community
        /lang zh
        /help
        :in dm
        /plan
        :in acme
        @bot the build fails on Node 20
      `);
      expect(out).not.toMatch(/Sorry|only/);
      expect(out).toContain('[community] groupdesk: 好的：今后无论在哪里，我都会用简体中文回复您。');
      expect(out).toMatch(/^\[community\] groupdesk: 您在这里可以使用的命令：\n(.*\n)*?\s+免费渠道：/m);
      expect(out).toMatch(/^\[dm:dave\] groupdesk: 免费渠道：/m);
      expect(out).toMatch(/^\[acme\] groupdesk: @dave 已创建工单 #1001/m);
      const dave = (await pg.store.listPeople({})).find((p) => p.name === 'dave');
      expect(dave).toMatchObject({ role: 'subscriber', customerId: 'acme', locale: 'zh-CN' });
    } finally {
      await pg.close();
    }
  });

  it('a visitor stays unknown to every rule: no staff command, no ticket outside a customer group', async () => {
    const pg = await playground({ locale: 'en' });
    try {
      const out = await pg.play(`
        :as dave
        :in dm
        /lang en
        /lang reset
        /queue
        :as carol
        :in staff
        /assign #1001 @dave
      `);
      expect(out.trim().split('\n')).toEqual([
        '[dm:dave] groupdesk: Done: I will answer you in English from now on, wherever you write.',
        "[dm:dave] groupdesk: Done: your own choice is removed. Here I answer you in English (the default); in other groups, in each group's language.",
        '[dm:dave] groupdesk: Sorry, /queue is for support engineers only.',
        '[staff] groupdesk: dave is not a support engineer.',
      ]);
    } finally {
      await pg.close();
    }
  });
});
