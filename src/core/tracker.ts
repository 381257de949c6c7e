/**
 * The upstream issue tracker as the core sees it: door- and vendor-neutral (GitHub first,
 * GitLab later through the same port). Implementations live in src/upstream/.
 * Every method either succeeds or rejects with a {@link TrackerError}; nothing is half done
 * on the tracker's side that the caller would have to undo.
 */

/**
 * `owner/repo` on GitHub (its "full name"), or `gitlab:group/sub/project` on GitLab (the
 * project's path with its namespace, behind the `gitlab:` prefix that picks the tracker).
 */
export type RepoName = string;

export interface IssueRef {
  readonly repo: RepoName;
  readonly number: number;
}

export interface UpstreamIssue extends IssueRef {
  readonly title: string;
  readonly state: 'open' | 'closed';
  readonly url: string;
  /** When it was last closed (the tracker's ISO time), while it is closed. */
  readonly closedAt?: string;
}

export interface UpstreamRelease {
  readonly repo: RepoName;
  readonly tag: string;
  readonly name: string;
  readonly body: string;
  readonly url: string;
  /** Epoch ms; absent for a draft. */
  readonly publishedAt?: number;
}

export interface NewIssue {
  readonly repo: RepoName;
  readonly title: string;
  readonly body: string;
}

export interface Tracker {
  createIssue(issue: NewIssue): Promise<UpstreamIssue>;
  /** The issue, or undefined when the repository has no such issue (or it is a pull request). */
  getIssue(ref: IssueRef): Promise<UpstreamIssue | undefined>;
  /** Published releases, newest first (at most `limit`, default 20). */
  listReleases(repo: RepoName, limit?: number): Promise<UpstreamRelease[]>;
}

/**
 * A conditional read (HTTP ETag): `value` is absent when nothing changed since the read that
 * returned `etag` (a 304, which GitHub does not count against the rate limit).
 */
export interface IfChanged<T> {
  readonly etag?: string;
  readonly value?: T;
}

/** What the poller reads (GROUPDESK_GITHUB_POLL_MINUTES); rejects with a TrackerError as the others do. */
export interface PollingTracker {
  /** The issue unless unchanged since `etag`; `value` undefined also when there is no such issue. */
  issueIfChanged(ref: IssueRef, etag?: string): Promise<IfChanged<UpstreamIssue | undefined>>;
  /** The published releases (newest first, at most 20) unless unchanged since `etag`. */
  releasesIfChanged(repo: RepoName, etag?: string): Promise<IfChanged<UpstreamRelease[]>>;
}

/** Why a tracker call failed, in terms the engineer can act on. */
export type TrackerFailure =
  /** Unreachable, a 5xx, or a timeout. */
  | 'unavailable'
  /** 429 or a rate-limit 403; `retryAfterSeconds` says when to try again. */
  | 'rate_limited'
  /** The token is missing, wrong, or lacks the permission. */
  | 'unauthorised'
  /** No such repository. */
  | 'not_found'
  /** The tracker refused the content (422). */
  | 'rejected'
  /** No tracker of that kind is configured (a `gitlab:` name without GROUPDESK_GITLAB_TOKEN, or the reverse). */
  | 'tracker_missing';

export class TrackerError extends Error {
  constructor(
    readonly failure: TrackerFailure,
    message: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrackerError';
  }
}

const REPO = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\/[A-Za-z0-9_.-]{1,100}$/;
const GITLAB_PATH = /^gitlab:[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(\/[A-Za-z0-9_.-]{1,100}){1,19}$/;
export const GITLAB_PREFIX = 'gitlab:';

/** Whether `text` is an `owner/repo` name, or a `gitlab:group/project` one. */
export function isRepoName(text: string): text is RepoName {
  return (
    (REPO.test(text) || GITLAB_PATH.test(text)) &&
    !text.split('/').some((part) => part === '.' || part === '..')
  );
}

/** Whether the repository lives on GitLab (`gitlab:` prefix). */
export const onGitlab = (repo: RepoName): boolean => repo.startsWith(GITLAB_PREFIX);

/** Parses `owner/repo#123`; undefined when it is not one. */
export function parseIssueRef(text: string): IssueRef | undefined {
  const match = /^([^#\s]+)#(\d{1,9})$/.exec(text.trim());
  if (!match?.[1] || !match[2] || !isRepoName(match[1])) return undefined;
  const number = Number(match[2]);
  return number > 0 ? { repo: match[1], number } : undefined;
}
