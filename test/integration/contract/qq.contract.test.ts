/** The contract conversation through the real QQ adapter and a OneBot v11 client on a real WebSocket. */
import type { Segment } from '../../fakes/onebot-peer';
import { ACME_GROUP, at, BOB, BOT, reverseDesk, STAFF_GROUP, say, sentTo, text } from '../qq/desk.harness';
import { Cleanup } from '../qq/helpers';
import type { ContractPlatform } from './conversation';
import { playConversation } from './conversation';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** The text segments of a sent message, joined. */
const textOf = (message: unknown): string =>
  (message as Segment[])
    .filter((s) => s.type === 'text')
    .map((s) => String(s.data.text))
    .join('')
    .trim();

test('QQ: ask, acknowledge, announce, claim, reply in the group, follow-up, resolve', async () => {
  const qq = await reverseDesk(cleanup);
  const peer = await qq.dial();
  let id = 7000;
  const platform: ContractPlatform = {
    engineer: 'bob',
    customerAsks: (ask) => say(qq, peer, { id: ++id, segments: [at(BOT), text(` ${ask}`)] }),
    customerFollowsUp: (ticket, more) => say(qq, peer, { id: ++id, segments: [text(`#${ticket} ${more}`)] }),
    engineerTypes: (command) =>
      say(qq, peer, { id: ++id, segments: [text(command)], from: BOB, group: STAFF_GROUP, card: 'bob' }),
    customerSaw: async () => sentTo([peer], 'send_group_msg', ACME_GROUP).map((p) => textOf(p.message)),
    staffSaw: async () => sentTo([peer], 'send_group_msg', STAFF_GROUP).map((p) => textOf(p.message)),
    ticket: (n) => qq.store.getTicket(n),
    events: (n) => qq.events(n),
  };
  await playConversation(platform);
});
