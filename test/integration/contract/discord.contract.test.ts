/** The contract conversation through the real Discord adapter and the local REST + gateway peer. */
import { ACME, BOT, DiscordDesk, STAFF } from '../discord/desk-harness';
import { type ContractPlatform, playConversation } from './conversation';

/** What a reader sees of a posted message: its content and any embed (a ticket card), as lines. */
function textOf(body: Record<string, unknown>): string {
  type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
  const embeds = (body.embeds ?? []) as Embed[];
  return [
    String(body.content ?? ''),
    ...embeds.flatMap((e) => [
      e.title,
      e.description,
      ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`),
    ]),
  ]
    .filter((line) => line !== undefined && line !== '')
    .join('\n');
}

let rig: DiscordDesk;
beforeEach(async () => {
  rig = await DiscordDesk.start();
});
afterEach(() => rig.close());

test('Discord: ask, acknowledge, announce, claim, reply in the ticket thread, follow-up, resolve', async () => {
  const contents = (channelId: string) => rig.posts(channelId).map(textOf);
  const threadOf = async (ticket: number) => {
    const threadId = (await rig.ticket(ticket))?.threadId;
    if (threadId === undefined) throw new Error(`#${ticket} has no thread`);
    return threadId;
  };
  const platform: ContractPlatform = {
    engineer: 'Bob',
    customerAsks: (ask) => rig.settled(rig.say('alice', ACME, `<@${BOT}> ${ask}`).id),
    customerFollowsUp: async (ticket, more) => rig.settled(rig.say('alice', await threadOf(ticket), more).id),
    engineerTypes: (command) => rig.settled(rig.say('bob', STAFF, command).id),
    customerSaw: async (ticket) => contents(await threadOf(ticket)),
    staffSaw: async () => contents(STAFF),
    ticket: (n) => rig.ticket(n),
    events: (n) => rig.store.listEvents(n),
  };
  await playConversation(platform);
  expect(contents(ACME)).toEqual([]); // on Discord the thread is the ticket: nothing in the channel itself
});
