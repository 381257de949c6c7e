import { playground } from './harness';

/** Addressed messages with no words in them, and thank-yous that must stay silent. */
describe('emoji-only and invisible requests', () => {
  it('asks what the problem is and opens nothing for emoji alone or invisible characters', async () => {
    const pg = await playground();
    const out = await pg.play(`
      @bot 🔥🔥🔥💥
      @bot \u200B\u200C\u200D\uFEFF\u2060
      @bot \u202E\u2066 \u200B
      /ticket 💥💥
    `);
    const asks =
      out.match(/\[acme\] groupdesk: @alice .*(What is the problem|what you need help with)/g) ?? [];
    expect(asks).toHaveLength(4);
    expect(out).toContain('@alice That message has only emoji or symbols in it. What is the problem?');
    expect(await pg.store.getTicket(1001)).toBeUndefined();
    await pg.close();
  });

  it('in Chinese too', async () => {
    const pg = await playground({ locale: 'zh-CN' });
    const out = await pg.play('@bot 🔥🔥🔥💥');
    expect(out).toContain('这条消息里只有表情或符号');
    expect(await pg.store.getTicket(1001)).toBeUndefined();
    await pg.close();
  });

  it('still takes a real thank-you as one: no answer, no ticket, nothing filed', async () => {
    const pg = await playground();
    await pg.play(`
      @bot the export job hangs after the upgrade
      :as bob
      :in staff
      /reply #1001 fixed in 2.4.1
      :as alice
      :in acme
      :clock +1m
    `);
    const out = await pg.play(`
      👍
      @bot thanks 🙏
      谢谢
      @bot 👍👍🏽
    `);
    expect(out).toBe('');
    expect(await pg.store.getTicket(1002)).toBeUndefined();
    const filed = (await pg.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
    expect(filed.map((e) => e.text)).toEqual(['the export job hangs after the upgrade']);
    await pg.close();
  });
});
