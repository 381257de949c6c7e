/** The contract conversation through the real DingTalk adapter and `dingtalk-stream` SDK; the open platform faked. */
import { type DingtalkDesk, DT, startDingtalkDesk } from '../dingtalk/dingtalk.desk.harness';
import { type ContractPlatform, playConversation } from './conversation';

let d: DingtalkDesk | undefined;
afterEach(async () => {
  await d?.close();
  d = undefined;
});

test('DingTalk: ask, acknowledge, announce, claim, reply in the group, follow-up by #number, resolve', async () => {
  const desk = await startDingtalkDesk();
  d = desk;
  const saw = (chat: string) => desk.peer.sent.filter((s) => s.to === chat).map((s) => s.text);
  const platform: ContractPlatform = {
    engineer: 'bob',
    customerAsks: async (ask) => {
      await desk.say(DT.alice, DT.acme, ask);
    },
    customerFollowsUp: async (ticket, more) => {
      await desk.say(DT.alice, DT.acme, `#${ticket} ${more}`);
    },
    engineerTypes: async (command) => {
      await desk.say(DT.bob, DT.staff, command);
    },
    customerSaw: async () => saw(DT.acme),
    staffSaw: async () => saw(DT.staff),
    ticket: (n) => desk.ticket(n),
    events: (n) => desk.store.listEvents(n),
  };
  await playConversation(platform);
  // Answers in the customer group went through its session webhook; the staff group had said
  // nothing yet when the ticket was announced, so that one went through the OpenAPI, and the
  // staff group's answers after its first command through its own webhook.
  expect(desk.peer.sent.filter((s) => s.to === DT.acme).map((s) => s.via)).toEqual(
    Array(saw(DT.acme).length).fill('webhook'),
  );
  expect(desk.peer.sent.filter((s) => s.to === DT.staff).map((s) => s.via)).toEqual([
    'group',
    ...Array(saw(DT.staff).length - 1).fill('webhook'),
  ]);
  expect(desk.peer.tokensIssued).toBe(1);
});
