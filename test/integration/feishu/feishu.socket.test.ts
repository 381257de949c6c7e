/**
 * The long connection (FEISHU_MODE=ws): the SDK's own WSClient pulls its endpoint from the
 * fake open platform and speaks protobuf frames with test/fakes/feishu-socket.ts.
 */
import { FEISHU, type FeishuDesk, startFeishuDesk } from './feishu.desk.harness';

let s: FeishuDesk | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

test('over the long connection: a request is answered in its frame, acknowledged in its thread, redelivery dropped, a card click claims', async () => {
  s = await startFeishuDesk({}, 'ws');
  const d = s;
  await d.socket!.connected();
  await d.host.waitFor(() => d.host.health.some((h) => h.state === 'up'), 'the long connection up');
  const asked = await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
  expect(await d.ticket(1001)).toMatchObject({ status: 'open', threadId: asked });
  expect(d.peer.sent().filter((c) => c.to === FEISHU.acme)).toEqual([
    expect.objectContaining({
      method: 'reply',
      replyTo: asked,
      replyInThread: true,
      text: expect.stringContaining('Ticket #1001 is open'),
    }),
  ]);
  // The SDK answered the frame with code 200.
  expect(d.socket!.answers).toEqual([
    expect.objectContaining({ payload: expect.objectContaining({ code: 200 }) }),
  ]);

  // Feishu redelivers an event it thinks unanswered: the same event id again.
  const again = d.peer.messageEvent({
    eventId: 'ev_1_again',
    messageId: asked,
    from: FEISHU.alice,
    chatId: FEISHU.acme,
    text: 'the build fails on Node 20',
  });
  await d.deliver(again);
  await d.log.waitFor(/duplicate Feishu event ev_1_again dropped/);
  expect(await d.ticket(1002)).toBeUndefined();

  // A card click comes over the long connection as an event too (type event, card.action.trigger).
  const card = d.peer.sent().find((c) => c.to === FEISHU.staff && c.msgType === 'interactive');
  const before = d.host.handled.length;
  await d.deliver(
    d.peer.cardClick({ eventId: 'ev_ws_click', messageId: card!.messageId, index: 0, from: FEISHU.bob }),
  );
  await d.host.waitHandled(before + 1);
  expect(await d.ticket(1001)).toMatchObject({ status: 'claimed' });
});

test('the peer drops the long connection: the SDK reconnects, and events after it are handled once', async () => {
  s = await startFeishuDesk({}, 'ws');
  const d = s;
  await d.socket!.connected();
  await d.host.waitFor(() => d.host.health.some((h) => h.state === 'up'), 'the long connection up');
  const asked = await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
  const request = d.peer.messageEvent({
    eventId: 'ev_before_drop',
    messageId: asked,
    from: FEISHU.alice,
    chatId: FEISHU.acme,
    text: 'the build fails on Node 20',
  });

  d.socket!.drop();
  // The client pulls a new endpoint and opens a second connection by itself.
  await d.socket!.connected();
  expect(d.socket!.connections).toBe(2);
  await d.host.waitFor(
    () => d.host.health.some((h) => h.detail === 'long connection open again'),
    'the long connection open again',
  );
  expect(d.host.health.map((h) => h.detail)).toEqual(
    expect.arrayContaining(['long connection lost; reconnecting', 'long connection open again']),
  );

  // Feishu pushes again what it had sent before the drop: the desk does not see it twice.
  const frames = d.socket!.answers.length;
  await d.deliver(request);
  await d.log.waitFor(/duplicate Feishu event ev_before_drop dropped/);
  // A new message over the new connection is a follow-up, answered in its frame, handled once.
  await d.say(FEISHU.alice, FEISHU.acme, 'still failing after the reconnect', {
    rootId: asked,
    messageId: 'om_after_drop',
  });
  const again = d.peer.messageEvent({
    eventId: 'ev_after_drop_again',
    messageId: 'om_after_drop',
    from: FEISHU.alice,
    chatId: FEISHU.acme,
    text: 'still failing after the reconnect',
    rootId: asked,
    threadId: `omt_${asked}`,
  });
  await d.deliver(again);
  await d.log.waitFor(/duplicate Feishu event ev_after_drop_again dropped/);
  // Every frame over the new connection is answered, the dropped redeliveries too (or Feishu pushes them again).
  await d.socket!.answered(frames + 3);
  expect(d.socket!.answers.slice(frames)).toEqual(
    Array.from({ length: 3 }, () =>
      expect.objectContaining({ payload: expect.objectContaining({ code: 200 }) }),
    ),
  );
  expect(d.host.handled.filter((m) => m.messageId === 'om_after_drop')).toHaveLength(1);
  const said = (await d.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
  expect(said.map((e) => e.text)).toEqual([
    'the build fails on Node 20',
    expect.stringContaining('still failing after the reconnect'),
  ]);
  expect(await d.ticket(1002)).toBeUndefined();
  expect(d.socket!.connections).toBe(2);
});
