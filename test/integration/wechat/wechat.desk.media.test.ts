import { types } from 'wechaty';
import { type DeskWorld, deskWorld } from './desk-world';

/**
 * Screenshots and files on WeChat through the whole desk: real Wechaty over
 * wechaty-puppet-mock, the real router and SQLite store. A puppet delivers an image or a
 * file as a message of that type; the ticket keeps its attachment line.
 */
describe('GroupDesk on WeChat: screenshots and files', () => {
  let world: DeskWorld;
  afterEach(async () => {
    await world?.close();
  });

  /** Alice sends a non-text message into ACME's room, as the puppet reports one. */
  function aliceSends(id: string, type: types.Message, filename?: string): void {
    world.mocker.MessageMock.create({
      id,
      talkerId: world.alice.id,
      roomId: world.rooms.acme.id,
      mentionIdList: [],
      timestamp: Date.now(),
      type,
      ...(filename !== undefined ? { filename } : {}),
    });
    world.puppet.emit('message', { messageId: id });
  }

  const customerMessages = async (ticket: number) =>
    (await world.store.listEvents(ticket)).filter((e) => e.kind === 'customer_message').map((e) => e.text);

  it("files a screenshot sent after the question on the requester's ticket, silently", async () => {
    world = await deskWorld();
    const { alice, rooms } = world;
    world.say(alice, rooms.acme, 'the build fails on Node 20', true);
    await world.settled();
    aliceSends('shot-1', types.Message.Image);
    aliceSends('log-1', types.Message.Attachment, 'npm-debug.log');
    await world.host.waitHandled(3);

    expect(await world.store.getTicket(1002)).toBeUndefined();
    expect(await customerMessages(1001)).toEqual([
      'the build fails on Node 20',
      '[image]',
      '[file] npm-debug.log',
    ]);
    // The acknowledgement of the question is all the room heard.
    expect(world.outbox(rooms.acme).texts).toHaveLength(1);
  });

  it('repeats a file name that looks like a mention to staff as text, notifying nobody', async () => {
    world = await deskWorld();
    const { rooms, store, desk, puppet } = world;
    const group = await store.getGroup('wechat', rooms.acme.id);
    await desk.services.directory.setAutoMode(group!, true); // every message is a request
    const sends: Array<{ to: string; text: string; mentionIds: readonly string[] }> = [];
    const sendText = puppet.messageSendText.bind(puppet);
    puppet.messageSendText = (to: string, text: string, mentionIds?: string[]) => {
      sends.push({ to, text, mentionIds: mentionIds ?? [] });
      return sendText(to, text); // the mock drops mention ids anyway: we keep them above
    };

    aliceSends('file-1', types.Message.Attachment, '@Erin Chen @所有人 urgent.log');
    await world.host.waitHandled(1);
    await world.outbox(rooms.staff).waitFor(1);

    expect(await customerMessages(1001)).toEqual(['[file] @Erin Chen @所有人 urgent.log']);
    const toStaff = sends.filter((s) => s.to === rooms.staff.id);
    expect(toStaff).toHaveLength(1);
    expect(toStaff[0]!.text).toContain('Alice Wang: [file] @Erin Chen @所有人 urgent.log');
    expect(toStaff[0]!.mentionIds).toEqual([]);
    // In the customer's room only the requester is @mentioned, as for any request.
    const toAcme = sends.filter((s) => s.to === rooms.acme.id);
    expect(toAcme.map((s) => s.mentionIds)).toEqual([[world.alice.id]]);
  });
});
