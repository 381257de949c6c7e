/**
 * What a verified GitHub delivery does (issue 16), over real HTTP from the fake webhook
 * sender to the bot's web server: a linked issue closed, reopened, or fixed in a published
 * release reaches each linked ticket once (event, its own customer group, its assignee or
 * the staff channels), in the reader's language; an unlinked issue is a 204.
 */
import type { OutboundMessage } from '../../../src/core/chat';
import { GithubPeer, sendWebhook } from '../../fakes/github-peer';
import { type World, world } from '../web/world';

const SECRET = 'hook-secret-0123456789abcdef';
const TOKEN = `ghp_${'N3w5Fr0mUp'.repeat(4)}`;
const REPO = 'acme-oss/framework';
let peer: GithubPeer;
let w: World;

async function start(locale: 'en' | 'zh-CN' = 'en'): Promise<void> {
  peer = await new GithubPeer(TOKEN).start();
  peer
    .addRepo(REPO)
    .issues.push(
      { number: 12, title: 'PDF export crops the last page', body: '', state: 'open' },
      { number: 13, title: 'Another bug', body: '', state: 'open' },
    );
  w = await world({
    locale,
    env: {
      GROUPDESK_GITHUB_TOKEN: TOKEN,
      GROUPDESK_GITHUB_API_URL: peer.url,
      GROUPDESK_GITHUB_WEBHOOK_SECRET: SECRET,
    },
  });
  await w.say('alice', 'acme', '@bot export to PDF crops the last page');
  await w.say('erin', 'globex', '@bot our PDF export loses its last page too');
  await w.say('bob', 'staff', '/claim #1001');
  await w.say('bob', 'staff', '/link #1001 acme-oss/framework#12');
  await w.say('bob', 'staff', '/link #1002 acme-oss/framework#12');
}
afterEach(async () => {
  await w.close();
  await peer.stop();
});

const hook = (event: string, payload: unknown, delivery: string) =>
  sendWebhook(`${w.url}/hooks/github`, SECRET, event, payload, delivery);
const issue = (action: string, number = 12, closedAt: string | null = '2026-11-23T03:00:00Z') => ({
  action,
  issue: { number, html_url: `https://github.com/${REPO}/issues/${number}`, closed_at: closedAt },
  repository: { full_name: REPO },
});
const release = (body: string, tag = 'v2.7.1', publishedAt = '2026-11-23T04:00:00Z') => ({
  action: 'published',
  release: {
    tag_name: tag,
    name: tag,
    body,
    html_url: `https://github.com/${REPO}/releases/tag/${tag}`,
    draft: false,
    published_at: publishedAt,
  },
  repository: { full_name: REPO },
});
/** What each chat received since `from`, text only. */
const received = (from: number): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const m of w.sent.slice(from) as OutboundMessage[]) out[m.chatId] = [...(out[m.chatId] ?? []), m.text];
  return out;
};
const updates = async (n: number) =>
  (await w.desk.services.store.listEvents(n)).filter((e) => e.kind === 'upstream_update');

it('tells each linked ticket of a closed issue once: its own group only, its assignee, the staff channels', async () => {
  await start();
  const before = w.sent.length;
  expect(await hook('issues', issue('closed'), 'd-1')).toBe(202);
  const got = received(before);
  expect(got.acme).toEqual([
    `Update on your ticket #1001: the upstream issue ${REPO}#12 was closed. https://github.com/${REPO}/issues/12`,
  ]);
  expect(got.globex).toEqual([
    `Update on your ticket #1002: the upstream issue ${REPO}#12 was closed. https://github.com/${REPO}/issues/12`,
  ]);
  // Nobody learns of the other customer's ticket.
  expect(got.acme?.join()).not.toContain('#1002');
  expect(got.globex?.join()).not.toContain('#1001');
  // #1001's assignee by direct message; #1002 is unassigned: the staff channel.
  expect(got.bob).toEqual([expect.stringContaining(`#1001: upstream issue ${REPO}#12 was closed`)]);
  expect(got.staff).toEqual([expect.stringContaining(`#1002: upstream issue ${REPO}#12 was closed`)]);
  const history = (await w.say('bob', 'staff', '/history #1001')).map((m) => m.text).join('\n');
  expect(history).toContain(`upstream issue ${REPO}#12: closed https://github.com/${REPO}/issues/12`);
  expect((await updates(1001)).map((e) => [e.to, e.from])).toEqual([
    [`${REPO}#12`, 'closed:2026-11-23T03:00:00Z'],
  ]);

  // The replay is refused; the same news under a new delivery id (or from the poller) tells nobody again.
  const after = w.sent.length;
  expect(await hook('issues', issue('closed'), 'd-1')).toBe(409);
  expect(await hook('issues', issue('closed'), 'd-2')).toBe(204);
  expect(w.sent.length).toBe(after);
  expect(await updates(1002)).toHaveLength(1);

  // Reopened: told to those who heard it closed; then a new closing is news again.
  expect(await hook('issues', issue('reopened', 12, null), 'd-3')).toBe(202);
  expect(received(after).acme).toEqual([
    expect.stringContaining('#1001: the upstream issue acme-oss/framework#12 was reopened'),
  ]);
  expect(await hook('issues', issue('reopened', 12, null), 'd-4')).toBe(204);
  expect(await hook('issues', issue('closed', 12, '2026-11-24T01:00:00Z'), 'd-5')).toBe(202);
  expect((await updates(1001)).map((e) => e.from)).toEqual([
    'closed:2026-11-23T03:00:00Z',
    'reopened:closed:2026-11-23T03:00:00Z',
    'closed:2026-11-24T01:00:00Z',
  ]);
});

