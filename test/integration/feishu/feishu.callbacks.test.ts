/**
 * What the Feishu adapter lets in over HTTP and how it sends: forged, stale, replayed and
 * redelivered callbacks are refused or dropped before the desk sees them; a 429 from the
 * send API is retried after the seconds its reset header names.
 */
import { FEISHU, type FeishuDesk, startFeishuDesk } from './feishu.desk.harness';

let s: FeishuDesk | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

let n = 0;
const ask = (d: FeishuDesk, fields: { eventId?: string; messageId?: string; token?: string } = {}) => {
  n += 1;
  return d.peer.messageEvent({
    eventId: fields.eventId ?? `ev_cb_${n}`,
    messageId: fields.messageId ?? `om_cb_${n}`,
    from: FEISHU.alice,
    chatId: FEISHU.acme,
    text: '@_user_1 the build fails on Node 20',
    mentions: [{ key: '@_user_1', openId: FEISHU.bot, name: 'GroupDesk' }],
    ...(fields.token !== undefined ? { token: fields.token } : {}),
  });
};

describe('Feishu callbacks over HTTP', () => {
  it('answers the URL check with its challenge', async () => {
    s = await startFeishuDesk();
    const answer = await s.deliver({ challenge: 'ch-123', token: 'v-token-0001', type: 'url_verification' });
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ challenge: 'ch-123' }) });
    const forged = await s.deliver({ challenge: 'ch-123', token: 'guess', type: 'url_verification' });
    expect(forged.status).toBe(401);
  });

  it.each([
    ['a wrong verification token', { token: 'not-the-token' }, {}, /wrong verification token/],
    ['a bad signature', {}, { signature: 'ab'.repeat(32) }, /bad signature/],
    [
      'another Encrypt Key',
      {},
      { encryptKey: 'someone-elses-key' },
      /does not decrypt|wrong verification token/,
    ],
    ['a timestamp six minutes old', {}, { ageMs: 6 * 60_000 }, /stale timestamp/],
    ['a timestamp six minutes ahead', {}, { ageMs: -6 * 60_000 }, /stale timestamp/],
  ] as const)('refuses %s with a 401 and delivers nothing', async (_what, fields, how, logged) => {
    s = await startFeishuDesk();
    const d = s;
    const { ageMs, ...sign } = how as { ageMs?: number; signature?: string; encryptKey?: string };
    const answer = await d.deliver(ask(d, fields), {
      ...sign,
      ...(ageMs !== undefined ? { timestamp: d.clock.now() - ageMs } : {}),
    });
    expect(answer.status).toBe(401);
    expect(d.log.lines).toContainEqual(expect.stringMatching(logged));
    expect(d.host.handled).toEqual([]);
    expect(d.peer.calls).toEqual([]);
    expect(await d.ticket(1001)).toBeUndefined();
  });

  it('accepts a timestamp four minutes old (clocks drift; Feishu retries late)', async () => {
    s = await startFeishuDesk();
    const answer = await s.deliver(ask(s), { timestamp: s.clock.now() - 4 * 60_000 });
    expect(answer.status).toBe(200);
    await s.host.waitHandled(1);
    expect(await s.ticket(1001)).toMatchObject({ status: 'open' });
  });

  it('refuses a request replayed byte for byte, and an unencrypted one', async () => {
    s = await startFeishuDesk();
    expect((await s.deliver(ask(s))).status).toBe(200);
    await s.host.waitHandled(1);
    const replay = await s.peer.replay();
    expect(replay.status).toBe(401);
    expect(s.log.lines).toContainEqual(expect.stringMatching(/replayed request/));
    const plain = await fetch(s.url, { method: 'POST', body: JSON.stringify(ask(s)) });
    expect(plain.status).toBe(401);
    expect(s.host.handled).toHaveLength(1);
    expect(await s.ticket(1002)).toBeUndefined();
  });

  it('drops a redelivered event (same event_id, freshly signed) and the same message under a new event_id', async () => {
    s = await startFeishuDesk();
    const d = s;
    const first = ask(d, { eventId: 'ev_same', messageId: 'om_same' });
    expect((await d.deliver(first)).status).toBe(200);
    await d.host.waitHandled(1);
    expect((await d.deliver(first)).status).toBe(200);
    await d.log.waitFor(/duplicate Feishu event ev_same dropped/);
    expect((await d.deliver(ask(d, { eventId: 'ev_other', messageId: 'om_same' }))).status).toBe(200);
    await d.log.waitFor(/duplicate Feishu event ev_other dropped/);
    expect(d.host.handled).toHaveLength(1);
    expect(await d.ticket(1002)).toBeUndefined();
    // One acknowledgement, one staff card.
    expect(d.peer.calls).toHaveLength(2);
  });

  it('the signature covers the bytes received: the same event re-encrypted under the old signature is refused', async () => {
    s = await startFeishuDesk();
    const d = s;
    const payload = ask(d);
    expect((await d.deliver(payload)).status).toBe(200);
    await d.host.waitHandled(1);
    // What someone who recorded one request has: its headers. A fresh IV makes other bytes.
    const seen = d.peer.lastHeaders();
    const forged = await d.deliver(ask(d), {
      timestamp: Number(seen['x-lark-request-timestamp']) * 1000,
      nonce: seen['x-lark-request-nonce']!,
      signature: seen['x-lark-signature']!,
    });
    expect(forged.status).toBe(401);
    expect(d.log.lines).toContainEqual(expect.stringMatching(/bad signature/));
    expect(d.host.handled).toHaveLength(1);
  });
});

