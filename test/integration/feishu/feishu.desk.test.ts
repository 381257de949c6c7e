/**
 * The desk through the real Feishu adapter and the real SDK, against the fake open platform:
 * callbacks encrypted and signed as Feishu does, sends through the SDK's Client.
 */
import { FEISHU, type FeishuDesk, startFeishuDesk } from './feishu.desk.harness';

let s: FeishuDesk | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const inChat = (d: FeishuDesk, chat: string) => d.peer.sent().filter((c) => c.to === chat);

describe('a desk conversation on Feishu', () => {
  it('ask → acknowledged in the thread → staff card → claim by card click → reply → resolve', async () => {
    s = await startFeishuDesk();
    const d = s;
    const asked = await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });

    // The acknowledgement opens a thread on Alice's message: the thread is the ticket.
    const [ack, ...noMore] = inChat(d, FEISHU.acme);
    expect(noMore).toEqual([]);
    expect(ack).toMatchObject({ method: 'reply', replyTo: asked, replyInThread: true, msgType: 'text' });
    expect(ack!.text).toContain('Ticket #1001 is open (Basic plan)');
    expect(await d.ticket(1001)).toMatchObject({
      status: 'open',
      threadId: asked,
      subject: 'the build fails on Node 20',
    });

    // The staff group gets a card whose buttons carry the commands.
    const [card, ...moreStaff] = inChat(d, FEISHU.staff);
    expect(moreStaff).toEqual([]);
    expect(card).toMatchObject({ method: 'create', receiveIdType: 'chat_id', msgType: 'interactive' });
    expect(card!.text).toContain('New ticket #1001');
    expect(card!.buttons.map((b) => b.command)).toEqual([
      expect.stringMatching(/claim.*1001/),
      expect.stringMatching(/resolve.*1001/),
    ]);

    // Bob claims with the card's first button: the same command and checks as typing it.
    const before = d.host.handled.length;
    const click = await d.deliver(
      d.peer.cardClick({ eventId: 'ev_click_1', messageId: card!.messageId, index: 0, from: FEISHU.bob }),
    );
    expect(click).toEqual({ status: 200, body: '{}' });
    await d.host.waitHandled(before + 1);
    expect(d.host.handled.at(-1)).toMatchObject({
      sender: { id: FEISHU.bob },
      interaction: true,
      chatId: FEISHU.staff,
    });
    expect(await d.ticket(1001)).toMatchObject({ status: 'claimed' });
    const told = inChat(d, FEISHU.acme).slice(1);
    expect(told).toEqual([
      expect.objectContaining({
        method: 'reply',
        replyTo: asked,
        replyInThread: true,
        text: expect.stringContaining('#1001: bob is working on your request.'),
      }),
    ]);
    // The customer is @mentioned the Feishu way, by open_id.
    expect(told[0]!.text).toContain(`<at user_id="${FEISHU.alice}"></at>`);

    // Bob replies from the staff group: the answer lands in the customer's thread.
    const command = await d.say(FEISHU.bob, FEISHU.staff, '/reply #1001 try clearing the npm cache');
    // Bob is answered with a quote in the staff group's main flow, not a thread per command.
    expect(inChat(d, FEISHU.staff).at(-1)).toMatchObject({
      method: 'reply',
      replyTo: command,
      replyInThread: false,
      text: expect.stringContaining('Reply to #1001 delivered to the customer.'),
    });
    expect(inChat(d, FEISHU.acme).at(-1)).toMatchObject({
      method: 'reply',
      replyTo: asked,
      text: expect.stringContaining('try clearing the npm cache'),
    });

    // Alice answers in the thread: it is a follow-up of the same ticket.
    await d.say(FEISHU.alice, FEISHU.acme, 'still failing', { rootId: asked });
    expect(await d.ticket(1002)).toBeUndefined();
    const events = await d.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toEqual([
      'the build fails on Node 20',
      expect.stringContaining('still failing'),
    ]);

    await d.say(FEISHU.bob, FEISHU.staff, '/resolve #1001');
    expect(await d.ticket(1001)).toMatchObject({ status: 'resolved' });
    // The resolution, then the satisfaction survey, both in the ticket's thread.
    // (a card cannot mention: the survey's mention goes just before it).
    const [resolved, mention, survey] = inChat(d, FEISHU.acme).slice(-3);
    expect(resolved!.text).toContain('#1001 has been resolved by bob.');
    expect(mention!.text).toBe('<at user_id="ou_alice"></at>');
    expect(survey!.text).toContain('How did we do on #1001?');
    // Nothing of the ticket went to the customer group's top level.
    expect(inChat(d, FEISHU.acme).filter((c) => c.method !== 'reply' || c.replyInThread !== true)).toEqual(
      [],
    );
  });

  it('the card shows who claimed and who resolved after each click; a refused click leaves it as it was', async () => {
    s = await startFeishuDesk();
    const d = s;
    await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    const [card] = inChat(d, FEISHU.staff);
    expect(JSON.parse(JSON.stringify(d.peer.card(card!.messageId)))).toMatchObject({
      config: { update_multi: true },
    });
    const click = async (eventId: string, index: number, from: string) => {
      const before = d.host.handled.length;
      await d.deliver(d.peer.cardClick({ eventId, messageId: card!.messageId, index, from }));
      await d.host.waitHandled(before + 1);
    };
    await click('ev_zed', 0, FEISHU.zed);
    expect(d.peer.patches).toEqual([]);

    await click('ev_claim', 0, FEISHU.bob);
    expect(await d.ticket(1001)).toMatchObject({ status: 'claimed' });
    expect(d.peer.cardNow(card!.messageId)).toMatchObject({
      text: expect.stringContaining('New ticket #1001'),
      buttons: [{ label: 'Resolve', command: expect.stringMatching(/resolve.*1001/) }],
      notes: ['Claim: <at id=ou_bob></at>', expect.stringMatching(/^Resolve: .*resolve.*1001$/)],
    });

    // Resolve is now the card's first button.
    await click('ev_resolve', 0, FEISHU.bob);
    expect(await d.ticket(1001)).toMatchObject({ status: 'resolved' });
    expect(d.peer.cardNow(card!.messageId)).toMatchObject({
      buttons: [],
      notes: ['Claim: <at id=ou_bob></at>', 'Resolve: <at id=ou_bob></at>'],
    });
    expect(d.peer.patches).toHaveLength(2);
  });

  it('a stranger clicking Claim is refused in an ephemeral card in the group, and the ticket stays open', async () => {
    s = await startFeishuDesk();
    const d = s;
    await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    const [card] = inChat(d, FEISHU.staff);
    const click = async (eventId: string) => {
      const before = d.host.handled.length;
      await d.deliver(d.peer.cardClick({ eventId, messageId: card!.messageId, index: 0, from: FEISHU.zed }));
      await d.host.waitHandled(before + 1);
    };
    await click('ev_click_zed');
    expect(await d.ticket(1001)).toMatchObject({ status: 'open' });
    // Only Zed sees it, where he clicked: nothing new for the rest of the staff group.
    expect(inChat(d, FEISHU.staff).slice(1)).toEqual([
      expect.objectContaining({
        method: 'ephemeral',
        visibleTo: FEISHU.zed,
        msgType: 'interactive',
        text: expect.stringContaining('support engineers only'),
        buttons: [],
      }),
    ]);
    expect(inChat(d, FEISHU.zed)).toEqual([]);

    // When Feishu refuses the ephemeral card, the refusal still reaches Zed alone, one to one.
    d.peer.ephemeralRefusal = 230002;
    await click('ev_click_zed_2');
    expect(inChat(d, FEISHU.zed)).toEqual([
      expect.objectContaining({
        method: 'create',
        receiveIdType: 'open_id',
        text: expect.stringContaining('support engineers only'),
      }),
    ]);
    expect(inChat(d, FEISHU.staff)).toHaveLength(2);
    await d.log.waitFor(/ephemeral card failed; sending a one-to-one message/);
  });

  it("a customer's refusal in their group is an ephemeral card to them, or the usual answer when Feishu refuses it", async () => {
    s = await startFeishuDesk();
    const d = s;
    await d.say(FEISHU.alice, FEISHU.acme, '/claim #1001');
    expect(inChat(d, FEISHU.acme)).toEqual([
      expect.objectContaining({
        method: 'ephemeral',
        visibleTo: FEISHU.alice,
        text: 'Sorry, /claim is for support engineers only.',
      }),
    ]);
    // An ordinary answer in the same group stays public.
    await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    expect(inChat(d, FEISHU.acme).at(-1)).toMatchObject({ method: 'reply', replyInThread: true });

    d.peer.ephemeralRefusal = 230002;
    const again = await d.say(FEISHU.alice, FEISHU.acme, '/claim #1001');
    expect(inChat(d, FEISHU.acme).at(-1)).toMatchObject({
      method: 'reply',
      replyTo: again,
      text: `<at user_id="${FEISHU.alice}"></at> Sorry, /claim is for support engineers only.`,
    });
    await d.log.waitFor(/ephemeral card failed; sending in the chat/);
  });

  it("an image and a file in the ticket's thread are follow-ups whose lines carry their keys", async () => {
    s = await startFeishuDesk();
    const d = s;
    const asked = await d.say(FEISHU.alice, FEISHU.acme, 'the build fails on Node 20', { atBot: true });
    const send = async (n: number, type: string, content: Record<string, unknown>) => {
      const before = d.host.handled.length;
      await d.deliver(
        d.peer.messageEvent({
          eventId: `ev_att_${n}`,
          messageId: `om_att_${n}`,
          from: FEISHU.alice,
          chatId: FEISHU.acme,
          text: '',
          rootId: asked,
          threadId: `omt_${asked}`,
          type,
          content,
        }),
      );
      await d.host.waitHandled(before + 1);
    };
    await send(1, 'image', { image_key: 'img_v3_0abc-def' });
    await send(2, 'file', { file_key: 'file_v3_0123', file_name: 'build.log' });
    const said = (await d.store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
    expect(said.map((e) => e.text)).toEqual([
      'the build fails on Node 20',
      expect.stringContaining('[image] img_v3_0abc-def'),
      expect.stringContaining('[file] build.log file_v3_0123'),
    ]);
    expect(await d.ticket(1002)).toBeUndefined();
  });

  it('a message that does not mention the bot arrives unaddressed; customer text cannot mention everyone', async () => {
    s = await startFeishuDesk();
    const d = s;
    await d.say(FEISHU.alice, FEISHU.acme, 'just chatting');
    expect(d.host.handled.at(-1)).toMatchObject({ addressed: false, text: 'just chatting' });
    await d.say(FEISHU.alice, FEISHU.acme, '<at user_id="all"></at> @_all the build fails', { atBot: true });
    expect(d.host.handled.at(-1)).toMatchObject({ addressed: true });
    await d.say(FEISHU.bob, FEISHU.staff, '/reply #1001 <at user_id="all">everyone</at> hi');
    const sent = d.peer.sent().map((c) => c.text);
    // The staff card quotes the request, and the reply quotes Bob: neither mentions all.
    expect(sent.filter((t) => /<at user_id="all"|@_all/.test(t))).toEqual([]);
  });
});
