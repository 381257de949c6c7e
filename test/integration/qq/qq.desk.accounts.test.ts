/**
 * QQ end to end with two bot accounts in the same groups (two NapCat instances dialling
 * one GroupDesk). Each account sees every group message, including what the other account
 * posts: the desk must still act once per customer message and never talk to itself.
 */
import type { Segment } from '../../fakes/onebot-peer';
import {
  ACME_GROUP,
  ALICE,
  ackText,
  at,
  BOB,
  BOT,
  BOT2,
  customerMessages,
  reply,
  reverseDesk,
  STAFF_GROUP,
  say,
  sentTo,
  text,
} from './desk.harness';
import { Cleanup } from './helpers';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const ASK: Segment[] = [at(BOT), text(' the build fails on Node 20')];

async function twoAccounts() {
  const qq = await reverseDesk(cleanup);
  const one = await qq.dial(BOT, 'DeskBot');
  const two = await qq.dial(BOT2, 'DeskBot 2');
  const handled = () => qq.host.handled.map((m) => `${m.account}:${m.messageId}`);
  return { qq, one, two, handled };
}

describe('QQ desk end to end, two bot accounts in one group', () => {
  test('the same message id from both accounts: one ticket, one acknowledgement, one announcement', async () => {
    const { qq, one, two, handled } = await twoAccounts();
    await say(qq, one, { id: 7001, segments: ASK });
    two.push(two.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: ASK }));
    await say(qq, two, { id: 7002, segments: [text('ok')] }); // handled after the copy
    expect(handled()).toEqual([`${BOT}:7001`, `${BOT2}:7002`]);
    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(sentTo([one, two], 'send_group_msg', ACME_GROUP)).toEqual([
      { group_id: ACME_GROUP, message: [reply(7001), at(ALICE), text(` ${await ackText(qq, 1001)}`)] },
    ]);
    expect(one.received('send_group_msg')).toHaveLength(2); // the acknowledgement and the announcement
    expect(sentTo([one, two], 'send_group_msg', STAFF_GROUP)).toHaveLength(1);
  });

  test('each client numbering the message its own way (NapCat): still one ticket, answered by the first account to see it', async () => {
    const { qq, one, two, handled } = await twoAccounts();
    // Alice @-mentions both bots; the second account's client happens to report it first.
    const both = [at(BOT), at(BOT2), text(' second question')];
    await say(qq, two, { id: 52001, segments: both });
    one.push(one.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: both }));
    await say(qq, one, { id: 7002, segments: [text('ok')] });
    expect(handled()).toEqual([`${BOT2}:52001`, `${BOT}:7002`]);
    expect((await qq.tickets()).map((t) => [t.number, t.subject])).toEqual([[1001, 'second question']]);
    // The answer comes from that account and quotes its client's message id.
    expect(two.received('send_group_msg').map((r) => r.params)).toEqual([
      { group_id: ACME_GROUP, message: [reply(52001), at(ALICE), text(` ${await ackText(qq, 1001)}`)] },
    ]);
    // Announcements belong to no conversation: the longest-connected account posts them.
    expect(one.received('send_group_msg').map((r) => r.params.group_id)).toEqual([STAFF_GROUP]);
  });

  test('@ the other account addresses the desk too: its copy, arriving first, opens the ticket', async () => {
    const { qq, one, two } = await twoAccounts();
    await say(qq, two, { id: 52001, segments: ASK }); // @BOT, seen by BOT2 first
    one.push(one.groupMessage({ messageId: 7001, groupId: ACME_GROUP, userId: ALICE, segments: ASK }));
    await say(qq, one, { id: 7002, segments: [text('ok')] });
    expect((await qq.tickets()).map((t) => [t.number, t.subject])).toEqual([
      [1001, 'the build fails on Node 20'],
    ]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(sentTo([one, two], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
  });

  test("one account's acknowledgement, seen by the other, is not a customer message (not even in auto mode)", async () => {
    const { qq, one, two } = await twoAccounts();
    const group = (await qq.store.getGroup('qq', String(ACME_GROUP)))!;
    await qq.desk.services.directory.setAutoMode(group, true);
    await say(qq, one, { id: 7001, segments: ASK });
    const ack = [reply(7001), at(ALICE), text(` ${await ackText(qq, 1001)}`)];
    const fromOne = { userId: Number(BOT), nickname: 'DeskBot' };
    two.push(two.groupMessage({ messageId: 52002, groupId: ACME_GROUP, segments: ack, ...fromOne }));
    // …and its new-ticket announcement in the staff group.
    const announcement = [text('New ticket #1001 · ACME Corp\nClaim it with /claim #1001')];
    two.push(
      two.groupMessage({ messageId: 52003, groupId: STAFF_GROUP, segments: announcement, ...fromOne }),
    );
    // Later messages on the same socket, in both groups, are handled after those two.
    await say(qq, two, { id: 52004, segments: [text('ok')] });
    await say(qq, two, { id: 52005, segments: [text('ok')], from: BOB, group: STAFF_GROUP });
    expect(qq.host.handled.map((m) => m.messageId)).toEqual(['7001', '52004', '52005']);
    expect(await qq.store.findPersonByIdentity('qq', BOT)).toBeUndefined();
    expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
    expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20']);
    expect(sentTo([one, two], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
    expect(sentTo([one, two], 'send_group_msg', STAFF_GROUP)).toHaveLength(1);
  });

  test("an engineer's command seen by both accounts runs once", async () => {
    const { qq, one, two } = await twoAccounts();
    await say(qq, one, { id: 7001, segments: ASK });
    const claim = { segments: [text('/reply #1001 try X')], from: BOB, group: STAFF_GROUP, card: 'bob' };
    await say(qq, one, { id: 8001, ...claim });
    two.push(
      two.groupMessage({ messageId: 8001, groupId: STAFF_GROUP, userId: BOB, segments: claim.segments }),
    );
    await say(qq, two, { id: 8002, segments: [text('ok')], from: BOB, group: STAFF_GROUP });
    expect(sentTo([one, two], 'send_group_msg', ACME_GROUP).slice(1)).toEqual([
      { group_id: ACME_GROUP, message: [at(ALICE), text(' #1001 · bob: try X')] },
    ]);
    expect((await qq.events(1001)).filter((e) => e.kind === 'staff_reply')).toHaveLength(1);
  });
});
