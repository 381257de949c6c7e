/**
 * The whole desk on Discord, end to end: real discord.js against the local REST + gateway
 * peer, the real router, commands and SQLite store. Read as transcripts: who says what
 * where, and what the bot posts back.
 */
import { ACME, APP, BOT, DiscordDesk, GLOBEX, GUILD, PEOPLE, ROLE, STAFF } from './desk-harness';

let rig: DiscordDesk;
beforeEach(async () => {
  rig = await DiscordDesk.start();
});
afterEach(() => rig.close());

const { alice } = PEOPLE;

/** Alice asks in her channel; resolves with her message and the ticket's thread. */
async function aliceAsks(text = 'build fails on Node 20') {
  const asked = rig.say('alice', ACME, `<@${BOT}> ${text}`);
  await rig.settled(asked.id);
  const thread = rig.peer.threadOf(asked.id);
  if (!thread) throw new Error('no thread was started on the customer message');
  return { asked, thread };
}

describe('Discord desk: a customer opens a ticket', () => {
  it("quotes the customer's **bold**, strike, spoilers and code fences to staff escaped, as typed", async () => {
    await aliceAsks('**URGENT** __all__ ~~down~~ since ```deploy``` see `rm` ||spoiler||');
    const [announcement] = rig.posts(STAFF);
    const embeds = announcement!.embeds as Array<{ description: string }>;
    const description = String(embeds[0]!.description);
    // discord.js escapeMarkdown: every marker backslashed, so Discord shows it literally.
    expect(description).toBe(
      '\\*\\*URGENT\\*\\* \\_\\_all\\_\\_ \\~\\~down\\~\\~ since \\`\\`\\`deploy\\`\\`\\` see \\`rm\\` \\|\\|spoiler\\|\\|',
    );
  });

  it('starts a thread on the message, acknowledges in it and announces to staff with buttons', async () => {
    const { asked, thread } = await aliceAsks();

    const start = rig.peer.calls.find((c) => c.path === `/channels/${ACME}/messages/${asked.id}/threads`);
    expect(start?.method).toBe('POST');
    expect(String(start?.body?.name)).toMatch(/^Ticket #1001 is open/);

    const [ack, ...more] = rig.posts(thread);
    expect(more).toEqual([]);
    expect(ack?.content).toMatch(new RegExp(`^<@${alice.id}> Ticket #1001 is open \\(Basic plan\\)`));
    expect(ack?.allowed_mentions).toEqual({ parse: [], users: [alice.id], replied_user: false });
    // The outbox row's id, so that a retry after a lost answer does not post twice.
    const [row] = await rig.store.listOutbound({ chat: `discord:${ACME}` });
    expect(ack).toMatchObject({ nonce: `${row!.idempotencyId}0`, enforce_nonce: true });
    expect(rig.posts(ACME)).toEqual([]); // nothing in the channel itself: the thread is the ticket

    const ticket = await rig.ticket(1001);
    expect(ticket).toMatchObject({ customerId: 'acme', status: 'open', threadId: thread });
    expect(ticket?.subject).toBe('build fails on Node 20');

    const [announcement, ...others] = rig.posts(STAFF);
    expect(others).toEqual([]);
    // The announcement is a ticket card (an embed) with the buttons.
    expect(announcement?.content).toBe('');
    expect(announcement?.embeds).toEqual([
      {
        title: 'New ticket #1001',
        description: 'build fails on Node 20',
        fields: [
          { name: 'Customer', value: 'ACME Corp', inline: true },
          { name: 'Plan', value: 'Basic', inline: true },
          { name: 'Category', value: 'consultation', inline: true },
          { name: 'Priority', value: 'P2', inline: true },
          { name: 'First response due', value: expect.stringMatching(/^\d\d-\d\d \d\d:\d\d /), inline: true },
          { name: 'Requester', value: expect.any(String), inline: true },
        ],
        footer: { text: 'Claim it with /claim #1001' },
      },
    ]);
    expect(announcement?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
    expect(announcement?.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 2, label: 'Claim', custom_id: '/claim #1001' },
          { type: 2, style: 2, label: 'Resolve', custom_id: '/resolve #1001' },
        ],
      },
    ]);
  });
});

describe('Discord desk: the conversation in the ticket thread', () => {
  it('takes a customer message in the thread as a follow-up and an engineer reply as the first response', async () => {
    const { thread } = await aliceAsks();
    const followUp = rig.say('alice', thread, 'it also fails on Node 22');
    await rig.settled(followUp.id);
    const answer = rig.say('bob', thread, 'Which OS are you on?');
    await rig.settled(answer.id);

    const events = await rig.store.listEvents(1001);
    const messages = events.filter((e) => e.kind === 'customer_message' || e.kind === 'staff_reply');
    expect(messages.map((e) => [e.kind, e.text])).toEqual([
      ['customer_message', 'build fails on Node 20'],
      ['customer_message', 'it also fails on Node 22'],
      ['staff_reply', 'Which OS are you on?'],
    ]);
    const ticket = await rig.ticket(1001);
    expect(ticket?.firstResponseAt).toBeDefined();
    expect(await rig.ticket(1002)).toBeUndefined();
    expect(rig.posts(thread)).toHaveLength(1); // only the acknowledgement: the bot keeps quiet
  });
});

