/**
 * The polling fallback (GROUPDESK_GITHUB_POLL_MINUTES) against the fake GitHub API over
 * real HTTP, driven by the SLA scheduler's ticks: conditional requests (a 304 changes
 * nothing), the same once-per-ticket news as the webhook, and a rate limit that pauses
 * polling until its Retry-After / reset time.
 */
import { GithubPeer } from '../../fakes/github-peer';
import { type World, world } from '../web/world';
import { pollTick } from './poll-tick';

const TOKEN = `ghp_${'P0llP0llP0'.repeat(4)}`;
const REPO = 'acme-oss/framework';
const MINUTE = 60_000;
let peer: GithubPeer;
let w: World;
let repo: ReturnType<GithubPeer['addRepo']>;

async function start(env: Record<string, string> = { GROUPDESK_GITHUB_POLL_MINUTES: '5' }): Promise<void> {
  peer = await new GithubPeer(TOKEN).start();
  repo = peer.addRepo(REPO);
  repo.issues.push({ number: 12, title: 'PDF export crops the last page', body: '', state: 'open' });
  w = await world({ env: { GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_API_URL: peer.url, ...env } });
  await w.say('alice', 'acme', '@bot export to PDF crops the last page');
  await w.say('erin', 'globex', '@bot our PDF export loses its last page too');
  await w.say('bob', 'staff', '/link #1001 acme-oss/framework#12');
  await w.say('bob', 'staff', '/link #1002 acme-oss/framework#12');
}
afterEach(async () => {
  await w.close();
  await peer.stop();
});

const tick = (minutes: number) => pollTick(w, peer, minutes);
const closeIssue = (at: string) => Object.assign(repo.issues[0]!, { state: 'closed', closed_at: at });

it('reads linked issues and releases every N minutes, 304s change nothing, news reaches each ticket once', async () => {
  await start();
  let round = await tick(1);
  expect(round.gets).toEqual([`GET /repos/${REPO}/issues/12`, `GET /repos/${REPO}/releases`]);
  expect(round.sent).toEqual([]); // open, never heard closed: nothing to say
  expect((await tick(2)).gets).toEqual([]); // not yet five minutes
  round = await tick(5);
  expect(round.gets).toHaveLength(2);
  expect(peer.notModified).toBe(2); // both conditional, both unchanged
  expect(round.sent).toEqual([]);

  closeIssue('2026-11-23T03:00:00Z');
  round = await tick(5);
  expect(round.sent).toEqual([
    `[acme] Update on your ticket #1001: the upstream issue ${REPO}#12 was closed. https://github.com/${REPO}/issues/12`,
    expect.stringContaining(`[staff] #1001: upstream issue ${REPO}#12 was closed`),
    `[globex] Update on your ticket #1002: the upstream issue ${REPO}#12 was closed. https://github.com/${REPO}/issues/12`,
    expect.stringContaining(`[staff] #1002: upstream issue ${REPO}#12 was closed`),
  ]);

  repo.releases.push({
    tag_name: 'v2.7.1',
    name: 'v2.7.1',
    body: '- keeps the last page of a PDF export (#12)',
    draft: false,
    published_at: '2026-11-23T04:00:00Z',
  });
  round = await tick(5);
  expect(round.sent.filter((t) => t.startsWith('[acme]'))).toEqual([
    `[acme] The fix for your ticket #1001 is in v2.7.1: https://github.com/${REPO}/releases/tag/v2.7.1`,
  ]);
  // Nothing new: every read a 304, nobody told twice.
  const before = peer.notModified;
  round = await tick(5);
  expect(peer.notModified - before).toBe(2);
  expect(round.sent).toEqual([]);
  const kinds = (await w.desk.services.store.listEvents(1002)).filter((e) => e.kind === 'upstream_update');
  expect(kinds.map((e) => e.from)).toEqual(['closed:2026-11-23T03:00:00Z', 'released:v2.7.1']);
});

it('pauses on a 429 until its Retry-After, and on a spent quota (403) until its reset', async () => {
  await start();
  await tick(1);
  peer.mode = 'rate_limited';
  peer.retryAfterSeconds = 1200;
  expect((await tick(5)).gets).toHaveLength(1); // minute 6: the first read is refused, the round stops there
  expect((await tick(10)).gets).toEqual([]); // minute 16: paused until minute 26
  expect((await tick(9)).gets).toEqual([]); // minute 25
  peer.mode = 'exhausted';
  peer.resetAt = Math.floor((w.clock.now() + MINUTE) / 1000) + 3600;
  let round = await tick(1);
  expect(round.gets).toHaveLength(1);
  expect((await tick(30)).gets).toEqual([]);
  peer.mode = 'ok';
  closeIssue('2026-11-23T05:00:00Z');
  round = await tick(31);
  expect(round.gets).toHaveLength(2);
  expect(round.sent.filter((t) => t.startsWith('[acme]'))).toHaveLength(1);
});

it('is off by default', async () => {
  await start({});
  expect((await tick(60)).gets).toEqual([]);
});
