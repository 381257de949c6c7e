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