it('after /unlink, news of the issue no longer reaches that ticket; the other linked ticket still hears it', async () => {
  await start();
  const said = await w.say('bob', 'staff', '/unlink #1002 Acme-OSS/Framework#12');
  expect(said.map((m) => m.text)).toEqual([
    `Unlinked #1002 from ${REPO}#12: news of that issue no longer reaches this ticket.`,
  ]);
  const before = w.sent.length;
  expect(await hook('issues', issue('closed'), 'u-1')).toBe(202);
  const got = received(before);
  expect(got.acme).toEqual([expect.stringContaining('#1001: the upstream issue')]);
  expect(got.globex).toBeUndefined();
  expect(got.staff).toBeUndefined(); // #1002 was unassigned: the staff channel would have heard
  expect(await updates(1002)).toHaveLength(0);
  // Linked again: the next news reaches it again.
  await w.say('bob', 'staff', '/link #1002 acme-oss/framework#12');
  expect(await hook('issues', issue('reopened', 12, null), 'u-2')).toBe(202);
  expect(await hook('issues', issue('closed', 12, '2099-01-01T00:00:00Z'), 'u-3')).toBe(202);
  expect((await updates(1002)).map((e) => e.from)).toEqual(['closed:2099-01-01T00:00:00Z']);
});

it('answers 204 for an unlinked issue, a pull request, another event and a release that mentions nothing linked', async () => {
  await start();
  const before = w.sent.length;
  expect(await hook('issues', issue('closed', 13), 'u-1')).toBe(204);
  expect(await hook('issues', issue('closed', 99), 'u-2')).toBe(204);
  const pr = issue('closed');
  expect(await hook('issues', { ...pr, issue: { ...pr.issue, pull_request: {} } }, 'u-3')).toBe(204);
  expect(await hook('star', { action: 'created', repository: { full_name: REPO } }, 'u-4')).toBe(204);
  expect(await hook('release', release('Fixes #13 and other/repo#12, see issue 12'), 'u-5')).toBe(204);
  expect(await hook('issues', { action: 'closed', issue: 'nonsense' }, 'u-6')).toBe(204);
  expect(w.sent.length).toBe(before);
  expect(await updates(1001)).toEqual([]);
});

it('tells the customer which release has the fix, once per tag', async () => {
  await start();
  const before = w.sent.length;
  expect(
    await hook('release', release(`## Fixes\n- PDF export keeps its last page (fixes #12)`), 'r-1'),
  ).toBe(202);
  const got = received(before);
  expect(got.acme).toEqual([
    `The fix for your ticket #1001 is in v2.7.1: https://github.com/${REPO}/releases/tag/v2.7.1`,
  ]);
  expect(got.globex).toEqual([
    `The fix for your ticket #1002 is in v2.7.1: https://github.com/${REPO}/releases/tag/v2.7.1`,
  ]);
  expect(got.bob).toEqual([expect.stringContaining(`#1001: ${REPO}#12 is fixed in release v2.7.1`)]);
  expect(await hook('release', release(`Fixes ${REPO}#12`), 'r-2')).toBe(204);
  // A release published before the ticket linked the issue did not fix the customer's problem.
  expect(await hook('release', release('fixes #12', 'v2.6.0', '2026-01-01T00:00:00Z'), 'r-3')).toBe(204);
});

it('speaks Chinese to a Chinese desk', async () => {
  await start('zh-CN');
  const before = w.sent.length;
  expect(await hook('release', release('修复 #12'), 'z-1')).toBe(202);
  expect(received(before).acme).toEqual([
    `你的工单 #1001 的修复已包含在 v2.7.1 中：https://github.com/${REPO}/releases/tag/v2.7.1`,
  ]);
  expect(await hook('issues', issue('closed'), 'z-2')).toBe(202);
  expect(received(before).globex?.[1]).toBe(
    `你的工单 #1002 有更新：上游 issue ${REPO}#12 已关闭。https://github.com/${REPO}/issues/12`,
  );
  expect(received(before).bob?.[1]).toContain(`#1001：上游 issue ${REPO}#12 已关闭`);
});

it('after a delivery failed half way, its redelivery tells only the tickets not told yet', async () => {
  await start();
  const store = w.desk.services.store;
  const addEvent = store.addEvent.bind(store);
  let failures = 1;
  jest.spyOn(store, 'addEvent').mockImplementation(async (number, event) => {
    if (number === 1002 && event.kind === 'upstream_update' && failures-- > 0) throw new Error('disk full');
    return addEvent(number, event);
  });
  const before = w.sent.length;
  expect(await hook('issues', issue('closed'), 'p-1')).toBe(500);
  expect(received(before).acme).toHaveLength(1); // #1001 was told before #1002 failed
  expect(received(before).globex).toBeUndefined(); // nothing recorded or sent for #1002
  // GitHub's redelivery keeps the delivery id, which the failure released.
  expect(await hook('issues', issue('closed'), 'p-1')).toBe(202);
  expect(received(before).acme).toHaveLength(1);
  expect(received(before).globex).toHaveLength(1);
  expect(await updates(1001)).toHaveLength(1);
  expect(await updates(1002)).toHaveLength(1);
});
