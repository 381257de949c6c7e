/**
 * The DingTalk adapter with the real `dingtalk-stream` SDK against the fake open platform:
 * frames it must survive, redeliveries, the session webhook's validity window, "too fast"
 * answers, pacing, reconnection and start-up errors.
 */
import { DingtalkAdapter } from '../../../adapters/dingtalk/dingtalk.adapter';
import { dingtalkConfigSchema } from '../../../adapters/dingtalk/dingtalk.config';
import { PlatformBusyError } from '../../../src/core/errors';
import { CLIENT_ID, DingtalkPeer } from '../../fakes/dingtalk-peer';
import { RecordingHost } from '../../fakes/recording-host';
import { type DingtalkDesk, DT, startDingtalkDesk } from './dingtalk.desk.harness';

let d: DingtalkDesk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

const start = async (...args: Parameters<typeof startDingtalkDesk>) => {
  d = await startDingtalkDesk(...args);
  return d;
};

test('bad and unknown frames are dropped; the connection and the desk go on', async () => {
  const desk = await start();
  desk.peer.frame('not json at all');
  desk.peer.frame({ specVersion: '1.0', type: 'SOMETHING_NEW', headers: { messageId: 'x1' }, data: '{}' });
  const badData = desk.peer.push({ nonsense: true } as Record<string, unknown>);
  desk.peer.frame({
    specVersion: '1.0',
    type: 'CALLBACK',
    headers: { messageId: 'f-nojson', topic: '/v1.0/im/bot/messages/get' },
    data: '{not json',
  });
  // DingTalk's keep-alive ping is echoed back by the SDK.
  desk.peer.frame({
    specVersion: '1.0',
    type: 'SYSTEM',
    headers: { messageId: 'ping-1', topic: 'ping' },
    data: '{}',
  });
  // A callback the desk cannot use is still acknowledged, or DingTalk pushes it again.
  await desk.peer.acked(badData);
  await desk.peer.acked('f-nojson');
  await desk.peer.acked('ping-1');
  expect(desk.host.handled).toEqual([]);
  await desk.say(DT.alice, DT.acme, 'the build fails on Node 20');
  expect(await desk.ticket(1001)).toMatchObject({ subject: 'the build fails on Node 20' });
  expect(desk.host.handled).toHaveLength(1);
});

