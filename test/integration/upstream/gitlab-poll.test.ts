/**
 * Polling GitLab (GROUPDESK_GITLAB_POLL_MINUTES) against the fake GitLab API over real HTTP,
 * driven by the SLA scheduler's ticks: GitLab ignores If-None-Match, so an unchanged issue
 * (same `updated_at`) or release list is read and nothing is done; a change reaches each
 * linked ticket once, an unlinked ticket hears nothing; a 429 stops the round.
 */
import { GitlabPeer } from '../../fakes/gitlab-peer';
import { type World, world } from '../web/world';
import { pollTick } from './poll-tick';

const TOKEN = `glpat-${'P0llG1tLab'.repeat(2)}`;
const PROJECT = 'acme/platform/framework';
const REF = `gitlab:${PROJECT}#12`;
let peer: GitlabPeer;
let w: World;
let project: ReturnType<GitlabPeer['addProject']>;

async function start(env: Record<string, string> = { GROUPDESK_GITLAB_POLL_MINUTES: '5' }): Promise<void> {
  peer = await new GitlabPeer(TOKEN).start();
  project = peer.addProject(PROJECT);
  project.issues.push({
    iid: 12,
    title: 'PDF export crops the last page',
    description: '',
    state: 'opened',
    updated_at: '2026-11-22T00:00:00Z',
  });
  w = await world({ env: { GROUPDESK_GITLAB_TOKEN: TOKEN, GROUPDESK_GITLAB_URL: peer.url, ...env } });
  await w.say('alice', 'acme', '@bot export to PDF crops the last page');
  await w.say('erin', 'globex', '@bot our PDF export loses its last page too');
  await w.say('bob', 'staff', `/link #1001 ${REF}`);
  await w.say('bob', 'staff', `/link #1002 ${REF}`);
}
afterEach(async () => {
  await w.close();
  await peer.stop();
});

const tick = (minutes: number) => pollTick(w, peer, minutes);
const closeIssue = (at: string) =>
  Object.assign(project.issues[0]!, { state: 'closed', closed_at: at, updated_at: at });
const updates = async (n: number) =>
  (await w.desk.services.store.listEvents(n)).filter((e) => e.kind === 'upstream_update').map((e) => e.from);

it('reads linked GitLab issues and releases every N minutes; news reaches each ticket once', async () => {
  await start();
  let round = await tick(1);
  expect(round.gets).toEqual([
    `GET /api/v4/projects/${PROJECT}/issues/12`,
    `GET /api/v4/projects/${PROJECT}/releases`,
  ]);
  expect(round.sent).toEqual([]);
  expect((await tick(2)).gets).toEqual([]); // not yet five minutes

  closeIssue('2026-11-23T03:00:00Z');
  round = await tick(5);
  expect(round.sent.filter((t) => t.startsWith('[acme]') || t.startsWith('[globex]'))).toEqual([
    `[acme] Update on your ticket #1001: the upstream issue ${REF} was closed. https://gitlab.example/${PROJECT}/-/issues/12`,
    `[globex] Update on your ticket #1002: the upstream issue ${REF} was closed. https://gitlab.example/${PROJECT}/-/issues/12`,
  ]);
  project.releases.push({
    tag_name: 'v3.1.0',
    name: 'v3.1.0',
    description: '- keeps the last page of a PDF export (#12)',
    released_at: '2026-11-23T04:00:00Z',
  });
  round = await tick(5);
  expect(round.sent.filter((t) => t.startsWith('[acme]'))).toEqual([
    `[acme] The fix for your ticket #1001 is in v3.1.0: https://gitlab.example/${PROJECT}/-/releases/v3.1.0`,
  ]);
  // Nothing new: both read again (GitLab has no 304 here), nobody told twice.
  round = await tick(5);
  expect(round.gets).toHaveLength(2);
  expect(round.sent).toEqual([]);
  expect(await updates(1002)).toEqual(['closed:2026-11-23T03:00:00Z', 'released:v3.1.0']);
});

it('leaves an unlinked ticket out, and carries on at its next round after a 429', async () => {
  await start();
  await tick(1);
  await w.say('bob', 'staff', `/unlink #1002 ${REF}`);
  peer.mode = 'rate_limited'; // Retry-After: 45 s
  expect((await tick(5)).gets).toHaveLength(1); // the round stops at the refused read
  peer.mode = 'ok';
  closeIssue('2026-11-23T05:00:00Z');
  const round = await tick(5);
  expect(round.sent.filter((t) => t.startsWith('[acme]'))).toHaveLength(1);
  expect(round.sent.filter((t) => t.startsWith('[globex]'))).toEqual([]);
  expect(await updates(1002)).toEqual([]);
});

it('is off by default', async () => {
  await start({});
  expect((await tick(60)).gets).toEqual([]);
});
