/** The contract conversation through the real Slack adapter: Bolt on 127.0.0.1 with signed requests, the Web API faked. */
import { nextTs, SLACK, type SlackDesk, said, startSlackDesk } from '../slack/slack.desk.harness';
import { type ContractPlatform, playConversation } from './conversation';

let s: SlackDesk | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

test('Slack: ask, acknowledge, announce, claim, reply in the ticket thread, follow-up, resolve', async () => {
  const desk = await startSlackDesk();
  s = desk;
  let requests = 0;
  /** Delivers one inbound (an event, a slash command) and waits until the desk has handled it. */
  const handled = async (deliver: () => Promise<{ status: number }>) => {
    const before = desk.host.handled.length;
    expect((await deliver()).status).toBe(200);
    await desk.host.waitHandled(before + 1);
  };
  const threadOf = async (ticket: number) => {
    const threadId = (await desk.ticket(ticket))?.threadId;
    if (threadId === undefined) throw new Error(`#${ticket} has no thread`);
    return threadId;
  };
  const posts = (channel: string) =>
    desk.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === channel);
  const platform: ContractPlatform = {
    engineer: 'bob',
    customerAsks: async (ask) => {
      const message = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> ${ask}`, { ts: nextTs() });
      // Slack sends a mention twice, as app_mention and as message: the pair is one request.
      expect((await desk.event({ ...message, type: 'app_mention', channel_type: undefined })).status).toBe(
        200,
      );
      await handled(() => desk.event(message));
    },
    customerFollowsUp: async (ticket, more) => {
      const thread_ts = await threadOf(ticket);
      await handled(() => desk.event(said(SLACK.alice, SLACK.acme, more, { thread_ts })));
    },
    // Engineers use the slash command (/gd claim …); Slack answers the engineer privately.
    engineerTypes: (command) => {
      const id = `contract${++requests}`;
      return handled(() => desk.command(SLACK.bob, SLACK.staff, command.replace(/^\//, ''), id));
    },
    customerSaw: async (ticket) => {
      const thread = await threadOf(ticket);
      return posts(SLACK.acme)
        .filter((c) => c.params.thread_ts === thread)
        .map((c) => String(c.params.text));
    },
    // What the staff see in their channel: posts there and the private answers to their commands.
    staffSaw: async () =>
      desk.fake.calls
        .filter(
          (c) =>
            (c.method === 'chat.postMessage' && c.params.channel === SLACK.staff) ||
            (c.method === 'response_url' && String(c.path).startsWith('/response/contract')),
        )
        .map((c) => String(c.params.text)),
    ticket: (n) => desk.ticket(n),
    events: (n) => desk.store.listEvents(n),
  };
  await playConversation(platform);
  // The thread is the ticket: nothing of it went to the channel's top level.
  expect(posts(SLACK.acme).filter((c) => c.params.thread_ts === undefined)).toEqual([]);
});