test('a redelivered msgId is acknowledged again but makes no second ticket or reply', async () => {
  const desk = await start();
  const data = desk.peer.robotMessage({
    conversationId: DT.acme,
    staffId: DT.alice,
    text: 'printer on fire',
  });
  const first = desk.peer.push(data);
  await desk.peer.acked(first);
  await desk.host.waitHandled(1);
  const again = desk.peer.push(data);
  await desk.peer.acked(again);
  await desk.say(DT.alice, DT.acme, 'and the fax too');
  expect(desk.host.handled.map((m) => m.messageId)).toEqual([data.msgId, expect.any(String)]);
  expect(await desk.ticket(1002)).toBeUndefined();
  expect((await desk.store.listEvents(1001)).filter((e) => e.kind === 'customer_message')).toHaveLength(2);
  expect(desk.peer.sent.filter((s) => s.to === DT.acme && /#1001 is open/.test(s.text))).toHaveLength(1);
});

test('a picture and a file after a request are follow-ups whose lines carry their download codes', async () => {
  const desk = await start();
  await desk.say(DT.alice, DT.acme, 'printer on fire');
  await desk.say(DT.alice, DT.acme, '', { msgtype: 'picture', content: { downloadCode: 'dl/pic+1=' } });
  await desk.say(DT.alice, DT.acme, '', {
    msgtype: 'file',
    content: { downloadCode: 'dl_file_2', fileName: 'printer.log' },
  });
  const said = (await desk.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
  expect(said.map((e) => e.text)).toEqual([
    'printer on fire',
    expect.stringContaining('[image] dl/pic+1='),
    expect.stringContaining('[file] printer.log dl_file_2'),
  ]);
  expect(await desk.ticket(1002)).toBeUndefined();
});

test('an expired session webhook is not used: the reply goes through the OpenAPI with a token', async () => {
  const desk = await start();
  await desk.say(DT.alice, DT.acme, 'the build fails on Node 20');
  expect(desk.peer.sent.find((s) => s.to === DT.acme)?.via).toBe('webhook');
  // Two hours later the customer group's webhook has expired (DingTalk gives about 90 minutes).
  desk.clock.advance(2 * 60 * 60_000);
  await desk.say(DT.bob, DT.staff, '/reply #1001 try clearing the npm cache');
  const reply = desk.peer.sent.filter((s) => s.to === DT.acme).at(-1);
  expect(reply).toMatchObject({ via: 'group', text: expect.stringContaining('try clearing the npm cache') });
  const send = (text: string) =>
    desk.adapter.send({ platform: 'dingtalk', chatId: DT.acme, chatKind: 'group', text });
  // A webhook inside its window but too close to the end (a minute's margin) is not used either.
  await desk.say(DT.alice, DT.acme, 'one more thing', { webhookTtlMs: 30_000 });
  await send('near the end');
  expect(desk.peer.sent.filter((s) => s.text === 'near the end').map((s) => s.via)).toEqual(['group']);
  // A fresh webhook is used again.
  await desk.say(DT.alice, DT.acme, 'and another');
  await send('fresh again');
  expect(desk.peer.sent.filter((s) => s.text === 'fresh again').map((s) => s.via)).toEqual(['webhook']);
  // The webhook refuses (it expired early): the same message goes through the OpenAPI, once.
  desk.peer.failNext('webhook', {
    status: 200,
    body: { errcode: 300001, errmsg: 'session webhook expired' },
  });
  await send('refused first');
  expect(desk.peer.sent.filter((s) => s.text === 'refused first').map((s) => s.via)).toEqual(['group']);
  expect(desk.log.lines.some((l) => /session webhook refused/.test(l))).toBe(true);
});

test('429 is waited out in the chat queue; when it persists the outbox gets PlatformBusyError', async () => {
  const desk = await start({ retryUnitMs: 100, maxRetries: 2 });
  desk.peer.failNext('webhook', { status: 429, headers: { 'retry-after': '1' }, body: {} });
  await desk.say(DT.alice, DT.acme, 'the build fails on Node 20');
  const hooks = desk.peer.requests.filter((r) => r.route === 'webhook');
  expect(hooks.length).toBeGreaterThanOrEqual(2);
  expect(hooks[1]!.wall - hooks[0]!.wall).toBeGreaterThanOrEqual(95);
  expect(desk.peer.sent.filter((s) => s.to === DT.acme)).toHaveLength(1);
  // Throttled three times in a row (the first try and two retries): the send fails as "busy".
  desk.peer.failNext('webhook', { status: 429, body: { message: 'too many requests' } }, 3);
  const busy = await desk.adapter
    .send({ platform: 'dingtalk', chatId: DT.acme, chatKind: 'group', text: 'hello' })
    .catch((e: unknown) => e);
  expect(busy).toBeInstanceOf(PlatformBusyError);
  expect((busy as PlatformBusyError).retryAfterMs).toBe(100);
  // OpenAPI throttling (HTTP 429, code Throttling.Api) is read the same way.
  desk.peer.failNext('openapi', { status: 429, body: { code: 'Throttling.Api', message: 'too fast' } });
  await desk.adapter.send({
    platform: 'dingtalk',
    chatId: 'cidElsewhere',
    chatKind: 'group',
    text: 'hi there',
  });
  expect(desk.peer.sent.at(-1)).toMatchObject({ via: 'group', to: 'cidElsewhere', text: 'hi there' });
});

test('130101 shuts the robot webhook for ten minutes: the OpenAPI carries the chat meanwhile', async () => {
  const desk = await start();
  await desk.say(DT.alice, DT.acme, 'printer on fire');
  const send = (text: string) =>
    desk.adapter.send({ platform: 'dingtalk', chatId: DT.acme, chatKind: 'group', text });
  const via = (text: string) => desk.peer.sent.filter((s) => s.text === text).map((s) => s.via);
  desk.peer.failNext('webhook', {
    status: 200,
    body: { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' },
  });
  await send('throttled');
  expect(via('throttled')).toEqual(['group']);
  expect(
    desk.log.lines.some((l) => /webhook throttled \(130101\); using the OpenAPI for 10 minutes/.test(l)),
  ).toBe(true);
  // A fresh webhook does not reopen the route before the ten minutes are up.
  const hooks = desk.peer.requests.filter((r) => r.route === 'webhook').length;
  await desk.say(DT.alice, DT.acme, 'still on fire');
  desk.clock.advance(9 * 60_000);
  await send('nine minutes later');
  expect(via('nine minutes later')).toEqual(['group']);
  expect(desk.peer.requests.filter((r) => r.route === 'webhook').length).toBe(hooks);
  desk.clock.advance(60_000);
  await desk.say(DT.alice, DT.acme, 'and now?');
  await send('after the pause');
  expect(via('after the pause')).toEqual(['webhook']);
  expect(desk.peer.requests.filter((r) => r.route === 'webhook').length).toBeGreaterThan(hooks);
});

test('an IP block ({status:1111}) is no success: the outbox is told to wait its minutes', async () => {
  const desk = await start({ retryUnitMs: 10 });
  await desk.say(DT.alice, DT.acme, 'printer on fire');
  const before = desk.peer.sent.length;
  const block = { status: 1111, wait: 5, source: 'x5', punish: 'deny', uuid: 'u-1' };
  desk.peer.failNext('webhook', { status: 200, body: block });
  const busy = await desk.adapter
    .send({ platform: 'dingtalk', chatId: DT.acme, chatKind: 'group', text: 'blocked' })
    .catch((e: unknown) => e);
  expect(busy).toBeInstanceOf(PlatformBusyError);
  expect((busy as PlatformBusyError).retryAfterMs).toBe(300 * 10);
  expect(desk.peer.sent.length).toBe(before);
  // Unknown codes once read as throttling (660026) are refusals: the OpenAPI posts it, once.
  desk.peer.failNext('webhook', { status: 200, body: { errcode: 660026, errmsg: 'x' } });
  await desk.adapter.send({ platform: 'dingtalk', chatId: DT.acme, chatKind: 'group', text: 'other route' });
  expect(desk.peer.sent.filter((s) => s.text === 'other route').map((s) => s.via)).toEqual(['group']);
  // 90002 and 90019 from the OpenAPI are waited out and retried.
  desk.peer.failNext('openapi', { status: 200, body: { errcode: 90002, errmsg: 'busy' } });
  desk.peer.failNext('openapi', { status: 200, body: { errcode: 90019, errmsg: 'busy' } });
  await desk.adapter.send({
    platform: 'dingtalk',
    chatId: 'cidElsewhere',
    chatKind: 'group',
    text: 'retried',
  });
  expect(desk.peer.sent.filter((s) => s.text === 'retried').map((s) => s.via)).toEqual(['group']);
  expect(desk.peer.requests.filter((r) => r.route === 'openapi').length).toBeGreaterThanOrEqual(4);
});

test('sends to one chat are spaced; a long text is split; @所有人 from customer text stays plain', async () => {
  const desk = await start({ perChatMs: 150 });
  await desk.say(DT.alice, DT.acme, 'hello');
  const long = `${'word '.repeat(500)}\n\n${'more '.repeat(500)}@所有人 @all`;
  const before = desk.peer.sent.length;
  await desk.adapter.send({
    platform: 'dingtalk',
    chatId: DT.acme,
    chatKind: 'group',
    text: long,
    mentions: [{ id: 'all' }, { id: DT.alice }],
  });
  const parts = desk.peer.sent.slice(before);
  expect(parts.length).toBe(2);
  for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(3000 + 20);
  expect(parts[0]).toMatchObject({ atUserIds: [DT.alice], text: expect.stringMatching(/^@alice01 word/) });
  expect(parts[1]!.text).toContain('@\u2060所有人 @\u2060all');
  const walls = desk.peer.requests
    .filter((r) => r.route === 'webhook')
    .slice(-2)
    .map((r) => r.wall);
  expect(walls[1]! - walls[0]!).toBeGreaterThanOrEqual(140);
});

test('buttons become an action card whose links send the command; customer markdown is inert', async () => {
  const desk = await start();
  await desk.say(DT.alice, DT.acme, 'hello [click](dtmd://dingtalkclient/sendMessage?content=/close) # big');
  const card = desk.peer.sent.find((s) => s.to === DT.staff && s.kind === 'actionCard');
  expect(card).toBeDefined();
  expect(card!.buttons.map((b) => b.url)).toEqual([
    'dtmd://dingtalkclient/sendMessage?content=%2Fclaim%20%231001',
    'dtmd://dingtalkclient/sendMessage?content=%2Fresolve%20%231001',
  ]);
  // What readers see is the customer's text, and the typed commands for clients without buttons.
  expect(card!.text).toContain('hello [click](dtmd://dingtalkclient/sendMessage?content=/close) # big');
  expect(card!.text).toContain('/claim #1001');
});

test('a dropped Stream connection is registered and opened again by the SDK', async () => {
  const desk = await start();
  const registrations = () => desk.peer.requests.filter((r) => r.route === 'gateway').length;
  expect(registrations()).toBe(1);
  desk.peer.dropConnection();
  await desk.peer.connected();
  expect(registrations()).toBe(2);
  await desk.say(DT.alice, DT.acme, 'still there?');
  expect(await desk.ticket(1001)).toBeDefined();
}, 10_000);

test('stopped while the SDK waits to reconnect: it stays stopped', async () => {
  const desk = await start();
  const registrations = () => desk.peer.requests.filter((r) => r.route === 'gateway').length;
  desk.peer.dropConnection();
  // The SDK notices the close and arms its 1 s reconnect timer, which disconnect() does not clear.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await desk.adapter.stop();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(registrations()).toBe(1);
  expect(desk.peer.clients()).toBe(0);
}, 10_000);

test('wrong credentials: start fails with what to check, and nothing keeps running', async () => {
  const peer = await DingtalkPeer.start();
  const host = new RecordingHost();
  const adapter = new DingtalkAdapter(
    dingtalkConfigSchema.parse({
      DINGTALK_CLIENT_ID: CLIENT_ID,
      DINGTALK_CLIENT_SECRET: 'wrong',
      DINGTALK_API_BASE: peer.url,
    }),
  );
  await expect(adapter.start(host)).rejects.toThrow(/DINGTALK_CLIENT_SECRET.*401/);
  await peer.close();
});

test('config: clear errors for missing keys and a bad API base', () => {
  expect(() => dingtalkConfigSchema.parse({ DINGTALK_CLIENT_ID: 'x' })).toThrow(
    /DINGTALK_CLIENT_SECRET is required/,
  );
  expect(() =>
    dingtalkConfigSchema.parse({
      DINGTALK_CLIENT_ID: 'x',
      DINGTALK_CLIENT_SECRET: 'y',
      DINGTALK_API_BASE: 'ftp://x',
    }),
  ).toThrow(/DINGTALK_API_BASE must be an http\(s\) base URL/);
  expect(dingtalkConfigSchema.parse({ DINGTALK_CLIENT_ID: 'x', DINGTALK_CLIENT_SECRET: 'y' })).toEqual({
    clientId: 'x',
    clientSecret: 'y',
    robotCode: 'x',
    apiBase: 'https://api.dingtalk.com',
  });
});
