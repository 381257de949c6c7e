/** The contract conversation through the real Feishu adapter and SDK: signed, encrypted callbacks; the open platform faked. */
import { FEISHU, type FeishuDesk, startFeishuDesk } from '../feishu/feishu.desk.harness';
import { type ContractPlatform, playConversation } from './conversation';

let f: FeishuDesk | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

test('Feishu: ask, acknowledge, announce, claim, reply in the ticket thread, follow-up, resolve', async () => {
  const d = await startFeishuDesk();
  f = d;
  const threadOf = async (ticket: number) => {
    const threadId = (await d.ticket(ticket))?.threadId;
    if (threadId === undefined) throw new Error(`#${ticket} has no thread`);
    return threadId;
  };
  const platform: ContractPlatform = {
    engineer: 'bob',
    customerAsks: async (ask) => {
      await d.say(FEISHU.alice, FEISHU.acme, ask, { atBot: true });
    },
    customerFollowsUp: async (ticket, more) => {
      await d.say(FEISHU.alice, FEISHU.acme, more, { rootId: await threadOf(ticket) });
    },
    engineerTypes: async (command) => {
      await d.say(FEISHU.bob, FEISHU.staff, command);
    },
    customerSaw: async (ticket) => {
      const thread = await threadOf(ticket);
      return d.peer
        .sent()
        .filter((c) => c.to === FEISHU.acme && c.rootId === thread && c.replyInThread === true)
        .map((c) => c.text);
    },
    staffSaw: async () =>
      d.peer
        .sent()
        .filter((c) => c.to === FEISHU.staff)
        .map((c) => c.text),
    ticket: (n) => d.ticket(n),
    events: (n) => d.store.listEvents(n),
  };
  await playConversation(platform);
  // The thread is the ticket: nothing of it went to the customer group's top level.
  expect(d.peer.sent().filter((c) => c.to === FEISHU.acme && c.method === 'create')).toEqual([]);
});
