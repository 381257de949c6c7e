/**
 * Media on QQ through the real desk: the real QQ adapter behind a OneBot v11 client faked on
 * a real WebSocket, the real router and SQLite store. What a customer sends, what the ticket
 * keeps, and what the OneBot client is asked to post.
 */
import {
  ACME_GROUP,
  at,
  BOT,
  customerMessages,
  reverseDesk,
  STAFF_GROUP,
  say,
  sentTo,
  text,
} from './desk.harness';
import { Cleanup } from './helpers';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SHOT = 'https://multimedia.nt.qq.com.cn/download?appid=1407&fileid=EhTx&spec=0&rkey=CAQSKAB';

describe('QQ desk: images and files', () => {
  test.each(['array', 'string'] as const)(
    'a screenshot sent alone (%s format) is filed on the open ticket with its download link',
    async (format) => {
      const qq = await reverseDesk(cleanup);
      const peer = await qq.dial();
      await say(qq, peer, { id: 7001, segments: [at(BOT), text(' the build fails on Node 20')] });
      const image = { type: 'image', data: { file: 'E3A1.png', summary: '', url: SHOT } };
      await say(qq, peer, { id: 7002, segments: [image], format });

      expect((await qq.tickets()).map((t) => t.number)).toEqual([1001]);
      expect(await customerMessages(qq, 1001)).toEqual(['the build fails on Node 20', `[image] ${SHOT}`]);
      // Filed silently: the group got the acknowledgement only.
      expect(sentTo([peer], 'send_group_msg', ACME_GROUP)).toHaveLength(1);
    },
  );

  test('a file named like a CQ @all code is repeated to staff as text, never as an @all', async () => {
    const qq = await reverseDesk(cleanup);
    const peer = await qq.dial();
    const file = { type: 'file', data: { file: '[CQ:at,qq=all].log', file_id: 'f1', file_size: '12' } };
    await say(qq, peer, { id: 7001, segments: [at(BOT), file], format: 'string' });

    expect(await customerMessages(qq, 1001)).toEqual(['[file] [CQ:at,qq=all].log']);
    const [announcement, ...more] = sentTo([peer], 'send_group_msg', STAFF_GROUP);
    expect(more).toEqual([]);
    const segments = announcement!.message as Array<{ type: string; data: Record<string, string> }>;
    expect(segments.map((s) => s.type)).toEqual(['text']);
    expect(segments[0]!.data.text).toContain('Alice (ACME): [file] [CQ:at,qq=all].log');
    // Nothing the bot sent anywhere carries an @ of everyone.
    const sent = peer.received('send_group_msg').flatMap((r) => r.params.message as Array<{ type: string }>);
    expect(sent.filter((s) => s.type === 'at').map((s) => JSON.stringify(s))).not.toContain(
      JSON.stringify(at('all')),
    );
  });
});
