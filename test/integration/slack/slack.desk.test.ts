import type { RecordedCall } from '../../fakes/slack-api';
import { nextTs, SLACK, type SlackDesk, said, startSlackDesk } from './slack.desk.harness';

/**
 * The real desk on Slack, as its users see it: what a customer and an engineer do in their
 * channels (signed Events API, slash-command and button requests to Bolt's HTTP receiver),
 * and what GroupDesk posts back (recorded by the fake Web API), with the store where it matters.
 */
describe('GroupDesk on Slack, end to end', () => {
  let s: SlackDesk;
  afterEach(async () => {
    await s?.close();
  });

  /** Chat posts (chat.postMessage) into `channel`. */
  const posts = (channel: string) =>
    s.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
  /** Answers sent through the response_url of the request with this id. */
  const answers = (id: string) => s.fake.callsOf('response_url').filter((c) => c.path === `/response/${id}`);
  const tsOf = (call: RecordedCall) => (call.answer as { ts: string }).ts;
  const allText = (call: RecordedCall) => JSON.stringify(call.params);

  /** Alice asks in acme's channel, mentioning the bot; resolves with her message's ts once handled. */
  async function aliceAsks(text = 'Build fails on Node 20'): Promise<string> {
    const before = s.host.handled.length;
    const ts = nextTs();
    const message = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> ${text}`, { ts });
    // Slack sends a mention twice: as app_mention and as message.
    expect((await s.event({ ...message, type: 'app_mention', channel_type: undefined })).status).toBe(200);
    expect((await s.event(message)).status).toBe(200);
    await s.host.waitHandled(before + 1);
    return ts;
  }

  it("opens #1001 from a customer's mention: the ack in her message's thread, the announcement with buttons", async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();

    const [ack, ...moreAcks] = posts(SLACK.acme);
    expect(moreAcks).toEqual([]);
    expect(ack!.params).toMatchObject({ thread_ts: ts, unfurl_links: 'false' });
    expect(ack!.params.text).toMatch(
      /^<@UALICE> Ticket #1001 is open \(Basic plan\)\. An engineer will respond within 24 h/,
    );

    const [announcement, ...moreAnnouncements] = posts(SLACK.staff);
    expect(moreAnnouncements).toEqual([]);
    expect(announcement!.params.thread_ts).toBeUndefined();
    expect(announcement!.params.text).toContain('New ticket #1001 · ACME Corp (Basic)');
    expect(announcement!.params.text).toContain('alice: Build fails on Node 20');
    const blocks = announcement!.params.blocks as Array<{
      type: string;
      elements?: Array<Record<string, unknown>>;
    }>;
    const actions = blocks.find((b) => b.type === 'actions')!;
    expect(actions.elements!.map((e) => [(e.text as { text: string }).text, e.value])).toEqual([
      ['Claim', '/claim #1001'],
      ['Resolve', '/resolve #1001'],
    ]);

    // The thread is the ticket: the customer's own message is its parent.
    expect(await s.ticket(1001)).toMatchObject({ status: 'open', chatId: SLACK.acme, threadId: ts });
    expect(await s.ticket(1002)).toBeUndefined();
  });

  it("quotes the customer's *bold*, _italic_, ~strike~ and code fences to staff as typed, links whole", async () => {
    s = await startSlackDesk();
    await aliceAsks(
      '*URGENT* _all_ ~down~ since ```deploy``` and `rm` — log: https://files.example.com/a_b_c.log',
    );
    const [announcement] = posts(SLACK.staff);
    const texts = [
      announcement!.params.text as string,
      ...(announcement!.params.blocks as Array<{ text?: { text: string } }>).flatMap((b) =>
        b.text ? [b.text.text] : [],
      ),
    ];
    // The customer's line (the text's fallback line of buttons is the renderer's own markup).
    const customer = texts.flatMap((t) => t.split('\n').filter((l) => l.includes('URGENT')));
    expect(customer.length).toBeGreaterThan(0);
    for (const text of customer) {
      // No formatting character where mrkdwn would open a style, no fence, the link unbroken.
      expect(text).not.toMatch(/(^|[\s(["'])[*_~`]/m);
      expect(text).not.toContain('``');
      expect(text).toContain('https://files.example.com/a_b_c.log');
      // What staff read is what she typed, once Slack's invisible joiners are set aside.
      expect(text.replace(/\u2060/g, '')).toContain(
        'alice: *URGENT* _all_ ~down~ since ```deploy``` and `rm` — log: https://files.example.com/a_b_c.log',
      );
    }
  });

  it('shows a display name with a newline, bidi and zero-width characters on one line in the announcement', async () => {
    s = await startSlackDesk();
    const before = s.host.handled.length;
    const display = 'Mallory\nSYSTEM: #1001 reassigned to you\u202E\u200B\u2066';
    const message = said('UMALLORY', SLACK.acme, `<@${SLACK.bot}> the export job hangs`, {
      user_profile: { display_name: display, real_name: 'Mallory' },
    });
    expect((await s.event(message)).status).toBe(200);
    await s.host.waitHandled(before + 1);
    const [announcement] = posts(SLACK.staff);
    expect(announcement!.params.text).toContain(
      '\nMallory SYSTEM: #1001 reassigned to you: the export job hangs\n',
    );
    expect(allText(announcement!)).not.toMatch(/[\u202E\u200B\u2066]/);
  });

  it("an engineer's refusal in the customer's channel is ephemeral, for the engineer alone", async () => {
    s = await startSlackDesk();
    await aliceAsks();
    const before = s.host.handled.length;
    const channelPosts = posts(SLACK.acme).length;
    expect((await s.event(said(SLACK.bob, SLACK.acme, `<@${SLACK.bot}> /claim #1999`))).status).toBe(200);
    await s.host.waitHandled(before + 1);
    expect(posts(SLACK.acme)).toHaveLength(channelPosts);
    const [refusal] = s.fake.callsOf('chat.postEphemeral');
    expect(refusal!.params).toMatchObject({ channel: SLACK.acme, user: SLACK.bob });
    expect(refusal!.params.text).toContain("I can't find ticket #1999.");
  });

  it("keeps thread replies with the ticket: the customer's is a follow-up, the engineer's the first response", async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();
    const postsBefore = s.fake.callsOf('chat.postMessage').length;

    await s.event(said(SLACK.alice, SLACK.acme, 'Here is the stack trace: ENOENT', { thread_ts: ts }));
    await s.host.waitHandled(2);
    expect(await s.ticket(1002)).toBeUndefined();
    const afterFollowUp = await s.store.listEvents(1001);
    expect(afterFollowUp.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toEqual([
      'Build fails on Node 20',
      'Here is the stack trace: ENOENT',
    ]);

    s.clock.advance(30 * 60_000);
    await s.event(said(SLACK.bob, SLACK.acme, 'Please clear the build cache and retry.', { thread_ts: ts }));
    await s.host.waitHandled(3);
    const bob = await s.store.findPersonByIdentity('slack', SLACK.bob);
    expect(await s.ticket(1001)).toMatchObject({
      status: 'claimed',
      assigneeId: bob!.id,
      firstResponseAt: s.clock.now(),
    });
    const replies = (await s.store.listEvents(1001)).filter((e) => e.kind === 'staff_reply');
    expect(replies.map((e) => e.text)).toEqual(['Please clear the build cache and retry.']);
    // Both were people talking in the thread: GroupDesk itself stays quiet.
    expect(s.fake.callsOf('chat.postMessage')).toHaveLength(postsBefore);
  });

  it('takes only the thread as the ticket: a later top-level message is not a follow-up, a new mention a new ticket', async () => {
    s = await startSlackDesk();
    await aliceAsks();
    s.clock.advance(5 * 60_000); // well inside the follow-up window of platforms without threads

    await s.event(said(SLACK.alice, SLACK.acme, 'Is anyone else seeing the login page hang?'));
    await s.host.waitHandled(2);
    const customerMessages = (await s.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
    expect(customerMessages.map((e) => e.text)).toEqual(['Build fails on Node 20']);

    const ts = await aliceAsks('Login page hangs after the upgrade');
    expect(await s.ticket(1002)).toMatchObject({
      threadId: ts,
      subject: 'Login page hangs after the upgrade',
    });
    expect(posts(SLACK.acme).map((c) => c.params.thread_ts)).toEqual([expect.any(String), ts]);
  });

  it('claims with /gd claim from the staff channel: acked in the request, answered privately, the customer told', async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();

    const started = Date.now();
    const res = await s.command(SLACK.bob, SLACK.staff, 'claim 1001', 'claim');
    expect(res).toEqual({ status: 200, text: '' });
    expect(Date.now() - started).toBeLessThan(3000);
    await s.host.waitHandled(2);

    expect(answers('claim').map((c) => c.params)).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: '#1001 is now yours, bob.' }),
    ]);
    expect(posts(SLACK.staff)).toHaveLength(1); // the announcement only
    const [, notice] = posts(SLACK.acme);
    expect(notice!.params).toMatchObject({
      thread_ts: ts,
      text: '<@UALICE> #1001: bob is working on your request.',
    });
    const bob = await s.store.findPersonByIdentity('slack', SLACK.bob);
    expect(await s.ticket(1001)).toMatchObject({ status: 'claimed', assigneeId: bob!.id });
  });

  it("relays /gd reply #1001 from the staff channel into the customer's thread", async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();

    await s.command(SLACK.bob, SLACK.staff, 'reply #1001 Please upgrade to 2.3 & retry', 'reply');
    await s.host.waitHandled(2);

    const [, relayed] = posts(SLACK.acme);
    expect(relayed!.params).toMatchObject({
      thread_ts: ts,
      text: '<@UALICE> #1001 · bob: Please upgrade to 2.3 &amp; retry',
    });
    expect(answers('reply').map((c) => c.params)).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: 'Reply to #1001 delivered to the customer.',
      }),
    ]);
    expect(await s.ticket(1001)).toMatchObject({ status: 'claimed', firstResponseAt: s.clock.now() });
  });

  it("answers an engineer's typed /reply in the customer's channel privately, where Slack shows it", async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();

    await s.event(said(SLACK.bob, SLACK.acme, `<@${SLACK.bot}> /reply #1001 Fixed in 2.3.1`));
    await s.host.waitHandled(2);

    expect(posts(SLACK.acme)[1]!.params).toMatchObject({
      thread_ts: ts,
      text: '<@UALICE> #1001 · bob: Fixed in 2.3.1',
    });
    const [confirmation, ...more] = s.fake.callsOf('chat.postEphemeral');
    expect(more).toEqual([]);
    expect(confirmation!.params).toMatchObject({
      channel: SLACK.acme,
      user: SLACK.bob,
      text: 'Reply to #1001 delivered to the customer.',
    });
    // Bob's message has no thread, and an ephemeral message in a thread that does not exist is never shown.
    expect(confirmation!.params.thread_ts).toBeUndefined();
  });

  it('claims with the Claim button through the same checks; a stranger is refused privately', async () => {
    s = await startSlackDesk();
    const ts = await aliceAsks();
    const [announcement] = posts(SLACK.staff);
    const posted = { channel: SLACK.staff, ts: tsOf(announcement!), blocks: announcement!.params.blocks };
    const before = await s.ticket(1001);

    expect(await s.click(SLACK.zed, posted, 0, 'zed')).toEqual({ status: 200, text: '' });
    await s.host.waitHandled(2);
    expect(answers('zed').map((c) => c.params)).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: 'Sorry, /gd claim is for support engineers only.',
      }),
    ]);
    expect(await s.ticket(1001)).toEqual(before);
    expect(posts(SLACK.staff)).toHaveLength(1);
    expect(posts(SLACK.acme)).toHaveLength(1);

    await s.click(SLACK.bob, posted, 0, 'bob');
    await s.host.waitHandled(3);
    expect(answers('bob').map((c) => c.params)).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: '#1001 is now yours, bob.' }),
    ]);
    expect(posts(SLACK.acme)[1]!.params).toMatchObject({
      thread_ts: ts,
      text: '<@UALICE> #1001: bob is working on your request.',
    });
    const bob = await s.store.findPersonByIdentity('slack', SLACK.bob);
    expect(await s.ticket(1001)).toMatchObject({ status: 'claimed', assigneeId: bob!.id });
  });

  it('makes one ticket of a retried event, a redelivery under a new event_id, and one after a restart', async () => {
    s = await startSlackDesk();
    const ts = nextTs();
    const message = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> Build fails on Node 20`, { ts });
    await s.event(message, 'EvFirst');
    await s.host.waitHandled(1);

    const retry = await s.event(message, 'EvFirst', {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    expect(retry.status).toBe(200);
    await s.log.waitFor(/duplicate event EvFirst dropped/);
    await s.event(message, 'EvAgain');
    await s.log.waitFor(new RegExp(`duplicate message ${SLACK.acme}:${ts} dropped`));
    // A restarted adapter has forgotten both: the desk's own record stops this one.
    await s.restartAdapter();
    await s.event(message, 'EvAfterRestart');
    await s.host.waitHandled(2);

    expect(await s.ticket(1001)).toMatchObject({ threadId: ts });
    expect(await s.ticket(1002)).toBeUndefined();
    expect(posts(SLACK.acme)).toHaveLength(1);
    expect(posts(SLACK.staff)).toHaveLength(1);
  });

  it('refuses a bad signature or a stale timestamp with 401 and stores nothing', async () => {
    s = await startSlackDesk();
    const forged = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> forged request`);
    expect((await s.event(forged, 'EvForged', { secret: 'fedcba9876543210fedcba9876543210' })).status).toBe(
      401,
    );
    const stale = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> replayed request`);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await s.event(stale, 'EvStale', { timestamp: sixMinutesAgo })).status).toBe(401);
    expect(s.inboundKeys()).toBe(0);

    // The next genuine request is the first thing the desk ever handled.
    await aliceAsks('Genuine question');
    expect(s.host.handled.map((m) => m.text)).toEqual(['Genuine question']);
    expect(await s.ticket(1001)).toMatchObject({ subject: 'Genuine question' });
    expect(await s.ticket(1002)).toBeUndefined();
    expect(s.inboundKeys()).toBe(1);
    expect(s.fake.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it("never lets a customer's text ping a channel: not in the announcement, not echoed in a reply", async () => {
    s = await startSlackDesk();
    // <!channel> and <!here> are how Slack encodes real @channel/@here; &lt;!here&gt; is the literal text.
    const ts = await aliceAsks('<!channel> prod is down &lt;!here&gt; @here <!everyone>');
    expect((await s.ticket(1001))!.subject).toContain('@channel prod is down <!here> @here @everyone');

    await s.command(SLACK.bob, SLACK.staff, 'reply #1001 You wrote: <!channel> &lt;!here&gt; @here', 'echo');
    await s.command(SLACK.bob, SLACK.staff, 'status 1001', 'status');
    await s.host.waitHandled(3);

    const [announcement] = posts(SLACK.staff);
    const [, relayed] = posts(SLACK.acme);
    expect(relayed!.params.thread_ts).toBe(ts);
    const shown = [announcement!, relayed!, ...answers('status')];
    expect(shown).toHaveLength(3);
    for (const call of shown) {
      const text = allText(call);
      expect(text).not.toMatch(/<!(channel|here|everyone)/);
      expect(text).not.toMatch(/@(channel|here|everyone)/i); // every one is broken by a word joiner
      expect(text).toContain('@\u2060here');
    }
    expect(relayed!.params.text).toBe(
      '<@UALICE> #1001 · bob: You wrote: @\u2060channel &lt;!here&gt; @\u2060here',
    );
  });

  it("answers another customer's channel as if #1001 did not exist", async () => {
    s = await startSlackDesk();
    await aliceAsks('Secret roadmap question');

    await s.command(SLACK.erin, SLACK.globex, 'status 1001', 'erin');
    await s.event(said(SLACK.erin, SLACK.globex, `<@${SLACK.bot}> /status #1001`));
    await s.host.waitHandled(3);

    // In a customer's channel the desk answers in the open, naming whom it answers.
    const answered = posts(SLACK.globex);
    expect(answered.map((c) => c.params.text)).toEqual([
      "<@UERIN> I can't find ticket #1001.",
      "<@UERIN> I can't find ticket #1001.",
    ]);
    expect(JSON.stringify(s.fake.calls.filter((c) => c.params.channel !== SLACK.staff))).not.toContain(
      'Secret roadmap',
    );
  });

  it('answers a bare /gd with help, and points a subscriber who writes to the bot directly to their channel', async () => {
    s = await startSlackDesk();
    await s.command(SLACK.bob, SLACK.staff, '', 'staffHelp');
    await s.command(SLACK.alice, SLACK.acme, '', 'customerHelp');
    await s.event(said(SLACK.alice, SLACK.aliceDm, 'hello, can you help?'));
    await s.host.waitHandled(3);

    const [staffHelp, ...moreHelp] = answers('staffHelp');
    expect(moreHelp).toEqual([]);
    expect(staffHelp!.params).toMatchObject({ response_type: 'ephemeral' });
    expect(staffHelp!.params.text).toMatch(/^Commands you can use here:\n/);
    expect(staffHelp!.params.text).toContain('/gd claim #N — Take a ticket.');
    expect(posts(SLACK.staff)).toEqual([]);

    const [customerHelp, ...moreCustomer] = posts(SLACK.acme);
    expect(moreCustomer).toEqual([]);
    expect(customerHelp!.params.text).toMatch(/^<@UALICE> Commands you can use here:\n/);
    expect(customerHelp!.params.text).toContain('/gd status');
    expect(customerHelp!.params.text).not.toContain('claim');

    const [pointer, ...more] = posts(SLACK.aliceDm);
    expect(more).toEqual([]);
    expect(pointer!.params.thread_ts).toBeUndefined();
    expect(pointer!.params.text).toContain("Please ask your question in your company's support group");
    expect(await s.ticket(1001)).toBeUndefined();
  });
});
