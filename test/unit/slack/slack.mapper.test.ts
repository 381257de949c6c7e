import { RecentCache } from '../../../adapters/kit/cache';
import { eventToInbound, tsOfMessageId } from '../../../adapters/slack/slack.mapper';
import { slackToPlain } from '../../../adapters/slack/slack.text';

const self = { botUserId: 'UBOT', botName: 'groupdesk', teamId: 'T1' };

describe('slackToPlain', () => {
  it('turns Slack entities into plain text and lists mentions without the bot', () => {
    expect(
      slackToPlain(
        '<@UBOT> hi <@U1> and <@U2|bob>, see <#C1|general>, <https://x.io/a?b=1&amp;c=2|the docs>, <mailto:a@b.c|a@b.c> &lt;3 <!here> <!subteam^S1|@oncall> <@U1>',
        self,
      ),
    ).toEqual({
      text: 'hi @U1 and @bob, see #general, the docs (https://x.io/a?b=1&c=2), a@b.c <3 @here @oncall @U1',
      mentions: [{ id: 'U1' }, { id: 'U2', name: 'bob' }],
      mentionsBot: true,
    });
  });
  it('keeps a bot mention in the middle as @name and unescapes only once', () => {
    expect(slackToPlain('thanks <@UBOT>! &amp;lt;', self)).toEqual({
      text: 'thanks @groupdesk! &lt;',
      mentions: [],
      mentionsBot: true,
    });
  });
});

describe('eventToInbound', () => {
  it('drops payloads that are not a person writing', () => {
    const base = { type: 'message', channel: 'C1', user: 'U1', text: 'x', ts: '1.2' };
    const reasons = [
      { ...base, subtype: 'channel_join' },
      { ...base, bot_id: 'B1' },
      { ...base, user: 'UBOT' },
      { ...base, text: '   ' },
      { ...base, ts: 'not-a-ts' },
      null,
      'garbage',
    ].map((e) => {
      const r = eventToInbound(e, self);
      return r.ok ? 'delivered' : r.reason.split(':')[0];
    });
    expect(reasons).toEqual([
      'subtype channel_join',
      'bot message',
      'own message',
      'no text',
      'unexpected message event shape',
      'unexpected message event shape',
      'unexpected message event shape',
    ]);
  });
  it('treats app_mention as addressed whatever its text', () => {
    const base = { channel: 'C1', user: 'U1', text: 'hello', ts: '1.2' };
    expect(eventToInbound({ ...base, type: 'app_mention' }, self)).toMatchObject({
      value: { addressed: true },
    });
    expect(eventToInbound({ ...base, type: 'message' }, self)).toMatchObject({ value: { addressed: false } });
  });
  it('does not treat a thread parent as a reply in its own thread', () => {
    const r = eventToInbound(
      { type: 'message', channel: 'C1', user: 'U1', text: 'x', ts: '5.1', thread_ts: '5.1' },
      self,
    );
    expect(r.ok && r.value.threadId).toBe(undefined);
  });
});

