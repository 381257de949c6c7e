import { nextTs, SLACK, type SlackDesk, said, startSlackDesk } from './slack.desk.harness';

/**
 * Files on Slack through the real desk: signed Events API requests to Bolt, the real router
 * and store, and what GroupDesk posts back (recorded by the fake Web API).
 */
describe('GroupDesk on Slack: files and screenshots', () => {
  let s: SlackDesk;
  afterEach(async () => {
    await s?.close();
  });

  const PERMALINK = 'https://acme.slack.com/files/UALICE/F0SHOT/screenshot.png';
  const screenshot = {
    id: 'F0SHOT',
    name: 'screenshot.png',
    title: 'Screenshot',
    mimetype: 'image/png',
    permalink: PERMALINK,
    url_private: 'https://files.slack.com/files-pri/T1-F0SHOT/screenshot.png',
    url_private_download: 'https://files.slack.com/files-pri/T1-F0SHOT/download/screenshot.png',
  };
  const staffPosts = () => s.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === SLACK.staff);

  it("files a screenshot posted alone in the ticket's thread as a follow-up, linked by its permalink", async () => {
    s = await startSlackDesk();
    const ts = nextTs();
    const ask = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}> Build fails on Node 20`, { ts });
    await s.event(ask);
    await s.host.waitHandled(1);

    const share = said(SLACK.alice, SLACK.acme, '', {
      subtype: 'file_share',
      thread_ts: ts,
      files: [screenshot],
    });
    expect((await s.event(share)).status).toBe(200);
    await s.host.waitHandled(2);

    expect(await s.ticket(1002)).toBeUndefined();
    const texts = (await s.store.listEvents(1001))
      .filter((e) => e.kind === 'customer_message')
      .map((e) => e.text);
    expect(texts).toEqual(['Build fails on Node 20', `[image] screenshot.png ${PERMALINK}`]);
    // The token-bearing private URLs reach neither the ticket nor any channel.
    const everything = JSON.stringify([texts, s.fake.callsOf('chat.postMessage')]);
    expect(everything).not.toContain('files-pri');
  });

  it('opens a ticket from @bot with only a file, whose name cannot ping the staff channel', async () => {
    s = await startSlackDesk();
    const file = {
      name: '<!channel> <@UBOB> @here.log',
      mimetype: 'text/plain',
      permalink: 'https://acme.slack.com/files/UALICE/F0LOG/x.log',
    };
    const ts = nextTs();
    const message = said(SLACK.alice, SLACK.acme, `<@${SLACK.bot}>`, {
      ts,
      subtype: 'file_share',
      files: [file],
    });
    // Slack sends the post twice: as app_mention (no subtype) and as message.
    await s.event({ ...message, type: 'app_mention', subtype: undefined, channel_type: undefined });
    await s.event(message);
    await s.host.waitHandled(1);

    expect(await s.ticket(1001)).toMatchObject({ status: 'open', threadId: ts });
    const [announcement, ...more] = staffPosts();
    expect(more).toEqual([]);
    const posted = JSON.stringify(announcement!.params);
    expect(posted).toContain(
      '[file] &lt;!channel&gt; &lt;@UBOB&gt; @\u2060here.log https://acme.slack.com/files/',
    );
    expect(posted).not.toContain('<!channel>');
    expect(posted).not.toContain('<@UBOB>');
  });
});
