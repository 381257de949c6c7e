import type { ParamSpec } from '../../commands/types';
import en from '../../config/locales/en.json';
import zh from '../../config/locales/zh-CN.json';
import { type Catalog, Translator } from '../../src/core/i18n';
import { parseArgs } from '../../src/router/args';

const translator = new Translator({ en: en as Catalog, 'zh-CN': zh as Catalog }, 'en');

const ticketText: ParamSpec[] = [
  { name: 'ticket', kind: 'ticket', required: true },
  { name: 'text', kind: 'text', required: true },
];

describe('parseArgs', () => {
  it('reads a choice in either locale’s words from the locale files, as its canonical value', () => {
    const params: ParamSpec[] = [
      { name: 'action', kind: 'choice', required: true, choices: ['add', 'remove'], keywords: 'action' },
      { name: 'who', kind: 'user', required: true },
      { name: 'role', kind: 'choice', required: false, choices: ['engineer', 'manager'], keywords: 'role' },
    ];
    const frank = { id: 'frank', name: 'frank' };
    for (const line of ['添加 @frank 工程师', 'ADD @frank engineer', 'add @frank 工程师'])
      expect(parseArgs(params, line, [frank], translator)).toEqual({
        action: 'add',
        who: frank,
        role: 'engineer',
      });
    // An unknown word stays for the schema to refuse; without the locale files only canonical values match.
    expect(parseArgs(params, '加上 @frank', [frank], translator)).toMatchObject({ action: '加上' });
    expect(parseArgs(params, '添加 @frank', [frank])).toMatchObject({ action: '添加' });
  });
  it('reads a ticket and the rest of the line, keeping its spacing', () => {
    expect(parseArgs(ticketText, '#12 use  --force\nthen retry', [])).toEqual({
      ticket: 12,
      text: 'use  --force\nthen retry',
    });
  });
  it('skips an optional choice that does not fit', () => {
    const params: ParamSpec[] = [
      { name: 'category', kind: 'choice', required: false, choices: ['diagnosis'] },
      { name: 'text', kind: 'text', required: true },
    ];
    expect(parseArgs(params, 'how do I x', [])).toEqual({ text: 'how do I x' });
    expect(parseArgs(params, 'Diagnosis it crashes', [])).toEqual({
      category: 'diagnosis',
      text: 'it crashes',
    });
  });
  it('keeps a bad required value for the schema to refuse, and reports extra words', () => {
    expect(parseArgs([{ name: 'ticket', kind: 'ticket', required: true }], 'abc def', [])).toEqual({
      ticket: 'abc',
      _extra: 'def',
    });
  });
  it('resolves mentions through what the platform reported', () => {
    const params: ParamSpec[] = [{ name: 'who', kind: 'user', required: true }];
    expect(parseArgs(params, '@Bob', [{ id: 'U42', name: 'Bob' }])).toEqual({
      who: { id: 'U42', name: 'Bob' },
    });
    expect(parseArgs(params, '<@U42>', [])).toEqual({ who: { id: 'U42', name: 'U42' } });
    expect(parseArgs(params, 'bob', [])).toEqual({ who: 'bob' });
  });
});
