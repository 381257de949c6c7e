import type { ParamSpec } from '../../commands/types';
import { parseArgs } from '../../src/router/args';

const ticketText: ParamSpec[] = [
  { name: 'ticket', kind: 'ticket', required: true },
  { name: 'text', kind: 'text', required: true },
];

describe('parseArgs', () => {
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
