/**
 * How DingTalk's answers to a send are read (adapters/dingtalk/dingtalk.answers.ts), against
 * the codes in DingTalk's documentation of its frequency limits.
 */
import { readAnswer } from '../../../../adapters/dingtalk/dingtalk.answers';

const read = (status: number, body: unknown, options: { retryAfter?: string; webhook?: boolean } = {}) =>
  readAnswer(
    status,
    options.retryAfter ?? null,
    typeof body === 'string' ? body : JSON.stringify(body),
    options.webhook ?? false,
  );

describe('DingTalk answers', () => {
  it('reads 429, Throttling.*, 90002 and 90019 as too fast, after Retry-After when given', () => {
    expect(read(429, {}, { retryAfter: '3' })).toEqual({ kind: 'throttled', seconds: 3 });
    expect(read(429, { code: 'Throttling.Api', message: 'too fast' })).toEqual({
      kind: 'throttled',
      seconds: 1,
    });
    expect(read(200, { code: 'Throttling.User' })).toEqual({ kind: 'throttled', seconds: 1 });
    for (const errcode of [90002, 90019])
      expect(read(200, { errcode, errmsg: 'too many calls' })).toEqual({ kind: 'throttled', seconds: 1 });
  });

  it('reads 130101 as the robot webhook shut for ten minutes', () => {
    expect(
      read(200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' }, { webhook: true }),
    ).toEqual({
      kind: 'throttled',
      seconds: 1,
      webhookPauseMs: 600_000,
    });
  });

  it('reads the IP block, as JSON or as a page, as minutes to wait, never as a success', () => {
    const block = { status: 1111, wait: 5, source: 'x5', punish: 'deny', uuid: 'u1' };
    expect(read(200, block, { webhook: true })).toEqual({ kind: 'throttled', seconds: 300 });
    expect(read(200, { ...block, wait: 2 })).toEqual({ kind: 'throttled', seconds: 120 });
    expect(read(403, '<html><body>punish: deny</body></html>')).toEqual({ kind: 'throttled', seconds: 300 });
  });

  it('does not take 660026 or 90018 for throttling', () => {
    expect(read(200, { errcode: 660026, errmsg: 'x' }, { webhook: true })).toMatchObject({ kind: 'refused' });
    expect(read(200, { errcode: 90018, errmsg: 'x' })).toMatchObject({ kind: 'refused' });
  });

  it('a webhook answer counts as sent only with errcode 0; the OpenAPI answers its own fields', () => {
    expect(read(200, { errcode: 0, errmsg: 'ok' }, { webhook: true })).toEqual({
      kind: 'ok',
      body: { errcode: 0, errmsg: 'ok' },
    });
    expect(read(200, '<html>a proxy</html>', { webhook: true })).toMatchObject({ kind: 'refused' });
    expect(read(200, {}, { webhook: true })).toMatchObject({ kind: 'refused' });
    expect(read(200, { processQueryKey: 'pqk' })).toEqual({ kind: 'ok', body: { processQueryKey: 'pqk' } });
    expect(read(200, { errcode: 300001, errmsg: 'session webhook expired' }, { webhook: true })).toEqual({
      kind: 'refused',
      reason: 'answered 200: session webhook expired',
    });
    expect(read(400, { code: 'invalidParameter', message: 'robotCode' })).toEqual({
      kind: 'refused',
      reason: 'answered 400: robotCode',
    });
    expect(read(502, '<html>bad gateway</html>')).toEqual({ kind: 'failed', reason: 'answered 502' });
  });
});
