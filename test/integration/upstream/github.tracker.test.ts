/**
 * The GitHub Tracker through the real @octokit/core client against the local fake GitHub
 * API on 127.0.0.1: create, read, releases, and the failures the engineer must be told of
 * plainly (unknown repo/issue, bad token, down, 429 with Retry-After).
 */
import { TrackerError } from '../../../src/core/tracker';
import { GithubTracker } from '../../../src/upstream/github';
import { GithubPeer } from '../../fakes/github-peer';

const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
let peer: GithubPeer;
let tracker: GithubTracker;

beforeEach(async () => {
  peer = await new GithubPeer(TOKEN).start();
  tracker = new GithubTracker({ token: TOKEN, apiUrl: peer.url });
});
afterEach(() => peer.stop());

async function failure(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrackerError);
  return error as TrackerError;
}

it('creates an issue with the token and reads it back', async () => {
  peer.addRepo('acme/framework');
  const created = await tracker.createIssue({
    repo: 'acme/framework',
    title: 'Crash on start',
    body: 'steps',
  });
  expect(created).toEqual({
    repo: 'acme/framework',
    number: 1,
    title: 'Crash on start',
    state: 'open',
    url: 'https://github.com/acme/framework/issues/1',
  });
  expect(peer.seen[0]).toMatchObject({
    method: 'POST',
    url: '/repos/acme/framework/issues',
    authorization: `token ${TOKEN}`,
    body: { title: 'Crash on start', body: 'steps' },
  });
  await expect(tracker.getIssue({ repo: 'acme/framework', number: 1 })).resolves.toMatchObject({ number: 1 });
});

it('reads an unknown issue, or a pull request, as absent', async () => {
  const repo = peer.addRepo('acme/framework');
  repo.issues.push({ number: 1, title: 'a PR', body: '', state: 'open', pull_request: {} });
  await expect(tracker.getIssue({ repo: 'acme/framework', number: 1 })).resolves.toBeUndefined();
  await expect(tracker.getIssue({ repo: 'acme/framework', number: 2 })).resolves.toBeUndefined();
  await expect(tracker.getIssue({ repo: 'acme/nothing', number: 1 })).resolves.toBeUndefined();
});

it('names an unknown repository, a bad token and a refused title', async () => {
  peer.addRepo('acme/framework');
  expect((await failure(tracker.createIssue({ repo: 'acme/nothing', title: 't', body: '' }))).failure).toBe(
    'not_found',
  );
  expect((await failure(tracker.createIssue({ repo: 'acme/framework', title: '', body: '' }))).failure).toBe(
    'rejected',
  );
  const wrong = new GithubTracker({ token: `ghp_${'Z'.repeat(40)}`, apiUrl: peer.url });
  const error = await failure(wrong.createIssue({ repo: 'acme/framework', title: 't', body: '' }));
  expect(error.failure).toBe('unauthorised');
  expect(`${error.message} ${error.stack}`).not.toContain('Z'.repeat(40));
});

it('lists published releases newest first, without drafts', async () => {
  const repo = peer.addRepo('acme/framework');
  repo.releases.push(
    { tag_name: 'v2.7.0', name: 'v2.7.0', body: 'x', draft: false, published_at: '2026-11-01T00:00:00Z' },
    { tag_name: 'v2.7.1', name: '', body: 'Fixes #1', draft: false, published_at: '2026-12-01T00:00:00Z' },
    { tag_name: 'v2.8.0', name: 'next', body: '', draft: true, published_at: null },
  );
  const releases = await tracker.listReleases('acme/framework', 5);
  expect(releases.map((r) => r.tag)).toEqual(['v2.7.1', 'v2.7.0']);
  expect(releases[0]).toMatchObject({ body: 'Fixes #1', publishedAt: Date.parse('2026-12-01T00:00:00Z') });
  expect(peer.seen.at(-1)?.url).toBe('/repos/acme/framework/releases?per_page=5');
});

it('reports a tracker that is down, and a 429 with its Retry-After, without retrying', async () => {
  peer.addRepo('acme/framework');
  peer.mode = 'down';
  expect((await failure(tracker.createIssue({ repo: 'acme/framework', title: 't', body: '' }))).failure).toBe(
    'unavailable',
  );
  peer.mode = 'rate_limited';
  peer.retryAfterSeconds = 42;
  const before = peer.seen.length;
  const limited = await failure(tracker.createIssue({ repo: 'acme/framework', title: 't', body: '' }));
  expect(limited).toMatchObject({ failure: 'rate_limited', retryAfterSeconds: 42 });
  expect(peer.seen.length - before).toBe(1);
  expect(peer.repos.get('acme/framework')?.issues).toHaveLength(0);
});

it('reports an unreachable tracker as unavailable', async () => {
  await peer.stop();
  const gone = await failure(tracker.getIssue({ repo: 'acme/framework', number: 1 }));
  expect(gone.failure).toBe('unavailable');
});
