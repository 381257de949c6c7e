/** The console speaks each person's language: theirs if they chose one (/lang), else the deployment's. */
import { type World, world } from './world';

describe('the web console’s languages', () => {
  let w: World;
  beforeEach(async () => {
    w = await world({ locale: 'zh-CN' });
  });
  afterEach(() => w.close());

  it('zh-CN by default, English for someone who chose it', async () => {
    const [reply] = await w.say('bob', 'dm', '/网页');
    expect(reply?.text).toMatch(
      /^您的 GroupDesk 网页控制台登录链接（10 分钟内有效，仅限本人使用一次）：http/,
    );
    const bob = await w.signIn('bob');
    const zh = await w.app.inject({ method: 'GET', url: '/', headers: { cookie: bob } });
    expect(zh.body).toContain('<html lang="zh-CN">');
    expect(zh.body).toContain('<h1 data-live="queue">队列</h1>');
    expect(zh.body).toContain('已登录：bob');
    await w.say('carol', 'dm', '/语言 en');
    const carol = await w.signIn('carol');
    const en = await w.app.inject({ method: 'GET', url: '/', headers: { cookie: carol } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Signed in as carol');
  });
});
