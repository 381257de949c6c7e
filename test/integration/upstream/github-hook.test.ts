/**
 * POST /hooks/github over real HTTP on the bot's web server, with bodies signed by
 * @octokit/webhooks-methods' own `sign`: valid, forged, unsigned, replayed, huge, malformed.
 */
import { sign } from '@octokit/webhooks-methods';
import { type World, world } from '../web/world';

const SECRET = 'hook-secret-0123456789abcdef';
const TOKEN = `ghp_${'H00k5ecret'.repeat(4)}`;
let w: World;

beforeEach(async () => {
  w = await world({ env: { GROUPDESK_GITHUB_TOKEN: TOKEN, GROUPDESK_GITHUB_WEBHOOK_SECRET: SECRET } });
});
afterEach(() => w.close());

async function post(
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${w.url}/hooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'issues', ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

const closed = JSON.stringify({
  action: 'closed',
  issue: { number: 1 },
  repository: { full_name: 'acme-oss/framework' },
});

it('takes a signed delivery once and refuses its replay', async () => {
  const signature = await sign({ secret: SECRET, algorithm: 'sha256' }, closed);
  // Verified and taken, but no ticket links acme-oss/framework#1: 204 (github-news.test.ts has the 202s).
  expect(await post(closed, { 'x-hub-signature-256': signature, 'x-github-delivery': 'd-1' })).toEqual({
    status: 204,
    text: '',
  });
  expect((await post(closed, { 'x-hub-signature-256': signature, 'x-github-delivery': 'd-1' })).status).toBe(
    409,
  );
  expect((await post(closed, { 'x-hub-signature-256': signature, 'x-github-delivery': 'd-2' })).status).toBe(
    204,
  );
});

it('refuses forged, unsigned, sha1-only, tampered and wrong-secret deliveries', async () => {
  const good = await sign({ secret: SECRET, algorithm: 'sha256' }, closed);
  const other = await sign({ secret: 'another-secret-0123456789', algorithm: 'sha256' }, closed);
  const sha1 = await sign({ secret: SECRET, algorithm: 'sha1' }, closed);
  const cases: Record<string, string>[] = [
    { 'x-github-delivery': 'f-1' },
    { 'x-hub-signature-256': other, 'x-github-delivery': 'f-2' },
    { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-github-delivery': 'f-3' },
    { 'x-hub-signature-256': sha1, 'x-github-delivery': 'f-4' },
  ];
  for (const headers of cases) expect((await post(closed, headers)).status).toBe(401);
  const tampered = closed.replace('closed', 'reopened');
  expect((await post(tampered, { 'x-hub-signature-256': good, 'x-github-delivery': 'f-5' })).status).toBe(
    401,
  );
  // None of them used up a delivery id: the genuine one is still taken.
  expect((await post(closed, { 'x-hub-signature-256': good, 'x-github-delivery': 'f-2' })).status).toBe(204);
});

it('refuses a huge body, malformed JSON and a missing delivery id', async () => {
  const huge = JSON.stringify({ action: 'closed', padding: 'x'.repeat(1_100_000) });
  const hugeSig = await sign({ secret: SECRET, algorithm: 'sha256' }, huge);
  expect((await post(huge, { 'x-hub-signature-256': hugeSig, 'x-github-delivery': 'h-1' })).status).toBe(413);
  const broken = '{"action": "closed",';
  const brokenSig = await sign({ secret: SECRET, algorithm: 'sha256' }, broken);
  expect((await post(broken, { 'x-hub-signature-256': brokenSig, 'x-github-delivery': 'm-1' })).status).toBe(
    400,
  );
  const sig = await sign({ secret: SECRET, algorithm: 'sha256' }, closed);
  expect((await post(closed, { 'x-hub-signature-256': sig })).status).toBe(400);
});

describe('without a webhook secret', () => {
  it('has no hook', async () => {
    await w.close();
    w = await world();
    const signature = await sign({ secret: SECRET, algorithm: 'sha256' }, closed);
    expect(
      (await post(closed, { 'x-hub-signature-256': signature, 'x-github-delivery': 'n-1' })).status,
    ).toBe(404);
  });
});
