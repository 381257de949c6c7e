/**
 * WeChat quotes ("引用") through the real adapter on Wechaty + wechaty-puppet-mock: puppets
 * deliver a quoting message as text (quote, dashed line, reply). Quoting the bot's
 * acknowledgement attaches to its ticket; an engineer answering under a quote of the
 * customer's question answers that ticket.
 */
import { AT, type DeskWorld, deskWorld } from './desk-world';

const LINE = '- - - - - - - - - - - - - - -';
const HOUR = 3_600_000;

describe('GroupDesk on WeChat: quotes', () => {
  let world: DeskWorld;
  afterEach(async () => {
    await world?.close();
  });

  const customerMessages = async (ticket: number) =>
    (await world.store.listEvents(ticket)).filter((e) => e.kind === 'customer_message').map((e) => e.text);

  it('a reply under a quote of the acknowledgement attaches to that ticket, long after the follow-up window', async () => {
    world = await deskWorld();
    const { alice, rooms } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    world.clock.advance(2 * HOUR);
    world.say(alice, rooms.acme, 'export to PDF crops the last page', true);
    await world.settled();
    const ack = world.outbox(rooms.acme).texts[0]!;
    expect(ack).toContain('#1001');

    world.clock.advance(2 * HOUR);
    world.say(alice, rooms.acme, `「DeskBot：${ack}」\n${LINE}\nhere is the log: ld: symbol not found`);
    await world.settled();
    expect(await customerMessages(1001)).toEqual([
      'the build fails on Node 20',
      'here is the log: ld: symbol not found', // the quote itself is not repeated on the ticket
    ]);
    expect(await customerMessages(1002)).toEqual(['export to PDF crops the last page']);
    expect(await world.store.getTicket(1003)).toBeUndefined();
    expect(world.outbox(rooms.acme).texts).toHaveLength(2); // recorded silently
  });

  it("an engineer's answer under a quote of the customer's question is that ticket's first response", async () => {
    world = await deskWorld();
    const { alice, erin, rooms, store } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    world.clock.advance(HOUR);
    world.say(
      erin,
      rooms.acme,
      `「Alice Wang：@DeskBot${AT}the build fails on Node 20」\n${LINE}\nupgrade to 3.1, it fixes the linker flags`,
    );
    await world.settled();
    const replies = (await store.listEvents(1001)).filter((e) => e.kind === 'staff_reply');
    expect(replies.map((e) => e.text)).toEqual(['upgrade to 3.1, it fixes the linker flags']);
    expect((await store.getTicket(1001))?.firstResponseAt).toBe(world.clock.now());
  });

  it('a quote that names no ticket of this customer is ordinary chatter; a quote of an @bot message does not address the bot', async () => {
    world = await deskWorld();
    const { alice, bob, rooms, store } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    world.clock.advance(2 * HOUR);
    world.say(bob, rooms.acme, `「Zed：@DeskBot${AT}see #9999 and lunch?」\n${LINE}\nsure`);
    await world.settled();
    expect(await customerMessages(1001)).toEqual(['the build fails on Node 20']);
    expect(await store.getTicket(1002)).toBeUndefined();
    expect(world.outbox(rooms.acme).texts).toHaveLength(1); // not addressed: no answer either
  });

  it('a quote with nothing written under it reaches no ticket', async () => {
    world = await deskWorld();
    const { alice, rooms, logger } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    alice.say(`「DeskBot：#1001」\n${LINE}\n  `).to(rooms.acme);
    await logger.waitFor('message dropped');
    expect(logger.lines.find((l) => l.message === 'message dropped')?.meta.reason).toBe(
      'a quote with nothing written under it',
    );
    expect(await customerMessages(1001)).toEqual(['the build fails on Node 20']);
  });
});
