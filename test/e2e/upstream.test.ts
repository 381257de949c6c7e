/**
 * From a ticket to an upstream issue: the draft (nothing confidential), creating and linking
 * it in the default or a named repository, linking an existing one to tickets of two
 * customers, the history showing the links, and a tracker that is down or rate-limiting
 * (the engineer told plainly, nothing recorded). Real octokit against the fake GitHub API.
 */
import { GithubPeer } from '../fakes/github-peer';
import { type Playground, playground } from './harness';

const TOKEN = `ghp_${'Q7w8E9r0T1'.repeat(4)}`;
let peer: GithubPeer;
let pg: Playground;

async function start(locale: 'en' | 'zh-CN' = 'en', repo = 'acme-oss/framework'): Promise<void> {
  peer = await new GithubPeer(TOKEN).start();
  peer.addRepo('acme-oss/framework');
  peer.addRepo('acme-oss/docs').issues.push({ number: 7, title: 'Typo in guide', body: '', state: 'open' });
  pg = await playground({
    locale,
    env: { GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_API_URL: peer.url, GROUPDESK_GITHUB_REPO: repo },
  });
  await pg.play(`
    @bot ACME Corp: export to PDF crops the last page, write to ops@acme.example
    :as erin
    :in globex
    @bot export to PDF crops the last page for us too
  `);
}
afterEach(async () => {
  await pg.close();
  await peer.stop();
});

