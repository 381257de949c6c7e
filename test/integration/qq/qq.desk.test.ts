/**
 * QQ end to end: the real desk (SQLite, router, commands) with the real QQ adapter, and a
 * OneBot v11 client faked on a real WebSocket. Read each test as a conversation: who
 * says what in which QQ group, and what the OneBot client is asked to post in return.
 */
import { ForwardPeer, ReversePeer, type Segment } from '../../fakes/onebot-peer';
import {
  ACME_GROUP,
  ALICE,
  ackText,
  announcementText,
  at,
  BOB,
  BOT,
  customerMessages,
  pushRaw,
  type QqDesk,
  reply,
  reverseDesk,
  STAFF_GROUP,
  say,
  sentTo,
  startQqDesk,
  text,
} from './desk.harness';
import { Cleanup, TOKEN } from './helpers';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

type Peer = ReversePeer | ForwardPeer;

const ASK = [at(BOT), text(' the build fails on Node 20')];

/** Alice asks; #1001 opens. Returns the message id the client gave the acknowledgement. */
async function aliceOpens1001(qq: QqDesk, peer: Peer): Promise<string> {
  await say(qq, peer, { id: 7001, segments: ASK });
  expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
  expect(sentTo([peer], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
  return '9001'; // the fake numbers its sends from 9001
}

describe('QQ desk end to end, reverse WebSocket (the OneBot client dials in like NapCat)', () => {
  test('@bot in the ACME group opens #1001: a quoted, @-mentioned acknowledgement and a staff announcement with text buttons', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    await say(qq, peer, { id: 7001, segments: ASK });

    const [ticket] = await qq.tickets();
    expect(ticket).toMatchObject({
      number: 1001,
      customerId: 'acme',
      status: 'open',
      chatId: String(ACME_GROUP),
    });
    expect(ticket!.subject).toBe('the build fails on Node 20');
    expect(await qq.store.findPersonByIdentity('qq', String(ALICE))).toMatchObject({
      role: 'subscriber',
      customerId: 'acme',
      name: 'Alice (ACME)',
    });
    // The acknowledgement quotes the customer's message, @-mentions her and names the ticket.
    const ack =
      ' Ticket #1001 is open (Basic plan). An engineer will respond within 24 h, by 11-24 10:00 GMT+8. Add details any time by mentioning #1001.';
    expect(sentTo([peer], 'send_group_msg', ACME_GROUP)).toEqual([
      { group_id: ACME_GROUP, message: [reply(7001), at(ALICE), text(ack)] },
    ]);
    // QQ has no buttons: they become lines naming the command to type.
    const announcement = [
      'New ticket #1001 · ACME Corp (Basic) · consultation · P2 · due 11-24 10:00 GMT+8',
      'Alice (ACME): the build fails on Node 20',
      'Claim it with /claim #1001',
      '',
      'Claim: /claim #1001',
      'Resolve: /resolve #1001',
    ].join('\n');
    expect(sentTo([peer], 'send_group_msg', STAFF_GROUP)).toEqual([
      { group_id: STAFF_GROUP, message: [text(announcement)] },
    ]);
    // The helpers later tests use word it the same way.
    expect(ack).toBe(` ${await ackText(qq, 1001)}`);
    expect(announcement).toBe(await announcementText(qq, 1001));
    // The acknowledgement goes out before the announcement; nothing else is sent.
    expect(peer.received('send_group_msg').map((r) => r.params.group_id)).toEqual([ACME_GROUP, STAFF_GROUP]);
    // Both the customer's message and the bot's acknowledgement now lead to the ticket.
    expect((await qq.store.findTicketByMessage('qq', String(ACME_GROUP), '7001'))?.number).toBe(1001);
    expect((await qq.store.findTicketByMessage('qq', String(ACME_GROUP), '9001'))?.number).toBe(1001);
  });

  test('CQ-string follow-ups quoting the customer message or the acknowledgement attach to #1001', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    const ackId = await aliceOpens1001(qq, peer);
    // Past the follow-up window, only an explicit reference attaches a message to a ticket.
    qq.clock.advance(31 * 60_000);
    const stringEvent = (id: number, message: string) => ({
      ...peer.groupMessage({ messageId: id, groupId: ACME_GROUP, userId: ALICE, segments: [] }),
      message,
      message_format: 'string',
    });
    await pushRaw(qq, peer, stringEvent(7002, 'unrelated chatter about lunch'));
    await pushRaw(
      qq,
      peer,
      stringEvent(7003, '[CQ:reply,id=7001]also fails with &#91;ERR&#93; &amp; exit 1'),
    );
    // Quoting the bot makes QQ insert an @bot: still a follow-up, not a new ticket.
    await pushRaw(qq, peer, stringEvent(7004, `[CQ:reply,id=${ackId}][CQ:at,qq=${BOT}] here is the log`));

    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual([
      'the build fails on Node 20',
      'also fails with [ERR] & exit 1',
      'here is the log',
    ]);
    expect((await qq.store.findTicketByMessage('qq', String(ACME_GROUP), '7002'))?.number).toBeUndefined();
    expect((await qq.store.findTicketByMessage('qq', String(ACME_GROUP), '7004'))?.number).toBe(1001);
    // Follow-ups are filed silently: the group got the acknowledgement only.
    expect(sentTo([peer], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
  });

  test('an engineer claims and replies from the staff group; the customer group sees both as text', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    await aliceOpens1001(qq, peer);
    const staffSay = (id: number, segments: readonly Segment[]) =>
      say(qq, peer, { id, segments, from: BOB, group: STAFF_GROUP, card: 'bob' });
    await staffSay(8001, [text('/claim #1001')]);
    await staffSay(8002, [at(BOT), text(' /reply #1001 try X')]);

    expect(sentTo([peer], 'send_group_msg', ACME_GROUP).slice(1)).toEqual([
      { group_id: ACME_GROUP, message: [at(ALICE), text(' #1001: bob is working on your request.')] },
      { group_id: ACME_GROUP, message: [at(ALICE), text(' #1001 · bob: try X')] },
    ]);
    expect(sentTo([peer], 'send_group_msg', STAFF_GROUP).slice(1)).toEqual([
      { group_id: STAFF_GROUP, message: [reply(8001), text('#1001 is now yours, bob.')] },
      { group_id: STAFF_GROUP, message: [reply(8002), text('Reply to #1001 delivered to the customer.')] },
    ]);
    const ticket = await qq.store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'claimed' });
    expect(ticket!.firstResponseAt).toBeDefined();
    expect((await qq.events(1001)).filter((e) => e.kind === 'staff_reply').map((e) => e.text)).toEqual([
      'try X',
    ]);
  });

  test('a customer typing [CQ:at,qq=all] never makes the bot @everyone, in either post format', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    await say(qq, peer, { id: 7101, segments: [at(BOT), text(' [CQ:at,qq=all] help')] });
    // In the string format the client escapes what the customer typed.
    await say(qq, peer, {
      id: 7102,
      segments: [at(BOT), text(' /ticket [CQ:at,qq=all] again')],
      format: 'string',
    });
    await say(qq, peer, { id: 7103, segments: [at(BOT), text(' /status #1001')] });
    await say(qq, peer, {
      id: 8101,
      segments: [text('/reply #1002 [CQ:at,qq=all] done &#91;x&#93;')],
      from: BOB,
      group: STAFF_GROUP,
    });

    expect((await qq.tickets()).map((t) => t.subject)).toEqual([
      '[CQ:at,qq=all] help',
      '[CQ:at,qq=all] again',
    ]);
    expect(sentTo([peer], 'send_group_msg', STAFF_GROUP).slice(0, 2)).toEqual([
      { group_id: STAFF_GROUP, message: [text(await announcementText(qq, 1001))] },
      { group_id: STAFF_GROUP, message: [text(await announcementText(qq, 1002))] },
    ]);
    const toCustomer = sentTo([peer], 'send_group_msg', ACME_GROUP);
    expect(toCustomer.at(-1)).toEqual({
      group_id: ACME_GROUP,
      message: [at(ALICE), text(' #1002 · bob: [CQ:at,qq=all] done &#91;x&#93;')],
    });
    // The /status answer echoes the subject, inside its text segment.
    expect(toCustomer[2]!.message).toEqual([
      reply(7103),
      at(ALICE),
      text(expect.stringContaining('[CQ:at,qq=all] help')),
    ]);
    // Everything the bot sent: segment arrays, no CQ strings, no @all, no auto_escape games.
    for (const request of [...peer.received('send_group_msg'), ...peer.received('send_private_msg')]) {
      const message = request.params.message as Segment[];
      expect(Array.isArray(message)).toBe(true);
      for (const segment of message) {
        expect(['reply', 'at', 'text']).toContain(segment.type);
        if (segment.type === 'at') expect(segment.data.qq).toMatch(/^\d+$/);
      }
    }
  });

  test('a group card with a newline, bidi and zero-width characters is one readable line in the announcement and the relay', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    const MALLORY = 555009;
    const card = 'Mallory\nSYSTEM: #1001 reassigned to you\u202E\u200B\uFEFF\u2066';
    await say(qq, peer, { id: 7201, segments: ASK, from: MALLORY, card });
    const name = 'Mallory SYSTEM: #1001 reassigned to you';
    expect(await qq.store.findPersonByIdentity('qq', String(MALLORY))).toMatchObject({ name });
    expect(sentTo([peer], 'send_group_msg', STAFF_GROUP)).toEqual([
      { group_id: STAFF_GROUP, message: [text(await announcementText(qq, 1001, name))] },
    ]);
    expect(await announcementText(qq, 1001, name)).toContain(`\n${name}: the build fails on Node 20\n`);
    await say(qq, peer, {
      id: 8201,
      segments: [text('/claim #1001')],
      from: BOB,
      group: STAFF_GROUP,
      card: 'bob',
    });
    await say(qq, peer, { id: 7202, segments: [text('#1001 still failing')], from: MALLORY, card });
    // The follow-up reaches bob privately, the name on its line.
    await qq.desk.router.idle();
    expect(sentTo([peer], 'send_private_msg', BOB).map((p) => p.message)).toEqual([
      [text(expect.stringMatching(new RegExp(`^#1001: ${name} added: #1001 still failing\n`)))],
    ]);
  });

  test('two engineers claim #1001 at once in the customer group: the loser is told privately, the customer sees one claim', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    await aliceOpens1001(qq, peer);
    const DAN = 700002;
    await qq.desk.services.directory.setStaff('qq', String(DAN), 'engineer', 'dan');
    const before = qq.host.handled.length;
    for (const [id, from, card] of [
      [8301, BOB, 'bob'],
      [8302, DAN, 'dan'],
    ] as const) {
      peer.push(
        peer.groupMessage({
          messageId: id,
          groupId: ACME_GROUP,
          userId: from,
          segments: [text('/claim #1001')],
          format: 'array',
          card,
        }),
      );
    }
    await qq.host.waitHandled(before + 2);
    await qq.desk.router.idle();
    const winner = (await qq.store.getTicket(1001))!.assigneeId;
    const loser = winner === (await qq.store.findPersonByIdentity('qq', String(BOB)))!.id ? DAN : BOB;
    const inGroup = sentTo([peer], 'send_group_msg', ACME_GROUP).slice(1);
    expect(inGroup).toHaveLength(1);
    expect(JSON.stringify(inGroup)).not.toContain('already claimed');
    // QQ has no ephemeral messages: a temporary session from the group, to the loser alone.
    expect(sentTo([peer], 'send_private_msg', loser)).toEqual([
      {
        user_id: loser,
        group_id: ACME_GROUP,
        message: [text('Ticket #1001 is already claimed by someone else. Use /assign to transfer it.')],
      },
    ]);
  });

  test('the same message twice from one account makes one ticket, one acknowledgement, one announcement', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    await say(qq, peer, { id: 7001, segments: ASK });
    peer.push(peer.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: ASK }));
    await say(qq, peer, { id: 7002, segments: [text('thanks')] }); // handled after the repeat
    expect(qq.host.handled.map((m) => m.messageId)).toEqual(['7001', '7002']);
    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(sentTo([peer], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
    expect(sentTo([peer], 'send_group_msg', STAFF_GROUP)).toHaveLength(1);
  });

  test('a private message from a subscriber gets the pointer to their group, as a private message', async () => {
    const qq = await reverseDesk(cleanup);
    await qq.desk.services.directory.addSubscriber('qq', String(ALICE), 'acme', 'alice');
    const peer = await qq.dial();
    await pushRaw(
      qq,
      peer,
      peer.privateMessage({ messageId: 7201, segments: [text('hi, the build fails')] }),
    );
    expect(peer.received('send_private_msg').map((r) => r.params)).toEqual([
      { user_id: ALICE, message: [reply(7201), text(qq.desk.translator.t('en', 'direct.pointer'))] },
    ]);
    expect(peer.received('send_group_msg')).toHaveLength(0);
    expect(await qq.tickets()).toEqual([]);
  });

  test('a OneBot client with a wrong or missing token is refused and nothing reaches the store', async () => {
    const qq = await reverseDesk(cleanup);
    for (const attempt of [
      { token: 'wrong' },
      { tokenIn: 'none' as const },
      { token: 'wrong', tokenIn: 'query' as const },
    ]) {
      await expect(ReversePeer.dial(qq.url, { selfId: BOT, ...attempt })).rejects.toThrow(/401/);
    }
    expect(qq.adapter.connectedAccounts()).toEqual([]);
    expect(qq.host.handled).toEqual([]);
    expect(await qq.tickets()).toEqual([]);
    expect(await qq.store.findPersonByIdentity('qq', String(ALICE))).toBeUndefined();
    const kinds: string[] = [];
    for await (const record of qq.store.exportAll()) kinds.push(record.kind);
    expect(kinds.filter((k) => k === 'ticket' || k === 'event' || k === 'message_link')).toEqual([]);
  });
});

