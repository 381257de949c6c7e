import {
  asSlashCommand,
  escapeMrkdwn,
  renderOutbound,
  SLACK_LIMITS,
  splitEscaped,
  typedCommands,
} from '../../../adapters/slack/slack.render';
import type { OutboundMessage } from '../../../src/core/chat';

const message = (fields: Partial<OutboundMessage>): OutboundMessage => ({
  platform: 'slack',
  chatId: 'C1',
  chatKind: 'group',
  text: '',
  ...fields,
});

describe('escapeMrkdwn', () => {
  it('escapes & < > so typed markup stays text', () => {
    expect(escapeMrkdwn('<!channel> <@U1|x> <#C1> a&b <https://evil|ok>')).toBe(
      '&lt;!channel&gt; &lt;@U1|x&gt; &lt;#C1&gt; a&amp;b &lt;https://evil|ok&gt;',
    );
  });
  it('puts a word joiner before a style marker that could open a style, and between fence backticks', () => {
    const J = '\u2060';
    expect(escapeMrkdwn('*bold* _it_ ~st~ `c` (*x*) "_q_"')).toBe(
      `${J}*bold* ${J}_it_ ${J}~st~ ${J}\`c\` (${J}*x*) "${J}_q_"`,
    );
    expect(escapeMrkdwn('```\nrm -rf /\n```')).toBe(`${J}\`${J}\`${J}\`\nrm -rf /\n${J}\`${J}\`${J}\``);
    // Inside a word a marker opens nothing: URLs and snake_case stay as they are.
    expect(escapeMrkdwn('https://x.example/a_b_c.log snake_case 2*3')).toBe(
      'https://x.example/a_b_c.log snake_case 2*3',
    );
  });
  it('breaks bare @here, @channel and @everyone but leaves other words alone', () => {
    expect(escapeMrkdwn('@here @Channel @everyone @hereafter mail@here.com')).toBe(
      '@\u2060here @\u2060Channel @\u2060everyone @hereafter mail@\u2060here.com',
    );
  });
});

describe('splitEscaped', () => {
  it('keeps every chunk within the limit after escaping and loses nothing', () => {
    const text = `${'<&>'.repeat(50)} ${'plain words '.repeat(20)}`;
    const chunks = splitEscaped(text, 40);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(40);
    expect(chunks.join('').replace(/\s/g, '')).toBe(escapeMrkdwn(text).replace(/\s/g, ''));
    // No entity is ever cut in half.
    for (const c of chunks) expect(c).not.toMatch(/&(?:a|am|l|g|lt|gt)?$|^(?:mp|p|t)?;/);
  });
});

describe('renderOutbound', () => {
  it('puts mentions in front, as <@id>', () => {
    expect(
      renderOutbound(message({ text: 'see #12', mentions: [{ id: 'U1' }, { id: 'W2', name: 'x' }] }), {
        slashCommand: '/gd',
      }),
    ).toEqual([{ text: '<@U1> <@W2> see #12' }]);
  });
  it('ignores mention ids that are not Slack user ids, so they cannot inject markup', () => {
    expect(
      renderOutbound(message({ text: 'hi', mentions: [{ id: '!channel' }] }), { slashCommand: '/gd' }),
    ).toEqual([{ text: 'hi' }]);
  });
  it('renders buttons as an actions block whose values are the commands, with a text fallback', () => {
    const [post] = renderOutbound(
      message({ text: 'New ticket #12', buttons: [{ label: 'Claim', command: '/claim #12' }] }),
      { slashCommand: '/gd' },
    );
    expect(post).toEqual({
      text: 'New ticket #12\nClaim: `/gd claim #12`',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'New ticket #12' } },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'groupdesk:cmd:0',
              text: { type: 'plain_text', text: 'Claim', emoji: true },
              value: '/claim #12',
            },
          ],
        },
      ],
    });
  });
  it('keeps posts within the message limit', () => {
    const posts = renderOutbound(message({ text: 'a'.repeat(100_000) }), { slashCommand: '/gd' });
    expect(posts.map((p) => p.text.length)).toEqual([
      SLACK_LIMITS.messageText,
      SLACK_LIMITS.messageText,
      20_000,
    ]);
  });
});

describe('asSlashCommand', () => {
  it('prefixes the configured slash command', () => {
    expect(asSlashCommand('/claim #12', '/gd')).toBe('/gd claim #12');
  });
});

describe('typedCommands', () => {
  const words = new Set(['claim', 'status', '认领']);
  it('turns references to GroupDesk commands into the app’s slash command', () => {
    expect(typedCommands('Claim it with /claim #1001', words, '/gd')).toBe('Claim it with /gd claim #1001');
    expect(typedCommands('用法：/认领 #工单号', words, '/gd')).toBe('用法：/gd 认领 #工单号');
    expect(typedCommands('/status [#N] — Show a ticket.', words, '/gd')).toBe(
      '/gd status [#N] — Show a ticket.',
    );
  });
  it('leaves paths and other slashes alone', () => {
    expect(typedCommands('GET /status/page returns 500 and /usr/bin is fine', words, '/gd')).toBe(
      'GET /status/page returns 500 and /usr/bin is fine',
    );
  });
});
