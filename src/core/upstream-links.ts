/**
 * From an upstream issue to the tickets that link it (issue 16): what a tracker's webhook
 * or the poller needs to find whom to tell, without reading every ticket's history.
 * A link is the ticket's `upstream_link` event (`to` = `owner/repo#123`); each store keeps
 * an index of those events in the same write (SQLite: a partial expression index, schema
 * step 8; MongoDB: the `upstream_links` collection, checked against the events on read).
 * An `upstream_unlink` event for the same issue (/unlink) ends the link: a store's lookup
 * leaves out a link with a later unlink (SQLite) or drops its document (MongoDB).
 */
import { type IssueRef, parseIssueRef } from './tracker';

export interface UpstreamLinks {
  /**
   * The numbers of the tickets that link `ref`, ascending, each once. The repository is
   * compared without regard to case (GitHub's names are case-insensitive).
   */
  ticketsLinkedTo(ref: IssueRef): Promise<number[]>;
  /** Every issue some ticket links, each once (repository in lower case), in linkKey order: what the poller reads. */
  linkedIssues(): Promise<IssueRef[]>;
}

export function isUpstreamLinks(store: object): store is UpstreamLinks {
  return typeof (store as Partial<Record<keyof UpstreamLinks, unknown>>).ticketsLinkedTo === 'function';
}

/** The form links are indexed under: `owner/repo#123`, lower-case. */
export function linkKey(ref: IssueRef): string {
  return `${ref.repo}#${ref.number}`.toLowerCase();
}

/** The refs of index keys, those that do not parse left out. */
export function refsOfKeys(keys: readonly string[]): IssueRef[] {
  return keys.map((key) => parseIssueRef(key)).filter((ref): ref is IssueRef => ref !== undefined);
}

/**
 * The ticket's link to the issue `key` (linkKey) in force, from its events in history
 * order: the first `upstream_link` since the last `upstream_unlink`, or none.
 */
export function currentLink<E extends { readonly kind: string; readonly to?: string | undefined }>(
  events: readonly E[],
  key: string,
): E | undefined {
  let link: E | undefined;
  for (const e of events) {
    if (e.to?.toLowerCase() !== key) continue;
    if (e.kind === 'upstream_link') link ??= e;
    else if (e.kind === 'upstream_unlink') link = undefined;
  }
  return link;
}
