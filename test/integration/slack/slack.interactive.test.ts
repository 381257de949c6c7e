import type { InboundMessage, OutboundMessage } from '../../../src/core/chat';
import { commandForm, FORM, type Harness, interactionForm, startHttpHarness } from './slack.harness';

/** A reply the fake "core" sends back for each inbound message. */
function replyTo(m: InboundMessage, fields: Partial<OutboundMessage>): OutboundMessage {
  return {
    platform: 'slack',
    chatId: m.chatId,
    chatKind: m.chatKind,
    replyToMessageId: m.messageId,
    text: 'ok',
    ...fields,
  };
}

describe('Slack adapter: slash command and buttons', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('acks /gd within the request, delivers /<text>, and answers ephemerally through response_url', async () => {
    h = await startHttpHarness(async (m, adapter) => {
      await adapter.send(replyTo(m, { text: 'Claimed #12 <for you>', visibleTo: m.sender.id }));
      // Nobody else saw the command: an answer that names nobody is for the caller alone.
      await adapter.send(replyTo(m, { text: '#12 is now yours' }));
      await adapter.send(replyTo(m, { text: 'Bob claimed #12', mentions: [m.sender] }));
    });
    const res = await h.post(
      commandForm({ text: 'claim 12', response_url: h.fake.responseUrl('r1'), trigger_id: '1.2.t1' }),
      { contentType: FORM },
    );
    // The ack is the HTTP answer itself: empty 200, no text of ours.
    expect(res).toEqual({ status: 200, text: '' });
    await h.host.waitForMessages(1);
    expect(h.host.received[0]).toEqual<InboundMessage>({
      platform: 'slack',
      account: 'T1',
      chatId: 'CSTAFF',
      chatKind: 'group',
      messageId: 'cmd:1.2.t1',
      sender: { id: 'UBOB', name: 'bob' },
      text: '/claim 12',
      mentions: [],
      addressed: true,
      chatTitle: 'support-staff',
    });
    const [ephemeral, implied] = await h.fake.waitForCalls('response_url', 2);
    expect(ephemeral!.path).toBe('/response/r1');
    expect(ephemeral!.params).toMatchObject({
      response_type: 'ephemeral',
      text: 'Claimed #12 &lt;for you&gt;',
    });
    expect(implied!.params).toMatchObject({ response_type: 'ephemeral', text: '#12 is now yours' });
    // An answer that names people is meant for the channel: public, top-level.
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post!.params).toMatchObject({ channel: 'CSTAFF', text: '<@UBOB> Bob claimed #12' });
    expect(post!.params.thread_ts).toBeUndefined();
    expect(h.fake.callsOf('response_url')).toHaveLength(2);
  });

  it('turns a bare /gd into /help and keeps mentions typed in the command', async () => {
    h = await startHttpHarness();
    await h.post(commandForm({ text: '', trigger_id: '1.2.t2', response_url: h.fake.responseUrl('r2') }), {
      contentType: FORM,
    });
    await h.post(
      commandForm({
        text: 'assign 12 <@UCAROL|carol>',
        trigger_id: '1.2.t3',
        response_url: h.fake.responseUrl('r3'),
      }),
      { contentType: FORM },
    );
    await h.host.waitForMessages(2);
    expect(h.host.received.map((m) => m.text)).toEqual(['/help', '/assign 12 @carol']);
    expect(h.host.received[1]!.mentions).toEqual([{ id: 'UCAROL', name: 'carol' }]);
  });

  it('falls back to chat.postEphemeral when response_url fails', async () => {
    h = await startHttpHarness(async (m, adapter) => {
      await adapter.send(replyTo(m, { text: 'only you', visibleTo: m.sender.id }));
    });
    h.fake.answerNext('response_url', { status: 404, body: { ok: false } });
    await h.post(
      commandForm({ text: 'mine', response_url: h.fake.responseUrl('gone'), trigger_id: '1.2.t4' }),
      {
        contentType: FORM,
      },
    );
    const [call] = await h.fake.waitForCalls('chat.postEphemeral', 1);
    expect(call!.params).toMatchObject({ channel: 'CSTAFF', user: 'UBOB', text: 'only you' });
  });

  it('delivers a button click as the command of the button, and answers privately or in the message thread', async () => {
    const buttonCommand = '/claim #12';
    h = await startHttpHarness(async (m, adapter) => {
      if (m.text !== buttonCommand) return;
      await adapter.send(replyTo(m, { text: '#12 is now yours' }));
      await adapter.send(replyTo(m, { text: 'Bob claimed #12', mentions: [m.sender] }));
    });
    // The announcement, with its buttons, as the core would send it.
    const announcement = await h.adapter.send({
      platform: 'slack',
      chatId: 'CSTAFF',
      chatKind: 'group',
      text: 'New ticket #12 from Acme',
      buttons: [
        { label: 'Claim', command: buttonCommand },
        { label: 'Resolve', command: '/resolve #12' },
      ],
    });
    const [posted] = await h.fake.waitForCalls('chat.postMessage', 1);
    const blocks = posted!.params.blocks as Array<{
      type: string;
      elements?: Array<Record<string, unknown>>;
    }>;
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => e.value)).toEqual([buttonCommand, '/resolve #12']);
    expect(posted!.params.text).toContain('`/gd claim #12`');
    const ts = announcement.threadId!;
    const res = await h.post(
      interactionForm({
        type: 'block_actions',
        trigger_id: '9.9.click',
        team: { id: 'T1', domain: 'vendor' },
        user: { id: 'UBOB', username: 'bob', name: 'bob', team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        container: { type: 'message', message_ts: ts, channel_id: 'CSTAFF', is_ephemeral: false },
        channel: { id: 'CSTAFF', name: 'support-staff' },
        message: { type: 'message', ts, text: 'New ticket #12 from Acme', user: 'UBOT' },
        response_url: h.fake.responseUrl('click'),
        actions: [{ ...actions.elements![0], action_ts: '1700000100.000001' }],
      }),
      { contentType: FORM },
    );
    expect(res).toEqual({ status: 200, text: '' });
    await h.host.waitForMessages(1);
    expect(h.host.received[0]).toMatchObject({
      chatId: 'CSTAFF',
      sender: { id: 'UBOB', name: 'bob' },
      text: buttonCommand,
      addressed: true,
      messageId: 'action:9.9.click',
      quotedMessageId: `CSTAFF:${ts}`,
    });
    const [answer] = await h.fake.waitForCalls('response_url', 1);
    expect(answer!.params).toMatchObject({ response_type: 'ephemeral', text: '#12 is now yours' });
    const [, reply] = await h.fake.waitForCalls('chat.postMessage', 2);
    expect(reply!.params).toMatchObject({
      channel: 'CSTAFF',
      thread_ts: ts,
      text: '<@UBOB> Bob claimed #12',
    });
  });

  it('ignores a click on a button that carries no command', async () => {
    h = await startHttpHarness();
    const res = await h.post(
      interactionForm({
        type: 'block_actions',
        trigger_id: '9.9.bad',
        user: { id: 'UBOB' },
        channel: { id: 'CSTAFF' },
        actions: [{ action_id: 'groupdesk:cmd:0', value: 'rm -rf', type: 'button' }],
      }),
      { contentType: FORM },
    );
    expect(res.status).toBe(200);
    await h.post(
      commandForm({ text: 'queue', trigger_id: '1.2.t9', response_url: h.fake.responseUrl('q') }),
      {
        contentType: FORM,
      },
    );
    await h.host.waitForMessages(1);
    expect(h.host.received.map((m) => m.text)).toEqual(['/queue']);
  });
});
