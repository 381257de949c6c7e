/**
 * Priority follows the category, and the words only suggest a category: the same request
 * in English and in Chinese opens a ticket with the same category and the same priority.
 * Every request goes through the real console adapter, router and SQLite store.
 */
import type { Category, Priority } from '../../src/core/model';
import { type Playground, playground } from './harness';

/** [English, Chinese, category, priority] on Globex (Enterprise: covers performance, priority response). */
const PAIRS: ReadonlyArray<readonly [string, string, Category, Priority]> = [
  [
    '/ticket performance the API got slow after the upgrade',
    '/提问 性能 升级后接口变慢了',
    'performance',
    'p1',
  ],
  ['/ticket the dashboard is slow with 10k rows', '/提问 一万行数据时看板很慢', 'performance', 'p1'],
  ['/ticket latency doubled since Monday', '/提问 从周一开始延迟翻倍', 'performance', 'p1'],
  ['/ticket the worker runs out of memory', '/提问 工作进程内存不足', 'performance', 'p1'],
  ['/ticket CPU at 100% on every node', '/提问 每个节点的 CPU 都是 100%，性能很差', 'performance', 'p1'],
  ['/ticket pages stutter when scrolling, performance is poor', '/提问 滚动时页面卡顿', 'performance', 'p1'],
  ['/ticket security the admin panel needs an audit', '/提问 安全 管理后台需要审计', 'security', 'p1'],
  ['/ticket we found a vulnerability in the login form', '/提问 登录表单发现一个漏洞', 'security', 'p1'],
  [
    '/ticket CVE-2026-1234 affects our version',
    '/提问 CVE-2026-1234 影响我们的版本，有安全风险',
    'security',
    'p1',
  ],
  ['/ticket is the search box open to SQL injection?', '/提问 搜索框是否存在 SQL 注入？', 'security', 'p1'],
  ['/ticket session tokens leak into the logs', '/提问 会话令牌泄露到了日志里', 'security', 'p1'],
  [
    '/ticket someone is attacking us with an exploit of the upload API',
    '/提问 有人利用上传接口攻击我们',
    'security',
    'p1',
  ],
  ['/ticket how do I configure logging?', '/提问 如何配置日志？', 'consultation', 'p2'],
  ['/ticket where is the config file for plugins?', '/提问 插件的配置文件在哪里？', 'consultation', 'p2'],
  ['/ticket diagnosis the build fails on Node 20', '/提问 诊断 Node 20 下构建失败', 'diagnosis', 'p2'],
  ['/ticket upgrade moving from 2.x to 3.0', '/提问 升级 从 2.x 迁移到 3.0', 'upgrade', 'p2'],
  [
    '/ticket remote please look at our cluster',
    '/提问 远程 请帮忙看一下我们的集群',
    'remote_assistance',
    'p2',
  ],
  [
    '/ticket custom an exporter for our format',
    '/提问 定制 为我们的格式开发导出器',
    'custom_development',
    'p2',
  ],
  [
    '/ticket consultation which database do you recommend?',
    '/提问 咨询 推荐用哪个数据库？',
    'consultation',
    'p2',
  ],
  ['/ask the installer hangs on Windows', '/工单 安装程序在 Windows 上卡住', 'consultation', 'p2'],
];

async function opened(pg: Playground, request: string): Promise<[Category, Priority] | string> {
  const out = await pg.play(request);
  const number = /#(\d{4})/.exec(out)?.[1];
  const ticket = number === undefined ? undefined : await pg.store.getTicket(Number(number));
  return ticket ? [ticket.category, ticket.priority] : out;
}

describe('priority from the category, in both languages', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await playground({ locale: 'en' });
    await pg.play(':as erin\n:in globex');
  });
  afterAll(() => pg.close());

  it('has at least 20 pairs', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(PAIRS)('%p and %p open with the same category and priority', async (en, zh, category, priority) => {
    expect(await opened(pg, en)).toEqual([category, priority]);
    expect(await opened(pg, zh)).toEqual([category, priority]);
  });
});

describe('a suggestion never refuses, and priority response needs the category', () => {
  let pg: Playground;
  beforeAll(async () => {
    pg = await playground({ locale: 'en' }); // alice, acme: Basic covers security, not performance
  });
  afterAll(() => pg.close());

  it('a security report is P1 on Basic in both languages', async () => {
    expect(await opened(pg, '/ticket XSS in the comment widget')).toEqual(['security', 'p1']);
    expect(await opened(pg, '/提问 评论组件有 XSS 漏洞')).toEqual(['security', 'p1']);
  });
  it('slowness on a plan without performance optimisation opens a consultation at P2 in both languages', async () => {
    expect(await opened(pg, '/ticket the build got slow')).toEqual(['consultation', 'p2']);
    expect(await opened(pg, '/提问 构建变慢了')).toEqual(['consultation', 'p2']);
  });
  it('asking for performance by name on Basic is refused the same way in both languages', async () => {
    const en = await pg.play('/ticket performance the API is slow');
    const zh = await pg.play('/提问 性能 接口很慢');
    expect(en).toContain('does not include performance optimisation');
    expect(zh).toContain('does not include performance optimisation');
  });
});
