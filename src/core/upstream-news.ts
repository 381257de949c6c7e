/**
 * What a tracker tells about a linked issue (closed, reopened, fixed in a release), and
 * whether a ticket still has to hear it. Door- and vendor-neutral: GitHub's webhook and the
 * poller both turn what they see into an {@link UpstreamChange}; the desk acts on it
 * (src/desk/upstream-updates.ts). Each ticket's own `upstream_update` events are its
 * memory, so the same change reaches a ticket once, whichever way it arrived, however often.
 */
import type { TicketEvent } from './model';
import type { IssueRef, RepoName } from './tracker';
import { currentLink, linkKey } from './upstream-links';

export interface ReleaseNews {
  readonly tag: string;
  readonly name: string;
  readonly url: string;
  /** Epoch ms. */
  readonly publishedAt: number;
}

export type UpstreamChange =
  /** `closedAt`: the tracker's own time of closing (ISO), the same from a webhook or a poll. */
  | { readonly kind: 'closed'; readonly ref: IssueRef; readonly url: string; readonly closedAt: string }
  | { readonly kind: 'reopened'; readonly ref: IssueRef; readonly url: string }
  | { readonly kind: 'released'; readonly ref: IssueRef; readonly release: ReleaseNews };

/** What to record on one ticket: the change's id for it (the event's `from`). */
export interface Due {
  readonly id: string;
}

/**
 * Whether the ticket whose events these are must hear `change`, and under which id:
 * - closed: unless it already heard this very closing, or the issue was closed before the
 *   ticket linked it (a poll reading an issue linked while closed);
 * - reopened: only after it heard a closing (a customer never told of the closing is not
 *   told of the reopening either), once per closing;
 * - released: once per tag, and only for a release published after the ticket linked the
 *   issue (an old release did not fix the customer's problem).
 */
export function dueFor(events: readonly TicketEvent[], change: UpstreamChange): Due | undefined {
  const key = linkKey(change.ref);
  const of = (kind: TicketEvent['kind']) =>
    events.filter((e) => e.kind === kind && e.to?.toLowerCase() === key);
  const link = currentLink(events, key);
  if (link === undefined) return undefined;
  const heard = of('upstream_update').map((e) => e.from ?? '');
  const id = idOf(change, heard);
  if (id === undefined || heard.includes(id)) return undefined;
  if (change.kind === 'released' && change.release.publishedAt < link.at) return undefined;
  if (change.kind === 'closed' && Date.parse(change.closedAt) < link.at) return undefined;
  return { id };
}

function idOf(change: UpstreamChange, heard: readonly string[]): string | undefined {
  switch (change.kind) {
    case 'closed':
      return `closed:${change.closedAt}`;
    case 'released':
      return `released:${change.release.tag}`;
    case 'reopened': {
      const last = heard.filter((id) => id.startsWith('closed:') || id.startsWith('reopened:')).at(-1);
      return last?.startsWith('closed:') ? `reopened:${last}` : undefined;
    }
  }
}

const MAX_MENTIONS = 50;

/**
 * The issues of `repo` a release's name or notes mention: `#123`, `GH-123`,
 * `owner/repo#123` and the issue's address (`https://github.com/owner/repo/issues/123`,
 * `https://gitlab.com/group/project/-/issues/123`); another repository's issues are left
 * out. A `gitlab:` repository is named without its prefix in the notes. At most 50, each once.
 */
export function mentionedIssues(repo: RepoName, text: string): IssueRef[] {
  const own = repo.toLowerCase().replace(/^gitlab:/, '');
  const found: number[] = [];
  const patterns = [
    /(?:^|[^\w/#&-])(?:#|GH-)(\d{1,9})\b/giu,
    /\b([\w.-]+(?:\/[\w.-]+)+)#(\d{1,9})\b/gu,
    // GitHub's /owner/repo/issues/N, GitLab's /group/sub/project/-/issues/N.
    /https?:\/\/[^\s/]+\/((?:[\w.-]+\/)+?[\w.-]+)\/(?:-\/)?issues\/(\d{1,9})\b/gu,
  ];
  for (const [index, pattern] of patterns.entries()) {
    for (const m of text.matchAll(pattern)) {
      const [number, named] = index === 0 ? [m[1], own] : [m[2], m[1]?.toLowerCase()];
      if (named === own && number !== undefined && Number(number) > 0) found.push(Number(number));
    }
  }
  return [...new Set(found)].slice(0, MAX_MENTIONS).map((number) => ({ repo, number }));
}
