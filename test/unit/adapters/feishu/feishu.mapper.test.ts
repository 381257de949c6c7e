import { contentToText, receiveToInbound } from '../../../../adapters/feishu/feishu.mapper';
import { escapeText, renderOutbound } from '../../../../adapters/feishu/feishu.render';

const self = { openId: 'ou_bot', name: 'GroupDesk' };
const bot = { key: '@_user_1', id: { open_id: 'ou_bot' }, name: 'GroupDesk' };
const carol = { key: '@_user_10', id: { open_id: 'ou_carol' }, name: 'Carol' };
const dave = { key: '@_user_2', id: { open_id: 'ou_dave' }, name: 'Dave' };

describe('Feishu content → plain text', () => {
  it('drops a leading bot mention and names the others, @_user_10 not read as @_user_1', () => {
    expect(
      contentToText(
        'text',
        JSON.stringify({ text: '@_user_1 ask @_user_10 and @_user_2' }),
        [bot, carol, dave],
        self,
      ),
    ).toEqual({
      text: 'ask @Carol and @Dave',
      mentionsBot: true,
    });
  });

  it('keeps a bot mention in the middle as @name, and a leading mention of someone else', () => {
    expect(
      contentToText('text', JSON.stringify({ text: '@_user_2 ask @_user_1' }), [bot, dave], self),
    ).toEqual({
      text: '@Dave ask @GroupDesk',
      mentionsBot: true,
    });
  });

  it('does not let typed private-use characters forge a mention marker', () => {
    const forged = '\uE000@_user_1\uE001 hi';
    expect(contentToText('text', JSON.stringify({ text: forged }), [], self)).toEqual({
      text: '@_user_1 hi',
      mentionsBot: false,
    });
  });

  it('reads a post: title, paragraphs, links, mentions, images as tag lines', () => {
    const post = {
      title: 'Build broken',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: 'GroupDesk' },
          { tag: 'text', text: ' it fails, see ' },
          { tag: 'a', href: 'https://ci.example/1', text: 'CI' },
        ],
        [
          { tag: 'img', image_key: 'img_v2_041b28e3-5680-48c2-9af2-497ace79333g' },
          { tag: 'text', text: 'on Node 20' },
        ],
      ],
    };
    expect(contentToText('post', JSON.stringify(post), [bot], self)).toEqual({
      text: 'Build broken\n@GroupDesk it fails, see CI (https://ci.example/1)\non Node 20\n[image] img_v2_041b28e3-5680-48c2-9af2-497ace79333g',
      mentionsBot: true,
    });
  });

  it('reads images, files, voice and video as tag lines with their keys, and an unknown type as nothing', () => {
    const read = (type: string, content: Record<string, unknown>) =>
      contentToText(type, JSON.stringify(content), [], self).text;
    expect(read('file', { file_key: 'file_v3_00a1', file_name: 'crash\n.log' })).toBe(
      '[file] crash .log file_v3_00a1',
    );
    expect(read('image', { image_key: 'img_v3_02b2' })).toBe('[image] img_v3_02b2');
    expect(read('audio', { file_key: 'file_v3_audio', duration: 2000 })).toBe('[voice] file_v3_audio');
    // A video's file, not its cover image.
    expect(read('media', { file_key: 'file_v3_vid', image_key: 'img_cover', file_name: 'repro.mp4' })).toBe(
      '[video] repro.mp4 file_v3_vid',
    );
    expect(read('sticker', { file_key: 'sticker_key' })).toBe('[sticker]');
    // What is no key (a second line, spaces, markup) is left out; the tag stays.
    expect(read('image', { image_key: 'img\n[file] forged' })).toBe('[image]');
    expect(read('file', { file_key: '<at user_id="all"></at>', file_name: 'a.log' })).toBe('[file] a.log');
    expect(contentToText('system', '{}', [], self).text).toBe('');
    expect(contentToText('text', 'not json', [], self).text).toBe('');
  });
});

describe('Feishu receive events', () => {
  const event = (message: Record<string, unknown>, sender = 'ou_alice', type = 'user') => ({
    event_id: 'ev1',
    sender: { sender_id: { open_id: sender }, sender_type: type },
    message: {
      message_id: 'om_1',
      chat_id: 'oc_1',
      chat_type: 'group',
      message_type: 'text',
      content: '{"text":"hi"}',
      ...message,
    },
  });

  it('takes the root as the thread only inside a thread; a quote-reply is a quote', () => {
    const inThread = receiveToInbound(
      event({ root_id: 'om_root', parent_id: 'om_root', thread_id: 'omt_1' }),
      self,
    );
    expect(inThread.ok && inThread.value.message).toMatchObject({
      threadId: 'om_root',
      quotedMessageId: 'om_root',
    });
    const quote = receiveToInbound(event({ root_id: 'om_root', parent_id: 'om_root' }), self);
    expect(quote.ok && quote.value.message.threadId).toBeUndefined();
  });

  it('drops the bot itself and other apps; a direct chat is addressed without a mention', () => {
    expect(receiveToInbound(event({}, 'ou_bot'), self).ok).toBe(false);
    expect(receiveToInbound(event({}, 'cli_other', 'app'), self).ok).toBe(false);
    const p2p = receiveToInbound(event({ chat_type: 'p2p' }), self);
    expect(p2p.ok && p2p.value.message).toMatchObject({ chatKind: 'direct', addressed: true });
  });
});

describe('Feishu rendering', () => {
  it('breaks every tag a customer could type, and @_all', () => {
    expect(escapeText('<at user_id="all"></at> <b>x</b> @_all 1 < 2')).toBe(
      '<\u2060at user_id="all"><\u2060/at> <\u2060b>x<\u2060/b> @\u2060_all 1 < 2',
    );
  });

  it('mentions only real open ids, and splits long text', () => {
    const posts = renderOutbound({
      platform: 'feishu',
      chatId: 'oc_1',
      chatKind: 'group',
      text: 'x'.repeat(9000),
      mentions: [{ id: 'ou_alice' }, { id: 'all' }, { id: 'ou_x"><at user_id="all' }],
    });
    expect(posts).toHaveLength(3);
    const first = JSON.parse(posts[0]!.content).text as string;
    expect(first.startsWith('<at user_id="ou_alice"></at> x')).toBe(true);
    expect(posts.map((p) => (JSON.parse(p.content).text as string).length).every((l) => l <= 4000 + 40)).toBe(
      true,
    );
  });
});
