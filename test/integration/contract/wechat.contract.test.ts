/** The contract conversation through the real WeChat adapter on Wechaty over wechaty-puppet-mock. */
import { type DeskWorld, deskWorld } from '../wechat/desk-world';
import { type ContractPlatform, playConversation } from './conversation';

let world: DeskWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

test('WeChat: ask, acknowledge, announce, claim, reply in the room, follow-up, resolve', async () => {
  const w = await deskWorld();
  world = w;
  const { alice, erin, rooms } = w;
  const platform: ContractPlatform = {
    engineer: 'Erin',
    customerAsks: async (ask) => {
      w.say(alice, rooms.acme, ask, true);
      await w.settled();
    },
    customerFollowsUp: async (ticket, more) => {
      w.say(alice, rooms.acme, `#${ticket} ${more}`);
      await w.settled();
    },
    engineerTypes: async (command) => {
      w.say(erin, rooms.staff, command);
      await w.settled();
    },
    customerSaw: async () => [...w.outbox(rooms.acme).texts],
    staffSaw: async () => [...w.outbox(rooms.staff).texts],
    ticket: (n) => w.store.getTicket(n),
    events: (n) => w.store.listEvents(n),
  };
  await playConversation(platform);
});
