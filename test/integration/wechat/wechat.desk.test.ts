import { parseWechatConfig } from '../../../adapters/wechat/wechat.config';
import { StoreUnavailableError } from '../../../src/core/errors';
import { membershipSyncPlatforms } from '../../../src/platforms';
import { type DeskWorld, deskWorld, RecordingAdapter } from './desk-world';

/** The acknowledgement as the room shows it: WeChat's "@name" in front, then the locale text. */
const ack = (name: string, ticket: number) =>
  new RegExp(
    `^@${name}\\s+Ticket #${ticket} is open \\(Basic plan\\)\\. An engineer will respond within 24 h`,
  );

// The real desk (SQLite, router, commands) with the real WeChat adapter on Wechaty over
// wechaty-puppet-mock: transcripts of who says what in which room, and what the bot answers.
describe('GroupDesk on WeChat, end to end', () => {
  let world: DeskWorld;
  afterEach(async () => {
    await world?.close();
  });

  it('a mention of the bot opens a ticket: the requester is @mentioned, staff get the commands to type', async () => {
    world = await deskWorld();
    const { alice, rooms, store } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();

    expect(world.outbox(rooms.acme).texts).toEqual([expect.stringMatching(ack('Alice Wang', 1001))]);
    expect(world.outbox(rooms.staff).texts).toEqual([
      [
        'New ticket #1001 · ACME Corp (Basic) · consultation · P2 · due 11-24 10:00 GMT+8',
        'Alice Wang: the build fails on Node 20',
        'Claim it with /claim #1001',
        '',
        'Claim: /claim #1001',
        'Resolve: /resolve #1001',
      ].join('\n'),
    ]);
    const ticket = await store.getTicket(1001);
    expect(ticket).toMatchObject({ customerId: 'acme', platform: 'wechat', chatId: rooms.acme.id });
    const requester = await store.findPersonByIdentity('wechat', alice.id);
    expect(requester).toMatchObject({ role: 'subscriber', customerId: 'acme', name: 'Alice Wang' });
    expect(ticket?.requesterId).toBe(requester?.id);
    // Nothing leaks into the other rooms.
    expect(world.outbox(rooms.community).texts).toEqual([]);
    expect(world.outbox(rooms.unbound).texts).toEqual([]);
  });

  it('follow-ups attach to the ticket (within the window, or by #N); pleasantries open nothing', async () => {
    world = await deskWorld();
    const { alice, bob, rooms, store, clock } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    world.say(alice, rooms.acme, 'it fails at the link step');
    world.say(bob, rooms.acme, '#1001 same here on macOS');
    world.say(alice, rooms.acme, '谢谢');
    world.say(bob, rooms.acme, '收到');
    await world.settled();

    const events = await store.listEvents(1001);
    expect(events.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toEqual([
      'the build fails on Node 20',
      'it fails at the link step',
      '#1001 same here on macOS',
    ]);
    expect(await store.getTicket(1002)).toBeUndefined();
    // Follow-ups are recorded silently: the room only ever saw the acknowledgement.
    expect(world.outbox(rooms.acme).texts).toHaveLength(1);
    expect(world.outbox(rooms.staff).texts).toHaveLength(1);

    // Past the follow-up window (30 min) a plain message is chatter again.
    clock.advance(31 * 60_000);
    world.say(alice, rooms.acme, 'anyone around for lunch?');
    await world.settled();
    expect(await store.listEvents(1001)).toHaveLength(events.length);
    expect(await store.getTicket(1002)).toBeUndefined();
    expect(world.outbox(rooms.acme).texts).toHaveLength(1);
  });

  it('an engineer claims and replies in the staff room; the customer room sees both, @mentioning the requester', async () => {
    world = await deskWorld();
    const { alice, erin, rooms, store } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    world.say(erin, rooms.staff, '/claim #1001');
    world.say(erin, rooms.staff, '/reply #1001 try X');
    await world.settled();

    expect(world.outbox(rooms.acme).texts.slice(1)).toEqual([
      expect.stringMatching(/^@Alice Wang\s+#1001: Erin is working on your request\.$/),
      expect.stringMatching(/^@Alice Wang\s+#1001 · Erin: try X$/),
    ]);
    expect(world.outbox(rooms.staff).texts.slice(1)).toEqual([
      '#1001 is now yours, Erin.',
      'Reply to #1001 delivered to the customer.',
    ]);
    const engineer = await store.findPersonByIdentity('wechat', erin.id);
    const ticket = await store.getTicket(1001);
    expect(ticket).toMatchObject({ status: 'claimed', assigneeId: engineer?.id });
    expect(ticket?.firstResponseAt).toEqual(expect.any(Number));
  });

  it('an unbound room hears only the answers to /bind and, when addressed, the "not linked" pointer', async () => {
    world = await deskWorld();
    const { mia, zed, rooms, store } = world;
    const room = rooms.unbound;
    world.say(zed, room, 'hello everyone');
    world.say(zed, room, '/status');
    world.say(zed, room, '/frobnicate');
    world.say(zed, room, '/help');
    await world.settled();
    expect(world.outbox(room).texts).toEqual([]);

    world.say(zed, room, 'is anyone there?', true);
    world.say(zed, room, '/status', true);
    world.say(zed, room, '/bind acme');
    await world.settled();
    const pointer =
      'This group is not linked to a customer yet. A manager can link it with /bind <customer>.';
    expect(world.outbox(room).texts).toEqual([
      pointer,
      pointer,
      'Sorry, /bind is for support managers only.',
    ]);
    expect(await store.getGroup('wechat', room.id)).toBeUndefined();
    expect(await store.findPersonByIdentity('wechat', zed.id)).toBeUndefined();

    world.say(mia, room, '/bind acme');
    await world.settled();
    expect(world.outbox(room).texts.at(-1)).toBe('This group is now linked to ACME Corp.');
    expect(await store.getGroup('wechat', room.id)).toMatchObject({
      kind: 'customer',
      customerId: 'acme',
      title: 'New customer',
    });

    // Now it is Acme's room: Zed's request opens a ticket there.
    world.say(zed, room, 'how do I upgrade?', true);
    await world.settled();
    expect(world.outbox(room).texts.at(-1)).toMatch(ack('Zed', 1001));
    expect(await store.getTicket(1001)).toMatchObject({ customerId: 'acme', chatId: room.id });
  });

  it('during a store outage only people who address the bot are answered, in no room else', async () => {
    let down = false;
    world = await deskWorld({
      wrapStore: (inner) =>
        new Proxy(inner, {
          get(target, prop, receiver) {
            if (down && prop === 'claimInbound') {
              return async () => {
                throw new StoreUnavailableError('database is locked');
              };
            }
            const value: unknown = Reflect.get(target, prop, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
    });
    const { alice, zed, rooms } = world;
    down = true;
    world.say(zed, rooms.unbound, 'hello everyone');
    world.say(alice, rooms.acme, 'lunch at noon?');
    world.say(zed, rooms.unbound, 'is anyone there?', true);
    await world.settled();
    expect(world.outbox(rooms.acme).texts).toEqual([]);
    expect(world.outbox(rooms.unbound).texts).toEqual([
      'The desk is temporarily unavailable. Your message is kept and will be handled as soon as it is back.',
    ]);
  });

  it('a community room gets the pointer to the free channels, and no ticket', async () => {
    world = await deskWorld();
    const { zed, rooms, store } = world;
    world.say(zed, rooms.community, 'what a nice framework');
    world.say(zed, rooms.community, 'how do I configure the cache?', true);
    await world.settled();
    expect(world.outbox(rooms.community).texts).toEqual([
      expect.stringMatching(
        /^Thanks for reaching out! This is the community group: there are no support tickets/,
      ),
    ]);
    expect(world.outbox(rooms.community).texts[0]).toContain('https://');
    expect(await store.getTicket(1001)).toBeUndefined();
    expect(await store.findPersonByIdentity('wechat', zed.id)).toBeUndefined();
    expect(world.outbox(rooms.staff).texts).toEqual([]);
  });

  it('the bot does not take its own acknowledgement (which names #1001) for a follow-up', async () => {
    world = await deskWorld();
    const { alice, bot, rooms, store } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    // The acknowledgement came back from the puppet as a room message; let a later message
    // pass through the same room's queue so that anything it caused has happened.
    world.say(alice, rooms.acme, '👍');
    await world.settled();

    expect(world.outbox(rooms.acme).texts).toEqual([expect.stringMatching(ack('Alice Wang', 1001))]);
    expect(world.host.handled.map((m) => m.sender.id)).toEqual([alice.id, alice.id]);
    expect(await store.findPersonByIdentity('wechat', bot.id)).toBeUndefined();
    expect((await store.listEvents(1001)).filter((e) => e.kind === 'customer_message')).toHaveLength(1);
    expect(await store.getTicket(1002)).toBeUndefined();
  });

  it('with WECHAT_SYNC_MEMBERS on, people joining the room become subscribers and leaving removes them', async () => {
    // Wired as main.ts wires it: the desk syncs the platforms whose adapter asks for it.
    const env = { WECHATY_PUPPET: 'wechaty-puppet-mock', WECHAT_SYNC_MEMBERS: 'true' };
    world = await deskWorld({
      syncMembers: membershipSyncPlatforms(env),
      wechat: { syncMembers: parseWechatConfig(env).syncMembers },
    });
    const { alice, erin, rooms, store, host, person } = world;
    const carol = person('Carol Zhao');
    rooms.acme.add(carol).by(alice);
    await host.waitFor(() => host.membership.length >= 1, 'the join');
    expect(await store.findPersonByIdentity('wechat', carol.id)).toMatchObject({
      role: 'subscriber',
      customerId: 'acme',
      name: 'Carol Zhao',
    });

    rooms.acme.add(erin).by(alice); // staff joining a customer room stay staff
    rooms.unbound.add(person('Dan')).by(alice); // an unbound room has no customer to join
    rooms.acme.remove(carol).by(alice);
    rooms.acme.remove(erin).by(alice);
    await host.waitFor(() => host.membership.length >= 5, 'all changes');
    expect(await store.findPersonByIdentity('wechat', carol.id)).toBeUndefined();
    expect(await store.findPersonByIdentity('wechat', erin.id)).toMatchObject({ role: 'engineer' });
    const dan = host.membership.find((m) => m.user.name === 'Dan');
    expect(await store.findPersonByIdentity('wechat', dan?.user.id ?? 'missing')).toBeUndefined();
    // Syncing is silent.
    for (const r of Object.values(rooms)) expect(world.outbox(r).texts).toEqual([]);
  });

  it('without membership sync on the desk, a join registers nobody', async () => {
    world = await deskWorld({ syncMembers: ['qq'], wechat: { syncMembers: true } });
    const { alice, rooms, store, host, person } = world;
    const carol = person('Carol Zhao');
    rooms.acme.add(carol).by(alice);
    await host.waitFor(() => host.membership.length >= 1, 'the join');
    expect(await store.findPersonByIdentity('wechat', carol.id)).toBeUndefined();
  });

  it('a WeChat logout alerts the managers on another platform', async () => {
    world = await deskWorld();
    const { desk, puppet, host } = world;
    await desk.services.directory.bindGroup('console', 'managers', 'managers');
    const console = new RecordingAdapter();
    desk.addAdapter(console);
    await puppet.logout('kicked out by WeChat');
    await console.waitFor(1);
    expect(host.health.map((h) => h.state)).toEqual(['up', 'logged_out']);
    expect(console.sent).toEqual([
      {
        platform: 'console',
        chatId: 'managers',
        chatKind: 'group',
        text:
          'Alert: the wechat connection is down (WeChat account DeskBot logged out: kicked out by WeChat). ' +
          'Customers there cannot reach the desk until it is back.',
      },
    ]);
  });

  it('a burst of 50 customers is handled in full: 50 tickets, 50 acknowledgements in order, spaced out', async () => {
    const interval = 10;
    const globalInterval = 8;
    world = await deskWorld({ wechat: { sendIntervalMs: interval, globalSendIntervalMs: globalInterval } });
    const { desk, store, person, room, rooms } = world;
    const names = Array.from({ length: 50 }, (_, i) => `Customer ${i}`);
    const customers = names.map((n) => person(n));
    const groups = Array.from({ length: 5 }, (_, g) => {
      const indexes = names.map((_, i) => i).filter((i) => i % 5 === g);
      return {
        indexes,
        room: room(
          `ACME site ${g}`,
          indexes.map((i) => customers[i]!),
        ),
      };
    });
    for (const g of groups) await desk.services.directory.bindGroup('wechat', g.room.id, 'acme');
    for (const g of groups) world.outbox(g.room);

    customers.forEach((c, i) => {
      world.say(c, groups[i % 5]!.room, `problem number ${i}`, true);
    });
    await world.settled(30_000);

    const tickets = await store.queryTickets({ customerId: 'acme', limit: 100 });
    expect(tickets).toHaveLength(50);
    expect(new Set(tickets.map((t) => t.subject)).size).toBe(50);
    for (const g of groups) {
      const box = world.outbox(g.room);
      // Each room hears its own customers' acknowledgements, in the order they asked.
      expect(box.texts.map((t) => /^@(Customer \d+)/.exec(t)?.[1])).toEqual(g.indexes.map((i) => names[i]));
      const numbers = box.texts.map((t) => Number(/Ticket #(\d+)/.exec(t)?.[1]));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      for (const [i, n] of numbers.entries()) {
        expect((await store.getTicket(n))?.subject).toBe(`problem number ${g.indexes[i]}`);
      }
      const gaps = box.times.slice(1).map((t, i) => t - (box.times[i] ?? 0));
      // Timers run on a cached millisecond clock: a gap may come out a little short, a burst would be ~0.
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(interval / 2);
    }
    const staff = world.outbox(rooms.staff);
    expect(staff.texts).toHaveLength(50);
    const staffGaps = staff.times.slice(1).map((t, i) => t - (staff.times[i] ?? 0));
    expect(Math.min(...staffGaps)).toBeGreaterThanOrEqual(interval / 2);
    // And the account as a whole never sends two messages at once, whichever the rooms.
    const all = [...groups.map((g) => g.room), rooms.staff].flatMap((r) => world.outbox(r).times);
    all.sort((a, b) => a - b);
    const allGaps = all.slice(1).map((t, i) => t - (all[i] ?? 0));
    expect(Math.min(...allGaps)).toBeGreaterThanOrEqual(globalInterval / 2);
  });
});
