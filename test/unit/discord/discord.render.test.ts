import { escapeText, renderOutbound } from '../../../adapters/discord/discord.render';

/** Undoes the escaping, to check that splitting lost nothing. */
const plain = (s: string) => s.replace(/\\(.)/g, '$1').replace(/\u200b/g, '');

describe('renderOutbound', () => {
  it('puts mentions in front of the first part only and allows exactly them', () => {
    const parts = renderOutbound({ text: 'a '.repeat(1500).trim(), mentions: [{ id: '42' }, { id: '42' }] });
    expect(parts).toHaveLength(2);
    expect(parts[0]?.content.startsWith('<@42> a a')).toBe(true);
    expect(parts[1]?.content.startsWith('<@')).toBe(false);
    expect(parts.every((p) => p.mentionIds.join() === '42')).toBe(true);
  });

  it('never exceeds 2,000 characters, even when escaping doubles the text', () => {
    const text = '*_'.repeat(1600); // every character needs a backslash
    const parts = renderOutbound({ text });
    for (const p of parts) expect(p.content.length).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => plain(p.content)).join('')).toBe(text);
    for (const p of parts) expect(p.content.endsWith('\\')).toBe(false);
  });

  it('offers buttons that cannot be buttons as text commands, after the text', () => {
    const buttons = Array.from({ length: 27 }, (_, i) => ({ label: `B${i}`, command: `/claim #${i}` }));
    buttons.push({ label: 'long', command: `/note #1 ${'x'.repeat(100)}` });
    buttons.push({ label: 'dup', command: '/claim #0' });
    const [part] = renderOutbound({ text: 'queue', buttons });
    expect(part?.components).toHaveLength(5);
    expect(part?.components?.flatMap((r) => r.components)).toHaveLength(25);
    expect(plain(part?.content ?? '')).toBe(`queue\n/claim #25\n/claim #26\n/note #1 ${'x'.repeat(100)}`);
  });

  it('renders a buttons-only message with empty content', () => {
    const [part] = renderOutbound({ text: '', buttons: [{ label: 'Claim', command: '/claim #1' }] });
    expect(part?.content).toBe('');
    expect(part?.components?.[0]?.components[0]).toMatchObject({ custom_id: '/claim #1', label: 'Claim' });
  });
});

describe('escapeText', () => {
  it('neutralises mention, quote and markdown syntax', () => {
    expect(escapeText('> quoted <@123> <#456> <t:1:R> @here')).toBe(
      '\\> quoted \\<@123> \\<#456> \\<t:1:R> @\u200bhere',
    );
    expect(escapeText('# title\n- item\n1. first')).toBe('\\# title\n\\- item\n1\\. first');
  });
});

describe('ticket cards', () => {
  it('render as one embed with the buttons, customer text escaped and cut to Discord limits', () => {
    const [part, ...rest] = renderOutbound({
      text: 'New ticket #7 …',
      buttons: [{ label: 'Claim', command: '/claim #7' }],
      card: {
        title: 'x'.repeat(300),
        description: '@everyone **bold**',
        fields: [{ name: 'Customer', value: '' }],
        footer: 'Claim it with /claim #7',
      },
    });
    expect(rest).toEqual([]);
    expect(part?.content).toBe('');
    expect(part?.components).toHaveLength(1);
    const [embed] = part?.embeds ?? [];
    expect(embed?.title).toHaveLength(256);
    expect(embed?.description).not.toContain('@everyone');
    expect(embed?.description).toContain('\\*\\*bold\\*\\*');
    expect(embed?.fields).toEqual([{ name: 'Customer', value: '-', inline: true }]);
  });
});