describe('QQ desk end to end, forward WebSocket (GroupDesk dials the OneBot client)', () => {
  test('the client drops the connection before the acknowledgement: after reconnecting it is delivered, and the ticket exists once', async () => {
    const peer = cleanup.add(await ForwardPeer.listen({ selfId: BOT, token: TOKEN }), (p) => p.close());
    let nextId = 9000;
    let dropped = false;
    peer.onAction('send_group_msg', () => {
      if (!dropped) {
        dropped = true; // the client dies with the send unexecuted
        return 'drop';
      }
      return { data: { message_id: ++nextId } };
    });
    const qq = cleanup.add(await startQqDesk({ ONEBOT_MODE: 'forward', ONEBOT_WS_URL: peer.url }), (d) =>
      d.close(),
    );
    await say(qq, peer, { id: 7001, segments: ASK });

    expect(peer.connections).toBe(2);
    const sends = peer.received('send_group_msg').map((r) => r.params);
    // First attempt lost with the socket, the same acknowledgement again, then the announcement.
    expect(sends).toEqual([
      { group_id: ACME_GROUP, message: [reply(7001), at(ALICE), text(` ${await ackText(qq, 1001)}`)] },
      { group_id: ACME_GROUP, message: [reply(7001), at(ALICE), text(` ${await ackText(qq, 1001)}`)] },
      { group_id: STAFF_GROUP, message: [text(await announcementText(qq, 1001))] },
    ]);
    // The acknowledgement that was delivered (id 9001) is the one linked to the ticket.
    expect((await qq.store.findTicketByMessage('qq', String(ACME_GROUP), '9001'))?.number).toBe(1001);

    // A client that replays the message after reconnecting does not open it twice.
    peer.push(peer.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: ASK }));
    await say(qq, peer, { id: 7002, segments: [text('thanks')] });
    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(peer.received('send_group_msg')).toHaveLength(3);

    // Nor after a GroupDesk restart, when only the store remembers the message.
    const restarted = await qq.restartAdapter();
    await peer.waitForConnections(3);
    await restarted.whenConnected(BOT);
    peer.push(peer.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: ASK }));
    peer.push(
      peer.groupMessage({ messageId: 7003, groupId: ACME_GROUP, userId: ALICE, segments: [text('ok')] }),
    );
    await qq.host.waitHandled(4); // this time the adapter passes the replay on: the router drops it
    expect(qq.host.handled.map((m) => m.messageId)).toEqual(['7001', '7002', '7001', '7003']);
    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(peer.received('send_group_msg')).toHaveLength(3);
  });
});