describe('eventToInbound: files', () => {
  const share = { type: 'message', subtype: 'file_share', channel: 'C1', user: 'U1', ts: '1.2' };
  const png = {
    name: 'screenshot.png',
    title: 'Screenshot',
    mimetype: 'image/png',
    permalink: 'https://acme.slack.com/files/U1/F1/screenshot.png',
    url_private: 'https://files.slack.com/files-pri/T1-F1/screenshot.png?token=xoxe-secret',
  };
  const text = (event: Record<string, unknown>) => {
    const r = eventToInbound(event, self);
    return r.ok ? r.value.text : `dropped: ${r.reason}`;
  };

  it('lists each file after the text: kind by MIME type, name, permalink; never url_private', () => {
    const files = [
      png,
      { title: 'Repro', mimetype: 'video/mp4', permalink: 'https://acme.slack.com/files/U1/F2/repro.mp4' },
      {
        name: 'build.log',
        mimetype: 'text/plain',
        permalink: 'https://acme.slack.com/files/U1/F3/build.log',
      },
    ];
    expect(text({ ...share, text: 'CI is red', files })).toBe(
      [
        'CI is red',
        '[image] screenshot.png https://acme.slack.com/files/U1/F1/screenshot.png',
        '[video] Repro https://acme.slack.com/files/U1/F2/repro.mp4',
        '[file] build.log https://acme.slack.com/files/U1/F3/build.log',
      ].join('\n'),
    );
    expect(text({ ...share, files: [{ ...png, permalink: undefined }] })).toBe('[image] screenshot.png');
    expect(JSON.stringify(eventToInbound({ ...share, files: [png] }, self))).not.toContain('files-pri');
  });

  it('accepts a file shared without a caption, and a mention of the bot with only a file', () => {
    expect(text({ ...share, text: '', files: [png] })).toBe(
      '[image] screenshot.png https://acme.slack.com/files/U1/F1/screenshot.png',
    );
    const mention = { ...share, subtype: undefined, type: 'app_mention', text: '<@UBOT>', files: [png] };
    expect(eventToInbound(mention, self)).toMatchObject({ ok: true, value: { addressed: true } });
  });

  it('skips malformed entries and never drops the text for a broken file list', () => {
    const files = [null, 'F1', 42, { name: 7 }, { permalink: 'javascript:alert(1)', name: 'x.txt' }, png];
    expect(text({ ...share, text: 'hi', files })).toBe(
      'hi\n[file] x.txt\n[image] screenshot.png https://acme.slack.com/files/U1/F1/screenshot.png',
    );
    expect(text({ ...share, text: 'hi', files: 'not a list' })).toBe('hi');
    expect(text({ ...share, text: '', files: [null, 'F1'] })).toBe('dropped: no text');
  });

  it('counts files as text only for file shares: an edit or a plain message with only files stays dropped', () => {
    expect(text({ ...share, subtype: 'message_changed', files: [png] })).toBe(
      'dropped: subtype message_changed',
    );
    expect(text({ ...share, subtype: 'thread_broadcast', text: '', files: [png] })).toBe('dropped: no text');
    expect(text({ ...share, subtype: undefined, text: ' ', files: [png] })).toBe('dropped: no text');
  });

  it('caps the list and the names, one line per file', () => {
    const files = Array.from({ length: 12 }, (_, i) => ({ ...png, name: `shot\n${i}.png` }));
    const lines = text({ ...share, files }).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('[image] shot 0.png https://acme.slack.com/files/U1/F1/screenshot.png');
    expect(lines[10]).toBe('… +2');
    const long = text({ ...share, files: [{ name: 'n'.repeat(300) }] });
    expect(long.length).toBeLessThan(120);
  });
});

describe('tsOfMessageId', () => {
  it('reads the ts back only for the same channel', () => {
    expect(tsOfMessageId('C1:1700000000.000001', 'C1')).toBe('1700000000.000001');
    expect(tsOfMessageId('C1:1700000000.000001', 'C2')).toBeUndefined();
    expect(tsOfMessageId('cmd:1.2.3', 'C1')).toBeUndefined();
  });
});

describe('the Slack inbound caches (RecentCache, insertion order)', () => {
  it('forgets after the ttl and beyond the size cap', () => {
    let now = 0;
    const cache = new RecentCache<true>({ max: 2, ttlMs: 100, order: 'insertion', now: () => now });
    expect(cache.firstTime('a', true)).toBe(true);
    expect(cache.firstTime('a', true)).toBe(false);
    cache.set('b', true);
    cache.set('c', true);
    expect(cache.get('a')).toBeUndefined(); // pushed out by size
    now = 150;
    expect(cache.firstTime('b', true)).toBe(true); // expired
    expect(cache.size).toBeLessThanOrEqual(2);
  });
});
