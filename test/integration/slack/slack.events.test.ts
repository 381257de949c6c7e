import type { InboundMessage, SentMessage } from '../../../src/core/chat';
import { deferred, eventEnvelope, type Harness, messageEvent, startHttpHarness } from './slack.harness';

/** Events API over HTTP: real Bolt HTTPReceiver, signed requests, the Web API faked on 127.0.0.1. */
describe('Slack adapter: Events API over HTTP', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('turns a channel message into an InboundMessage and threads the reply under it', async () => {
    const sent = deferred<SentMessage>();
    h = await startHttpHarness(async (m, adapter) => {
      sent.resolve(
        await adapter.send({
          platform: 'slack',
          chatId: m.chatId,
          chatKind: m.chatKind,
          replyToMessageId: m.messageId,
          text: 'Ticket #12 opened: <b> & co',
        }),
      );
    });
    const res = await h.post(
      eventEnvelope(messageEvent({ text: 'Build fails &amp; logs say &lt;error&gt;' })),
    );
    expect(res.status).toBe(200);
    await h.host.waitForMessages(1);
    expect(h.host.received[0]).toEqual<InboundMessage>({
      platform: 'slack',
      account: 'T1',
      chatId: 'C1',
      chatKind: 'group',
      messageId: 'C1:1700000000.000001',
      sender: { id: 'UALICE' },
      text: 'Build fails & logs say <error>',
      mentions: [],
      addressed: false,
      sentAt: 1700000000000,
    });
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post!.params).toMatchObject({
      channel: 'C1',
      thread_ts: '1700000000.000001',
      text: 'Ticket #12 opened: &lt;b&gt; &amp; co',
      unfurl_links: 'false',
    });
    // The ticket learns its thread: the customer's top-level message.
    await expect(sent.promise).resolves.toEqual({
      messageId: 'C1:1700000001.000100',
      threadId: '1700000000.000001',
    });
  });

  it('reports thread replies with the thread, and replies there', async () => {
    h = await startHttpHarness(async (m, adapter) => {
      await adapter.send({
        platform: 'slack',
        chatId: m.chatId,
        chatKind: 'group',
        replyToMessageId: m.messageId,
        text: 'noted',
      });
    });
    await h.post(eventEnvelope(messageEvent({ ts: '1700000005.000002', thread_ts: '1700000000.000001' })));
    await h.host.waitForMessages(1);
    expect(h.host.received[0]).toMatchObject({
      threadId: '1700000000.000001',
      messageId: 'C1:1700000005.000002',
    });
    // The reply answers a reply: it goes to the parent's thread, not under the reply.
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post!.params.thread_ts).toBe('1700000000.000001');
  });

  it('marks app_mention and @bot messages as addressed, and handles the message/app_mention pair once', async () => {
    h = await startHttpHarness();
    const ts = '1700000010.000003';
    const mention = { text: '<@UBOT> /status 12 cc <@UCAROL>', ts, event_ts: ts };
    await h.post(eventEnvelope({ ...messageEvent(mention), type: 'app_mention', channel_type: undefined }));
    await h.post(eventEnvelope(messageEvent(mention)));
    await h.post(eventEnvelope(messageEvent({ text: 'plain talk', ts: '1700000011.000004' })));
    await h.post(
      eventEnvelope(messageEvent({ text: 'hi', channel: 'D1', channel_type: 'im', ts: '1700000012.000005' })),
    );
    await h.host.waitForMessages(3);
    const [mentioned, plain, direct] = h.host.received;
    expect(mentioned).toMatchObject({
      addressed: true,
      text: '/status 12 cc @UCAROL',
      mentions: [{ id: 'UCAROL' }],
    });
    expect(plain).toMatchObject({ addressed: false, text: 'plain talk' });
    expect(direct).toMatchObject({ chatKind: 'direct', addressed: true, chatId: 'D1' });
    expect(h.host.received).toHaveLength(3);
  });

  it('ignores bot messages, its own messages, edits and deletions', async () => {
    h = await startHttpHarness();
    await h.post(
      eventEnvelope(messageEvent({ subtype: 'bot_message', bot_id: 'BOTHER', ts: '1700000020.000001' })),
    );
    await h.post(eventEnvelope(messageEvent({ user: 'UBOT', bot_id: 'BBOT', ts: '1700000021.000001' })));
    await h.post(eventEnvelope(messageEvent({ user: 'UOTHER', bot_id: 'BOTHER', ts: '1700000021.000002' })));
    await h.post(
      eventEnvelope(messageEvent({ subtype: 'message_changed', hidden: true, ts: '1700000022.000001' })),
    );
    await h.post(
      eventEnvelope(messageEvent({ subtype: 'message_deleted', hidden: true, ts: '1700000023.000001' })),
    );
    await h.post(eventEnvelope({ type: 'message', channel: 'C1' })); // malformed: no ts
    await h.post(eventEnvelope(messageEvent({ text: 'the real one', ts: '1700000024.000001' })));
    await h.host.waitForMessages(1);
    expect(h.host.received.map((m) => m.text)).toEqual(['the real one']);
  });

  it('handles a retried event (X-Slack-Retry-Num, same event_id) once', async () => {
    h = await startHttpHarness();
    const body = eventEnvelope(messageEvent(), 'EvRetry');
    expect((await h.post(body)).status).toBe(200);
    const retry = await h.post(body, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    // A later, different event: once it is handled, the retry would have been too.
    await h.post(eventEnvelope(messageEvent({ text: 'next', ts: '1700000030.000001' })));
    await h.host.waitForMessages(2);
    expect(h.host.received.map((m) => m.text)).toEqual(['Build fails on Node 20', 'next']);
  });

  it('rejects a bad signature and a stale timestamp with 401 and delivers nothing', async () => {
    h = await startHttpHarness();
    const forged = await h.post(eventEnvelope(messageEvent({ text: 'forged' })), {
      secret: 'fedcba9876543210',
    });
    expect(forged.status).toBe(401);
    const stale = await h.post(eventEnvelope(messageEvent({ text: 'stale', ts: '1700000040.000001' })), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
    await h.post(eventEnvelope(messageEvent({ text: 'genuine', ts: '1700000041.000001' })));
    await h.host.waitForMessages(1);
    expect(h.host.received.map((m) => m.text)).toEqual(['genuine']);
  });

  it('refuses a correctly signed request timestamped more than five minutes ahead, like a stale one', async () => {
    h = await startHttpHarness();
    const now = Math.floor(Date.now() / 1000);
    const ahead = await h.post(
      eventEnvelope(messageEvent({ text: 'from the future', ts: '1700000050.000001' })),
      {
        timestamp: now + 6 * 60,
      },
    );
    expect(ahead.status).toBe(401);
    // Clock skew within the window is tolerated, as Slack's own check does for the past.
    const skewed = await h.post(eventEnvelope(messageEvent({ text: 'skewed', ts: '1700000051.000001' })), {
      timestamp: now + 60,
    });
    expect(skewed.status).toBe(200);
    await h.host.waitForMessages(1);
    expect(h.host.received.map((m) => m.text)).toEqual(['skewed']);
  });

  it('rejects malformed bodies cleanly and keeps serving', async () => {
    h = await startHttpHarness();
    expect((await h.post('{not json')).status).toBe(400);
    const noEvent = await h.post(JSON.stringify({ type: 'event_callback', event_id: 'EvNull', event: null }));
    expect(noEvent.status).toBeGreaterThanOrEqual(200);
    const huge = 'é'.repeat(200_000);
    await h.post(eventEnvelope(messageEvent({ text: huge, ts: '1700000070.000001' })));
    await h.post(eventEnvelope(messageEvent({ text: 'still here', ts: '1700000071.000001' })));
    await h.host.waitForMessages(2);
    expect(h.host.received.map((m) => m.text.length)).toEqual([200_000, 'still here'.length]);
  });

  it('answers url_verification with the challenge', async () => {
    h = await startHttpHarness();
    const res = await h.post(
      JSON.stringify({ token: 'legacy', challenge: 'c-123', type: 'url_verification' }),
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'c-123' });
  });

  it('handles one channel in order: a follow-up waits for its question, other channels do not', async () => {
    const log: string[] = [];
    const gate = deferred<void>();
    const firstStarted = deferred<void>();
    h = await startHttpHarness(async (m) => {
      log.push(`start:${m.text}`);
      if (m.text === 'question') {
        firstStarted.resolve();
        await gate.promise;
      }
      log.push(`end:${m.text}`);
    });
    await h.post(eventEnvelope(messageEvent({ text: 'question' })));
    await firstStarted.promise;
    await h.post(eventEnvelope(messageEvent({ text: 'follow-up', ts: '1700000060.000001' })));
    // Bolt dispatches requests in arrival order: once C2's message is handled, the
    // follow-up's listener has run too, and must have queued instead of starting.
    await h.post(eventEnvelope(messageEvent({ text: 'elsewhere', channel: 'C2', ts: '1700000061.000001' })));
    await h.host.waitForMessages(2);
    const meanwhile = [...log];
    gate.resolve();
    expect(meanwhile).toEqual(['start:question', 'start:elsewhere', 'end:elsewhere']);
    await h.host.waitForMessages(3);
    await h.adapter.stop(); // drains queued work
    expect(log).toEqual([
      'start:question',
      'start:elsewhere',
      'end:elsewhere',
      'end:question',
      'start:follow-up',
      'end:follow-up',
    ]);
  });

  it('logs a failing handler and keeps serving', async () => {
    let calls = 0;
    h = await startHttpHarness(async () => {
      calls += 1;
      if (calls === 1) throw new Error('core exploded');
    });
    await h.post(eventEnvelope(messageEvent({ text: 'first' })));
    await h.post(eventEnvelope(messageEvent({ text: 'second', ts: '1700000050.000001' })));
    await h.host.waitForMessages(2);
    expect(h.logger.lines.some((l) => l.level === 'error' && l.text.includes('core exploded'))).toBe(true);
  });

  it('reports channel joins once, even when Slack retries the event', async () => {
    h = await startHttpHarness();
    const joined = eventEnvelope({
      type: 'member_joined_channel',
      user: 'UDAVE',
      channel: 'C1',
      channel_type: 'C',
    });
    await h.post(joined);
    await h.post(joined, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await h.post(eventEnvelope(messageEvent()));
    await h.host.waitForMessages(1);
    expect(h.host.membership).toEqual([
      { platform: 'slack', chatId: 'C1', user: { id: 'UDAVE' }, change: 'joined' },
    ]);
  });
});