describe('Feishu sends', () => {
  it('retries a 429 after the seconds in x-ogw-ratelimit-reset', async () => {
    // 1 "second" of the reset header is 40 ms here.
    s = await startFeishuDesk({ retryUnitMs: 40 });
    const d = s;
    d.peer.rateLimit(2, 3);
    const began = performance.now();
    await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    const took = performance.now() - began;
    expect(d.peer.rateLimitedAnswers).toHaveLength(2);
    // Two waits of 3 × 40 ms before the acknowledgement went through.
    expect(took).toBeGreaterThanOrEqual(2 * 3 * 40);
    expect(d.log.lines.filter((l) => /rate limited; retrying in 3s/.test(l))).toHaveLength(2);
    expect(d.peer.calls.filter((c) => c.to === FEISHU.acme)).toHaveLength(1);
  });

  it('gives up after three retries, and says so in the log', async () => {
    s = await startFeishuDesk({ retryUnitMs: 1 });
    const d = s;
    d.peer.rateLimit(100, 1);
    await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    await d.log.waitFor(/rate limited; retrying in 1s \(attempt 3\)/);
    expect(d.peer.calls).toEqual([]);
    expect(d.log.lines.filter((l) => /attempt 4/.test(l))).toEqual([]);
  });

  it("sends a retried message once: the idempotency key becomes Feishu's uuid, one per post", async () => {
    s = await startFeishuDesk();
    const d = s;
    const message = {
      platform: 'feishu' as const,
      chatId: FEISHU.staff,
      chatKind: 'group' as const,
      text: 'x'.repeat(5000),
      idempotencyKey: `outbox-${'k'.repeat(60)}`,
    };
    const first = await d.adapter.send(message);
    const again = await d.adapter.send(message);
    expect(again).toEqual(first);
    // Two posts (5,000 characters), each sent twice with its own uuid, posted once.
    expect(d.peer.calls).toHaveLength(2);
    expect(d.peer.uuids).toHaveLength(4);
    expect(new Set(d.peer.uuids).size).toBe(2);
    expect(d.peer.uuids.every((u) => u.length <= 50)).toBe(true);
    await d.adapter.send({ ...message, text: 'other', idempotencyKey: 'outbox-2' });
    expect(d.peer.calls).toHaveLength(3);
  });
});
