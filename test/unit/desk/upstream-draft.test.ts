import { issueDraft, scrubForUpstream } from '../../../src/desk/upstream-draft';

it('leaves out the customer, e-mail addresses, code blocks and log lines', () => {
  const text = [
    'Globex Inc sees the exporter crash on large files (contact jo@globex.example).',
    '```',
    'DATABASE_URL=postgres://globex:pw@db/prod',
    '```',
    '2026-12-01 10:00:01 ERROR export failed',
    'TypeError: cannot read properties of undefined',
    '    at render (/srv/globex/app.js:10:5)',
    'It started after upgrading to 2.7.0.',
  ].join('\n');
  const out = scrubForUpstream(text, ['globex', 'Globex Inc', 'Globex support group']);
  expect(out).toBe(
    '[customer] sees the exporter crash on large files (contact [email]).\n\nIt started after upgrading to 2.7.0.',
  );
});

it('titles the draft with the scrubbed subject, or the footer when nothing is left', () => {
  expect(
    issueDraft(
      'a/b',
      { subject: 'Globex: crash', firstMessage: '', confidential: ['Globex'] },
      'via support',
    ),
  ).toEqual({
    repo: 'a/b',
    title: '[customer]: crash',
    body: 'via support',
  });
  expect(
    issueDraft('a/b', { subject: '```x```', firstMessage: 'x', confidential: [] }, 'via support').title,
  ).toBe('via support');
});
