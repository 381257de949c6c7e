import type { OutboundMessage } from '../../../src/core/chat';
import { eventEnvelope, type Harness, messageEvent, startHttpHarness } from './slack.harness';

const toChannel = (fields: Partial<OutboundMessage>): OutboundMessage => ({
  platform: 'slack',
  chatId: 'C1',
  chatKind: 'group',
  text: '',
  ...fields,
});

describe('Slack adapter: sending', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('relays a customer broadcast as harmless text: no <!channel>, no live @here', async () => {
    h = await startHttpHarness(async (m, adapter) => {
      // What the core does with a follow-up: relay the customer's words to the staff channel.
      await adapter.send(toChannel({ chatId: 'CSTAFF', text: `Acme wrote: ${m.text}` }));
    });
    await h.post(eventEnvelope(messageEvent({ text: '<!channel> urgent, @here <@U999> <#C777|ops>' })));
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    const text = post!.params.text as string;
    expect(h.host.received[0]!.text).toBe('@channel urgent, @here @U999 #ops');
    expect(text).not.toMatch(/<!|<@|<#/);
    expect(text).not.toMatch(/@(channel|here)\b/);
    expect(text).toBe('Acme wrote: @\u2060channel urgent, @\u2060here @U999 #ops');
  });

  it('escapes markup-looking text a customer typed elsewhere and renders real mentions', async () => {
    h = await startHttpHarness();
    await h.adapter.send(
      toChannel({ text: '<!here> <@U1> <#C2> & more', mentions: [{ id: 'UBOB', name: 'bob' }] }),
    );
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post!.params.text).toBe('<@UBOB> &lt;!here&gt; &lt;@U1&gt; &lt;#C2&gt; &amp; more');
  });

  it('splits a 45,000-character text into posts within 40,000 characters', async () => {
    h = await startHttpHarness();
    const words = Array.from({ length: 9000 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ');
    expect(words.length).toBeGreaterThanOrEqual(44_999);
    const sent = await h.adapter.send(toChannel({ text: words }));
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) expect((p.params.text as string).length).toBeLessThanOrEqual(40_000);
    expect(posts.map((p) => p.params.text).join(' ')).toBe(words);
    // The first part stands for the whole message; a top-level post is its own thread.
    expect(sent).toEqual({ messageId: 'C1:1700000001.000100', threadId: '1700000001.000100' });
  });

  it('keeps every section block under 3,000 characters and buttons on the last post', async () => {
    h = await startHttpHarness();
    const text = 'x&'.repeat(22_500); // escaping makes it 135,000 characters
    await h.adapter.send(toChannel({ text, buttons: [{ label: 'Claim', command: '/claim #1' }] }));
    const posts = h.fake.callsOf('chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    let rebuilt = '';
    posts.forEach((p, i) => {
      const blocks = p.params.blocks as Array<{ type: string; text?: { text: string } }>;
      expect(blocks.length).toBeLessThanOrEqual(50);
      expect((p.params.text as string).length).toBeLessThanOrEqual(40_000);
      for (const b of blocks.filter((b) => b.type === 'section')) {
        expect(b.text!.text.length).toBeLessThanOrEqual(3000);
        rebuilt += b.text!.text;
      }
      expect(blocks.some((b) => b.type === 'actions')).toBe(i === posts.length - 1);
    });
    expect(rebuilt.replace(/&amp;/g, '&')).toBe(text);
  });

  it('retries a post answered 429 after its Retry-After', async () => {
    h = await startHttpHarness(undefined, { timing: { perChannelMs: 0, retryAfterUnitMs: 50 } });
    h.fake.rateLimitNext('chat.postMessage', 2);
    const sent = await h.adapter.send(toChannel({ text: 'after the wait' }));
    const calls = h.fake.callsOf('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(95); // 2 s scaled to 2 × 50 ms
    expect(sent.messageId).toMatch(/^C1:/);
    expect(h.logger.lines.some((l) => l.level === 'warn' && l.text.includes('rate limited'))).toBe(true);
  });

  it('gives up after the configured number of 429s', async () => {
    h = await startHttpHarness(undefined, {
      timing: { perChannelMs: 0, retryAfterUnitMs: 1, maxRateLimitRetries: 1 },
    });
    h.fake.rateLimitNext('chat.postMessage', 1);
    h.fake.rateLimitNext('chat.postMessage', 1);
    await expect(h.adapter.send(toChannel({ text: 'never' }))).rejects.toThrow(/rate/i);
  });

  it('spaces posts to one channel but not across channels', async () => {
    h = await startHttpHarness(undefined, { timing: { perChannelMs: 300, retryAfterUnitMs: 1 } });
    await Promise.all([
      h.adapter.send(toChannel({ text: 'one' })),
      h.adapter.send(toChannel({ text: 'two' })),
      h.adapter.send(toChannel({ chatId: 'C2', text: 'elsewhere' })),
    ]);
    const at = (text: string) => h.fake.calls.find((c) => c.params.text === text)!.at;
    // Arrival times also carry request latency: leave it a margin either way.
    expect(at('two') - at('one')).toBeGreaterThanOrEqual(250);
    expect(Math.abs(at('elsewhere') - at('one'))).toBeLessThan(150);
  });

  it('sends ephemerally with chat.postEphemeral when there is no interaction to answer', async () => {
    h = await startHttpHarness();
    const sent = await h.adapter.send(
      toChannel({ text: 'psst', visibleTo: 'UALICE', threadId: '1700000000.000001' }),
    );
    const [call] = await h.fake.waitForCalls('chat.postEphemeral', 1);
    expect(call!.params).toMatchObject({ channel: 'C1', user: 'UALICE', thread_ts: '1700000000.000001' });
    expect(sent.messageId).toMatch(/^C1:\d+\.\d+$/);
  });
});