describe('Discord desk: the conversation in the ticket thread (after a restart)', () => {
  it('keeps a thread the client has not cached (archived, or started before a restart) with its ticket', async () => {
    const { thread } = await aliceAsks();
    await rig.restartAdapter(); // GUILD_CREATE lists no threads: the new client has never seen it
    const followUp = rig.say('alice', thread, 'still failing with 2.3.1');
    await rig.settled(followUp.id);
    const events = await rig.store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toEqual([
      'build fails on Node 20',
      'still failing with 2.3.1',
    ]);
    expect(rig.posts(thread)).toHaveLength(1);
  });
});

describe('Discord desk: slash commands', () => {
  it('/claim from the staff channel: deferred ephemeral, answered in @original, customer told in the thread', async () => {
    const { thread } = await aliceAsks();
    const claim = rig.slash('bob', STAFF, 'claim', { ticket: 1001 });
    await rig.settled(claim.messageId);

    const callback = await rig.peer.waitForCall(
      (c) => c.path === `/interactions/${claim.id}/${claim.token}/callback`,
    );
    expect(callback.body).toEqual({ type: 5, data: { flags: 64 } });
    const original = `/webhooks/${APP}/${claim.token}/messages/@original`;
    const edit = await rig.peer.waitForCall((c) => c.method === 'PATCH' && c.path === original);
    expect(edit.body?.content).toBe('#1001 is now yours, Bob.');
    expect(rig.peer.calls.some((c) => c.method === 'DELETE' && c.path === original)).toBe(false);

    expect(rig.posts(thread).map((b) => b.content)).toEqual([
      expect.stringMatching(/Ticket #1001 is open/),
      `<@${alice.id}> #1001: Bob is working on your request.`,
    ]);
    expect(rig.posts(STAFF)).toHaveLength(1); // the announcement only
    const bob = await rig.store.findPersonByIdentity('discord', PEOPLE.bob.id);
    expect(await rig.ticket(1001)).toMatchObject({ status: 'claimed', assigneeId: bob?.id });
  });

  it('/reply posts into the ticket thread and records the first response', async () => {
    const { thread } = await aliceAsks();
    const reply = rig.slash('bob', STAFF, 'reply', { ticket: 1001, text: 'Clear the cache, then retry' });
    await rig.settled(reply.messageId);

    expect(rig.posts(thread).at(-1)).toMatchObject({
      content: `<@${alice.id}> #1001 · Bob: Clear the cache, then retry`,
      allowed_mentions: { parse: [], users: [alice.id], replied_user: false },
    });
    const original = `/webhooks/${APP}/${reply.token}/messages/@original`;
    const edit = await rig.peer.waitForCall((c) => c.method === 'PATCH' && c.path === original);
    expect(edit.body?.content).toBe('Reply to #1001 delivered to the customer.');
    expect(rig.posts(STAFF)).toHaveLength(1);
    expect((await rig.ticket(1001))?.firstResponseAt).toBeDefined();
  });

  it('/ticket from the customer channel opens a ticket whose thread hangs off the acknowledgement', async () => {
    const asked = rig.slash('alice', ACME, 'ticket', { text: 'How do I rotate the API keys?' });
    await rig.settled(asked.messageId);

    const [ack, ...more] = rig.posts(ACME);
    expect(more).toEqual([]);
    expect(ack?.content).toMatch(new RegExp(`^<@${alice.id}> Ticket #1001 is open`));
    const start = rig.peer.calls.find((c) => c.method === 'POST' && c.path.endsWith('/threads'));
    expect(start?.path).toMatch(new RegExp(`^/channels/${ACME}/messages/\\d+/threads$`));
    const ticket = await rig.ticket(1001);
    expect(ticket?.threadId).toBeDefined();
    expect(rig.peer.parentOf(ticket?.threadId ?? '')).toBe(ACME);
    await rig.peer.waitForCall((c) => c.method === 'DELETE' && c.path.includes(asked.token));

    const followUp = rig.say('alice', ticket?.threadId ?? '', 'we use v3.2');
    await rig.settled(followUp.id);
    expect((await rig.store.listEvents(1001)).filter((e) => e.kind === 'customer_message')).toHaveLength(2);
  });
});

describe('Discord desk: ticket autocomplete', () => {
  const choices = async (who: 'alice' | 'bob' | 'erin', channelId: string, command: string) => {
    const asked = rig.interact(who, channelId, 4, {
      id: '1',
      name: command,
      type: 1,
      options: [{ name: 'ticket', type: 4, value: '', focused: true }],
    });
    const answer = await rig.peer.waitForCall(
      (c) => c.path === `/interactions/${asked.id}/${asked.token}/callback`,
    );
    expect(answer.body?.type).toBe(8);
    const data = answer.body?.data as { choices: Array<{ name: string; value: number }> };
    return data.choices.map((c) => c.name).sort();
  };

  it("offers a subscriber only their customer's tickets and an engineer everyone's", async () => {
    await aliceAsks();
    const erin = rig.say('erin', GLOBEX, `<@${BOT}> SSO login loops`);
    await rig.settled(erin.id);
    expect((await rig.ticket(1002))?.customerId).toBe('globex');

    expect(await choices('alice', ACME, 'status')).toEqual(['#1001 build fails on Node 20']);
    expect(await choices('erin', ACME, 'status')).toEqual([]); // another customer's subscriber
    expect(await choices('bob', STAFF, 'claim')).toEqual([
      '#1001 build fails on Node 20',
      '#1002 SSO login loops',
    ]);
  });
});

describe('Discord desk: refusals', () => {
  it('refuses /claim from a non-engineer privately and leaves the ticket alone', async () => {
    const { thread } = await aliceAsks();
    const before = await rig.ticket(1001);
    const claim = rig.slash('alice', ACME, 'claim', { ticket: 1001 });
    await rig.settled(claim.messageId);

    const original = `/webhooks/${APP}/${claim.token}/messages/@original`;
    const edit = await rig.peer.waitForCall((c) => c.method === 'PATCH' && c.path === original);
    expect(edit.body?.content).toBe('Sorry, /claim is for support engineers only.');
    expect(rig.posts(ACME)).toEqual([]);
    expect(rig.posts(thread)).toHaveLength(1);
    expect(await rig.ticket(1001)).toEqual(before);
  });

  it('refuses the Claim button pressed by someone who is not staff, and obeys an engineer', async () => {
    const { thread } = await aliceAsks();
    const before = await rig.ticket(1001);
    const press = rig.interact('mallory', STAFF, 3, { custom_id: '/claim #1001', component_type: 2 });
    await rig.settled(press.messageId);

    const original = `/webhooks/${APP}/${press.token}/messages/@original`;
    const edit = await rig.peer.waitForCall((c) => c.method === 'PATCH' && c.path === original);
    expect(edit.body?.content).toBe('Sorry, /claim is for support engineers only.');
    expect(rig.posts(STAFF)).toHaveLength(1); // the announcement only
    expect(await rig.ticket(1001)).toEqual(before);
    expect(await rig.store.findPersonByIdentity('discord', PEOPLE.mallory.id)).toBeUndefined();

    const bobPresses = rig.interact('bob', STAFF, 3, { custom_id: '/claim #1001', component_type: 2 });
    await rig.settled(bobPresses.messageId);
    expect((await rig.ticket(1001))?.status).toBe('claimed');
    expect(rig.posts(thread).at(-1)?.content).toBe(`<@${alice.id}> #1001: Bob is working on your request.`);
  });

  it('answers refusals and help in the customer channel by quoting, never with a thread', async () => {
    const help = rig.say('alice', ACME, `<@${BOT}> /help`);
    await rig.settled(help.id);
    const claim = rig.say('mallory', ACME, '/claim #1001');
    await rig.settled(claim.id);

    const [helpAnswer, refusal, ...more] = rig.posts(ACME);
    expect(more).toEqual([]);
    expect(helpAnswer?.content).toContain('Commands you can use here:');
    expect(helpAnswer?.message_reference).toEqual({ message_id: help.id, fail_if_not_exists: false });
    expect(refusal?.content).toContain('/claim is for support engineers only.');
    expect(refusal?.message_reference).toEqual({ message_id: claim.id, fail_if_not_exists: false });
    expect(rig.peer.calls.filter((c) => c.path.endsWith('/threads'))).toEqual([]);
    expect(await rig.ticket(1001)).toBeUndefined();
  });
});

describe('Discord desk: redelivery', () => {
  const onlyOneTicket = async (thread: string) => {
    expect(await rig.ticket(1002)).toBeUndefined();
    expect(rig.peer.calls.filter((c) => c.path.endsWith('/threads'))).toHaveLength(1);
    expect(rig.posts(thread)).toHaveLength(1);
    expect(rig.posts(STAFF)).toHaveLength(1);
  };

  it('makes one ticket of a duplicated MESSAGE_CREATE', async () => {
    const { asked, thread } = await aliceAsks();
    rig.peer.dispatch(
      'MESSAGE_CREATE',
      rig.messagePayload('alice', ACME, `<@${BOT}> build fails on Node 20`, asked.id),
    );
    const marker = rig.say('alice', thread, 'any news?');
    await rig.settled(marker.id);
    expect(rig.timesHanded(asked.id)).toBe(1); // the adapter drops it
    await onlyOneTicket(thread);
  });

  it('makes one ticket when a resumed gateway replays the message', async () => {
    const { asked, thread } = await aliceAsks();
    rig.peer.resumeOverlap = 1; // the resume replays Alice's message, already handled
    const resumed = new Promise<void>((resolve) =>
      rig.peer.on('gateway', (op: number) => op === 6 && resolve()),
    );
    rig.peer.requestReconnect();
    await resumed;
    const marker = rig.say('alice', thread, 'any news?');
    await rig.settled(marker.id);
    expect(rig.peer.replayed.map((p) => (p.d as { id?: string }).id)).toContain(asked.id);
    expect(rig.timesHanded(asked.id)).toBe(1);
    await onlyOneTicket(thread);
  });

  it('makes one ticket when the message comes again after a restart (the store remembers)', async () => {
    const { asked, thread } = await aliceAsks();
    await rig.restartAdapter();
    const again = rig.say('alice', ACME, `<@${BOT}> build fails on Node 20`, { id: asked.id });
    await rig.settled(again.id);
    expect(rig.timesHanded(asked.id)).toBe(1); // the new adapter handed it on: the router dropped it
    await onlyOneTicket(thread);
  });
});

describe('Discord desk: mentions in customer text', () => {
  it('never pings from the announcement or the acknowledgement', async () => {
    const { thread } = await aliceAsks(`@everyone <@&${ROLE}> prod is down, @here help`);
    const [announcement] = rig.posts(STAFF);
    const content = JSON.stringify(announcement?.embeds);
    expect(content).toContain('prod is down');
    expect(content).not.toMatch(/@everyone|@here|<@&/);
    expect(content).toContain('@\u200beveryone');
    expect(announcement?.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });
    for (const body of [...rig.posts(thread), ...rig.posts(STAFF)]) {
      expect((body.allowed_mentions as { parse: unknown[] }).parse).toEqual([]);
    }
  });
});

