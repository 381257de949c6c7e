/**
 * GitLab through the same port (issue 16): `/link #N gitlab:group/project#12` checked
 * against the fake GitLab API over real HTTP (fetch), and POST /hooks/gitlab with its
 * X-Gitlab-Token driving the same once-per-ticket news as GitHub's webhook.
 */
import { GitlabPeer } from '../../fakes/gitlab-peer';
import { type World, world } from '../web/world';

const TOKEN = `glpat-${'G1tLabT0ken'.repeat(2)}`;
const HOOK_TOKEN = 'gitlab-hook-token-0123456789';
const PROJECT = 'acme/platform/framework';
const REF = `gitlab:${PROJECT}#12`;
let peer: GitlabPeer;
let w: World;

beforeEach(async () => {
  peer = await new GitlabPeer(TOKEN).start();
  peer
    .addProject(PROJECT)
    .issues.push({ iid: 12, title: 'PDF export crops the last page', description: '', state: 'opened' });
  w = await world({
    env: {
      GROUPDESK_GITLAB_TOKEN: TOKEN,
      GROUPDESK_GITLAB_URL: peer.url,
      GROUPDESK_GITLAB_WEBHOOK_TOKEN: HOOK_TOKEN,
    },
  });
  await w.say('alice', 'acme', '@bot export to PDF crops the last page');
  await w.say('erin', 'globex', '@bot our PDF export loses its last page too');
});
afterEach(async () => {
  await w.close();
  await peer.stop();
});

const staff = async (text: string) => (await w.say('bob', 'staff', text)).map((m) => m.text).join('\n');

async function hook(event: string, payload: unknown, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${w.url}/hooks/gitlab`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gitlab-event': event, ...headers },
    body: JSON.stringify(payload),
  });
  await res.arrayBuffer();
  return res.status;
}
const closed = {
  object_kind: 'issue',
  object_attributes: {
    iid: 12,
    action: 'close',
    url: `https://gitlab.example/${PROJECT}/-/issues/12`,
    closed_at: '2026-11-23 03:00:00 UTC',
  },
  project: { path_with_namespace: PROJECT },
};

it('links a GitLab issue after checking it exists; unknown ones and GitHub names without a token are refused', async () => {
  expect(await staff(`/link #1001 ${REF}`)).toBe(
    `Linked #1001 to ${REF} (PDF export crops the last page): https://gitlab.example/${PROJECT}/-/issues/12`,
  );
  expect(peer.seen.at(-1)).toMatchObject({
    url: `/api/v4/projects/${encodeURIComponent(PROJECT)}/issues/12`,
    token: TOKEN,
  });
  expect(await staff(`/link #1001 gitlab:${PROJECT}#99`)).toContain(`gitlab:${PROJECT}#99 does not exist`);
  expect(await staff('/link #1001 acme-oss/framework#1')).toBe(
    'No issue tracker is configured for acme-oss/framework (GitLab: set GROUPDESK_GITLAB_TOKEN; GitHub: GROUPDESK_GITHUB_TOKEN). Nothing was recorded.',
  );
  peer.mode = 'rate_limited';
  expect(await staff(`/link #1002 ${REF}`)).toContain('45');
  const links = (await w.desk.services.store.listEvents(1002)).filter((e) => e.kind === 'upstream_link');
  expect(links).toEqual([]);
});

it('takes a delivery with the right X-Gitlab-Token once, and tells each linked ticket in its own group', async () => {
  await staff(`/link #1001 ${REF}`);
  await staff(`/link #1002 ${REF}`);
  const before = w.sent.length;
  expect(await hook('Issue Hook', closed, { 'x-gitlab-event-uuid': 'g-1' })).toBe(401);
  expect(
    await hook('Issue Hook', closed, {
      'x-gitlab-token': 'gitlab-hook-token-01234567890',
      'x-gitlab-event-uuid': 'g-1',
    }),
  ).toBe(401);
  expect(await hook('Issue Hook', closed, { 'x-gitlab-token': HOOK_TOKEN })).toBe(400); // no delivery id
  expect(
    await hook('Issue Hook', closed, { 'x-gitlab-token': HOOK_TOKEN, 'x-gitlab-event-uuid': 'g-1' }),
  ).toBe(202);
  expect(
    await hook('Issue Hook', closed, { 'x-gitlab-token': HOOK_TOKEN, 'x-gitlab-event-uuid': 'g-1' }),
  ).toBe(409);
  expect(await hook('Issue Hook', closed, { 'x-gitlab-token': HOOK_TOKEN, 'idempotency-key': 'g-2' })).toBe(
    204,
  );
  const got = w.sent.slice(before).map((m) => `[${m.chatId}] ${m.text}`);
  expect(got.filter((t) => !t.startsWith('[staff]'))).toEqual([
    `[acme] Update on your ticket #1001: the upstream issue ${REF} was closed. https://gitlab.example/${PROJECT}/-/issues/12`,
    `[globex] Update on your ticket #1002: the upstream issue ${REF} was closed. https://gitlab.example/${PROJECT}/-/issues/12`,
  ]);
  const release = {
    object_kind: 'release',
    action: 'create',
    tag: 'v3.1.0',
    name: 'v3.1.0',
    description: `Fixes ${PROJECT}#12 and #40`,
    url: `https://gitlab.example/${PROJECT}/-/releases/v3.1.0`,
    released_at: '2026-11-23 04:00:00 UTC',
    project: { path_with_namespace: PROJECT },
  };
  const mark = w.sent.length;
  expect(
    await hook('Release Hook', release, { 'x-gitlab-token': HOOK_TOKEN, 'x-gitlab-event-uuid': 'g-3' }),
  ).toBe(202);
  expect(w.sent.slice(mark).find((m) => m.chatId === 'acme')?.text).toBe(
    `The fix for your ticket #1001 is in v3.1.0: https://gitlab.example/${PROJECT}/-/releases/v3.1.0`,
  );
  expect(
    (await w.desk.services.store.listEvents(1001))
      .filter((e) => e.kind === 'upstream_update')
      .map((e) => e.from),
  ).toEqual(['closed:2026-11-23T03:00:00.000Z', 'released:v3.1.0']);
});

it('has no hook without a webhook token', async () => {
  await w.close();
  w = await world({ env: { GROUPDESK_GITLAB_TOKEN: TOKEN, GROUPDESK_GITLAB_URL: peer.url } });
  expect(
    await hook('Issue Hook', closed, { 'x-gitlab-token': HOOK_TOKEN, 'x-gitlab-event-uuid': 'n-1' }),
  ).toBe(404);
});
