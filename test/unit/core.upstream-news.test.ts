import type { TicketEvent } from '../../src/core/model';
import { dueFor, mentionedIssues, type UpstreamChange } from '../../src/core/upstream-news';

const REPO = 'acme-oss/framework';

describe('mentionedIssues', () => {
  it('reads #N, GH-N, owner/repo#N and issue addresses of the release’s own repository only', () => {
    const notes = [
      'Fixes #12, closes GH-13 (and #12 again)',
      'Acme-OSS/Framework#14 and other/repo#15',
      `https://github.com/${REPO}/issues/16 https://github.com/other/repo/issues/17`,
      'not a mention: abc#18, &#19; or version 2.0#20',
    ].join('\n');
    expect(mentionedIssues(REPO, notes).map((r) => r.number)).toEqual([12, 13, 14, 16]);
    expect(mentionedIssues(REPO, 'nothing here')).toEqual([]);
  });

  it('reads a gitlab: project’s mentions by its path without the prefix, nested groups included', () => {
    const repo = 'gitlab:acme/platform/framework';
    const notes =
      'Fixes #3, acme/platform/framework#4, platform/framework#5, ' +
      'https://gitlab.com/acme/platform/framework/-/issues/6 https://gitlab.com/acme/other/-/issues/7';
    expect(mentionedIssues(repo, notes)).toEqual([3, 4, 6].map((number) => ({ repo, number })));
  });

  it('keeps at most 50 mentions', () => {
    const many = Array.from({ length: 80 }, (_, i) => `#${i + 1}`).join(' ');
    expect(mentionedIssues(REPO, many)).toHaveLength(50);
  });
});

describe('dueFor', () => {
  const ref = { repo: REPO, number: 12 };
  const link: TicketEvent = {
    ticketNumber: 1001,
    at: 100,
    kind: 'upstream_link',
    actorId: 'bob',
    to: `${REPO}#12`,
  };
  const heard = (from: string): TicketEvent => ({
    ...link,
    kind: 'upstream_update',
    actorId: 'system',
    from,
  });
  const closed: UpstreamChange = { kind: 'closed', ref, url: 'u', closedAt: 'T1' };
  const reopened: UpstreamChange = { kind: 'reopened', ref, url: 'u' };
  const release = (publishedAt: number): UpstreamChange => ({
    kind: 'released',
    ref,
    release: { tag: 'v2', name: 'v2', url: 'u', publishedAt },
  });

  it('is due once per closing, reopening after a heard closing, and release published after the link', () => {
    expect(dueFor([], closed)).toBeUndefined(); // not linked
    expect(dueFor([link], closed)).toEqual({ id: 'closed:T1' });
    const early: UpstreamChange = { ...closed, closedAt: new Date(50).toISOString() };
    expect(dueFor([link], early)).toBeUndefined(); // closed before it was linked
    expect(dueFor([link], { ...closed, closedAt: new Date(150).toISOString() })).toEqual({
      id: `closed:${new Date(150).toISOString()}`,
    });
    expect(dueFor([link, heard('closed:T1')], closed)).toBeUndefined();
    expect(dueFor([link], reopened)).toBeUndefined(); // never told it closed
    expect(dueFor([link, heard('closed:T1')], reopened)).toEqual({ id: 'reopened:closed:T1' });
    expect(dueFor([link, heard('closed:T1'), heard('reopened:closed:T1')], reopened)).toBeUndefined();
    expect(dueFor([link], release(200))).toEqual({ id: 'released:v2' });
    expect(dueFor([link], release(50))).toBeUndefined();
    expect(dueFor([link, heard('released:v2')], release(200))).toBeUndefined();
    // Unlinked: nothing is due; linked again later, from that new link's time.
    const unlinked: TicketEvent = { ...link, kind: 'upstream_unlink', at: 120, to: 'ACME-OSS/framework#12' };
    expect(dueFor([link, unlinked], closed)).toBeUndefined();
    const at150: UpstreamChange = { ...closed, closedAt: new Date(150).toISOString() };
    expect(dueFor([link, unlinked, { ...link, at: 160 }], at150)).toBeUndefined(); // closed before the new link
    expect(dueFor([link, unlinked, { ...link, at: 140 }], at150)).toEqual({ id: `closed:${at150.closedAt}` });
    expect(dueFor([link, { ...link, at: 130 }, unlinked], closed)).toBeUndefined(); // both links ended
  });
});