describe('Discord desk: native commands', () => {
  it('registers one slash command per GroupDesk command, with typed options', async () => {
    const [put, ...more] = rig.peer.calls.filter((c) => c.method === 'PUT');
    expect(more).toEqual([]);
    expect(put?.path).toBe(`/applications/${APP}/guilds/${GUILD}/commands`);
    const body = put?.body as unknown as Array<{ name: string; options: Array<Record<string, unknown>> }>;
    expect(body.map((c) => c.name)).toEqual(rig.desk.registry.all().map((s) => s.name));
    const options = (name: string) =>
      body.find((c) => c.name === name)?.options.map((o) => [o.name, o.type, o.required, o.autocomplete]);
    expect(options('claim')).toEqual([['ticket', 4, true, true]]);
    expect(options('reply')).toEqual([
      ['ticket', 4, true, true],
      ['text', 3, true, undefined],
    ]);
    expect(options('ticket')).toEqual([
      ['text', 3, true, undefined],
      ['category', 3, false, undefined],
    ]);
    expect(options('assign')).toEqual([
      ['ticket', 4, true, true],
      ['who', 6, true, undefined],
    ]);
    expect(options('help')).toEqual([['command', 3, false, undefined]]);
    const category = body.find((c) => c.name === 'ticket')?.options.find((o) => o.name === 'category');
    expect(category?.choices).toEqual(
      expect.arrayContaining([{ name: 'consultation', value: 'consultation' }]),
    );
  });

  it("describes each command and option in the reader's client language too", async () => {
    const [put] = rig.peer.calls.filter((c) => c.method === 'PUT');
    type Described = { description: string; description_localizations?: Record<string, string> };
    const body = put?.body as unknown as Array<
      Described & { name: string; options: Array<Described & { name: string }> }
    >;
    const claim = body.find((c) => c.name === 'claim');
    expect(claim?.description).toBe(rig.desk.translator.t('en', 'cmd.claim.help'));
    expect(claim?.description_localizations).toEqual({
      'zh-CN': rig.desk.translator.t('zh-CN', 'cmd.claim.help'),
      'en-US': rig.desk.translator.t('en', 'cmd.claim.help'),
      'en-GB': rig.desk.translator.t('en', 'cmd.claim.help'),
    });
    expect(claim?.description_localizations?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    const ticket = claim?.options.find((o) => o.name === 'ticket');
    expect(ticket?.description_localizations?.['zh-CN']).toBe(rig.desk.translator.t('zh-CN', 'param.ticket'));
    for (const command of body) {
      for (const text of Object.values(command.description_localizations ?? {})) {
        expect(text.length).toBeLessThanOrEqual(100);
      }
    }
  });
});