it('drafts without the customer, creates, links and shows the links in the history', async () => {
  await start();
  const out = await pg.play(`
    :as bob
    :in staff
    /issue #1001 draft
    /issue #1001
    /link #1002 acme-oss/framework#1
    /link #1002 acme-oss/framework#1
    /link #1001 acme-oss/docs#7
    /history #1001
  `);
  expect(out).toContain('[staff] groupdesk: Draft issue for #1001 in acme-oss/framework');
  expect(out).toContain('Title: [customer]: export to PDF crops the last page, write to [email]');
  expect(out).toContain(
    '[staff] groupdesk: Opened acme-oss/framework#1 for #1001 and linked it: https://github.com/acme-oss/framework/issues/1',
  );
  expect(out).toContain('[staff] groupdesk: Linked #1002 to acme-oss/framework#1 (');
  expect(out).toContain('[staff] groupdesk: #1002 is already linked to acme-oss/framework#1.');
  expect(out).toContain('Linked #1001 to acme-oss/docs#7 (Typo in guide)');
  expect(out).toMatch(/bob linked upstream issue acme-oss\/framework#1: .*issues\/1/);
  expect(out).toMatch(/bob linked upstream issue acme-oss\/docs#7: Typo in guide/);
  const created = peer.repos.get('acme-oss/framework')?.issues ?? [];
  expect(created).toHaveLength(1);
  const upstream = `${created[0]?.title}\n${created[0]?.body}`;
  for (const secret of ['ACME', 'acme Corp', 'ops@acme.example', 'globex', 'alice'])
    expect(upstream.toLowerCase()).not.toContain(secret.toLowerCase());
  expect(upstream).toContain('export to PDF crops the last page');
  // Nothing of the upstream work reaches either customer group.
  expect(out).not.toMatch(/\[(acme|globex)\][^\n]*(upstream|github)/i);
  const kinds = async (n: number) => (await pg.store.listEvents(n)).filter((e) => e.kind === 'upstream_link');
  expect((await kinds(1001)).map((e) => e.to)).toEqual(['acme-oss/framework#1', 'acme-oss/docs#7']);
  expect((await kinds(1002)).map((e) => e.to)).toEqual(['acme-oss/framework#1']);
});

it('refuses unknown repositories, issues and bad names; a tracker down or rate-limiting records nothing', async () => {
  await start();
  peer.addRepo('acme-oss/framework');
  const before = (await pg.store.listEvents(1001)).length;
  let out = await pg.play(`
    :as bob
    :in staff
    /issue #1001 acme-oss/nothing
    /issue #1001 not-a-repo
    /link #1001 acme-oss/framework#99
    /link #1001 framework-99
  `);
  expect(out).toContain(
    'The repository acme-oss/nothing was not found (or the token cannot see it). Nothing was recorded.',
  );
  expect(out).toContain('"not-a-repo" is not a repository name: expected owner/repo.');
  expect(out).toContain('acme-oss/framework#99 does not exist (or is a pull request). Nothing was linked.');
  expect(out).toContain(
    '"framework-99" is not an issue: expected owner/repo#123 or gitlab:group/project#12.',
  );
  peer.mode = 'rate_limited';
  peer.retryAfterSeconds = 90;
  out = await pg.play('/issue #1001');
  expect(out).toContain('The issue tracker is rate-limiting us: try again in 90 s. Nothing was recorded.');
  peer.mode = 'down';
  out = await pg.play('/link #1001 acme-oss/docs#7');
  expect(out).toContain(
    'The issue tracker cannot be reached right now. Nothing was recorded; try again later.',
  );
  expect(await pg.store.listEvents(1001)).toHaveLength(before);
  expect(peer.repos.get('acme-oss/framework')?.issues).toHaveLength(0);
});

it('speaks Chinese: aliases and the draft keyword', async () => {
  await start('zh-CN');
  const out = await pg.play(`
    :as bob
    :in staff
    /提交问题 #1001 草稿
    /上游 #1001
    /关联 #1002 acme-oss/framework#1
    /取消关联 #1002 acme-oss/framework#1
    /取消关联 #1002 acme-oss/framework#1
  `);
  expect(out).toContain('已取消 #1002 与 acme-oss/framework#1 的关联：该 issue 之后的动态不再通知此工单。');
  expect(out).toContain('#1002 未关联 acme-oss/framework#1，没有做任何更改。');
  expect(out).toContain('#1001 在 acme-oss/framework 的 issue 草稿');
  expect(out).toContain(
    '已为 #1001 创建并关联 acme-oss/framework#1：https://github.com/acme-oss/framework/issues/1',
  );
  expect(out).toContain('已将 #1002 关联到 acme-oss/framework#1');
});

it('unlinks: the history says so, an unknown link or a bad name is answered, nothing stored', async () => {
  await start();
  let out = await pg.play(`
    :as bob
    :in staff
    /link #1001 acme-oss/docs#7
    /unlink #1001 acme-oss/docs#7
    /unlink #1001 acme-oss/docs#7
    /unlink #1002 acme-oss/docs#7
    /unlink #1001 docs-7
    /history #1001
  `);
  expect(out).toContain(
    '[staff] groupdesk: Unlinked #1001 from acme-oss/docs#7: news of that issue no longer reaches this ticket.',
  );
  expect(out).toContain(
    '[staff] groupdesk: #1001 is not linked to acme-oss/docs#7, so nothing was changed. /history #1001 shows its links.',
  );
  expect(out).toContain('#1002 is not linked to acme-oss/docs#7, so nothing was changed.');
  expect(out).toContain('"docs-7" is not an issue: expected owner/repo#123 or gitlab:group/project#12.');
  expect(out).toMatch(/bob unlinked upstream issue acme-oss\/docs#7/);
  const kinds = async (n: number) =>
    (await pg.store.listEvents(n)).filter((e) => e.kind.startsWith('upstream_')).map((e) => [e.kind, e.to]);
  expect(await kinds(1001)).toEqual([
    ['upstream_link', 'acme-oss/docs#7'],
    ['upstream_unlink', 'acme-oss/docs#7'],
  ]);
  expect(await kinds(1002)).toEqual([]);
  // Linked again after the unlink: not "already linked".
  out = await pg.play('/link #1001 acme-oss/docs#7');
  expect(out).toContain('Linked #1001 to acme-oss/docs#7 (Typo in guide)');
  // A customer cannot unlink.
  out = await pg.play(`
    :as alice
    :in acme
    /unlink #1001 acme-oss/docs#7
  `);
  expect(out).not.toContain('Unlinked');
  expect((await kinds(1001)).at(-1)).toEqual(['upstream_link', 'acme-oss/docs#7']);
});

it('says plainly when no tracker is configured', async () => {
  peer = await new GithubPeer(TOKEN).start();
  pg = await playground();
  await pg.play('@bot export to PDF crops the last page');
  const out = await pg.play(`
    :as bob
    :in staff
    /issue #1001 draft
  `);
  expect(out).toContain(
    'No upstream issue tracker is configured (set GROUPDESK_GITHUB_TOKEN or GROUPDESK_GITLAB_TOKEN).',
  );
});
