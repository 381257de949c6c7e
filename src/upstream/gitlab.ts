/**
 * The Tracker port on GitLab's REST API (v4), for `gitlab:group/project` repositories.
 * Plain fetch rather than a client library: three endpoints (read an issue, open one, list
 * releases) and one header (PRIVATE-TOKEN) do not justify a new dependency, and the answers
 * are checked here field by field anyway. Like the GitHub tracker it never retries: a 429
 * is reported with its Retry-After so the engineer is told plainly and nothing is half done.
 * See https://docs.gitlab.com/api/issues/ and https://docs.gitlab.com/api/releases/
 */
import type { GitlabConfig } from '../../config/gitlab.config';
import {
  GITLAB_PREFIX,
  type IfChanged,
  type IssueRef,
  type NewIssue,
  type PollingTracker,
  type RepoName,
  type Tracker,
  TrackerError,
  type UpstreamIssue,
  type UpstreamRelease,
} from '../core/tracker';

const TIMEOUT_MS = 10_000;

interface IssueJson {
  iid: number;
  title: string;
  state: string;
  web_url: string;
  closed_at?: string | null;
  updated_at?: string | null;
}

interface ReleaseJson {
  tag_name: string;
  name?: string | null;
  description?: string | null;
  released_at?: string | null;
  upcoming_release?: boolean;
  _links?: { self?: string };
}

export class GitlabTracker implements Tracker, PollingTracker {
  constructor(
    private readonly config: Pick<GitlabConfig, 'token' | 'url'>,
    private readonly now: () => number = Date.now,
  ) {}

  async createIssue(issue: NewIssue): Promise<UpstreamIssue> {
    const json = (await this.call(
      'POST',
      `${this.project(issue.repo)}/issues`,
      `create an issue in ${issue.repo}`,
      {
        title: issue.title,
        description: issue.body,
      },
    )) as IssueJson;
    return toIssue(issue.repo, json);
  }

  async getIssue(ref: IssueRef): Promise<UpstreamIssue | undefined> {
    const json = await this.issueJson(ref);
    return json === undefined ? undefined : toIssue(ref.repo, json);
  }

  /**
   * For the poller. GitLab's REST API sends weak ETags but ignores If-None-Match (its issue
   * 14357), so the tag kept here is the issue's `updated_at`, compared on this side: an
   * unchanged issue is still one request (GitLab counts it), but no work.
   */
  async issueIfChanged(ref: IssueRef, since?: string): Promise<IfChanged<UpstreamIssue | undefined>> {
    const json = await this.issueJson(ref);
    if (json === undefined) return {};
    const etag = `updated:${json.updated_at ?? json.closed_at ?? json.state}`;
    return etag === since ? { etag } : { etag, value: toIssue(ref.repo, json) };
  }

  /** For the poller: the releases unless their tags and dates are those of `since`. */
  async releasesIfChanged(repo: RepoName, since?: string): Promise<IfChanged<UpstreamRelease[]>> {
    const list = await this.listReleases(repo);
    const etag = `releases:${JSON.stringify(list.map((r) => [r.tag, r.publishedAt ?? null]))}`;
    return etag === since ? { etag } : { etag, value: list };
  }

  private async issueJson(ref: IssueRef): Promise<IssueJson | undefined> {
    try {
      const path = `${this.project(ref.repo)}/issues/${ref.number}`;
      return (await this.call('GET', path, `read ${ref.repo}#${ref.number}`)) as IssueJson;
    } catch (error) {
      if (error instanceof TrackerError && error.failure === 'not_found') return undefined;
      throw error;
    }
  }

  async listReleases(repo: RepoName, limit = 20): Promise<UpstreamRelease[]> {
    const perPage = Math.min(100, Math.max(1, limit));
    const path = `${this.project(repo)}/releases?per_page=${perPage}`;
    const list = (await this.call('GET', path, `list the releases of ${repo}`)) as ReleaseJson[];
    return list
      .filter((r) => r.upcoming_release !== true)
      .map((r) => ({
        repo,
        tag: r.tag_name,
        name: r.name || r.tag_name,
        body: r.description ?? '',
        url: r._links?.self ?? '',
        ...(r.released_at ? { publishedAt: Date.parse(r.released_at) } : {}),
      }));
  }

  /** `/projects/<url-encoded path>`: GitLab takes the namespaced path in place of the numeric id. */
  private project(repo: RepoName): string {
    return `/projects/${encodeURIComponent(repo.slice(GITLAB_PREFIX.length))}`;
  }

  private async call(method: 'GET' | 'POST', path: string, what: string, body?: object): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.config.url}/api/v4${path}`, {
        method,
        headers: {
          'private-token': this.config.token,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new TrackerError('unavailable', `${what}: ${String(error)}`, undefined, { cause: error });
    }
    if (res.ok) return res.json();
    await res.arrayBuffer().catch(() => undefined);
    const message = `${what}: HTTP ${res.status}`;
    if (res.status === 429)
      throw new TrackerError('rate_limited', message, this.retryAfter(res.headers) ?? 60);
    if (res.status === 401 || res.status === 403) throw new TrackerError('unauthorised', message);
    if (res.status === 404) throw new TrackerError('not_found', message);
    if (res.status === 400 || res.status === 422) throw new TrackerError('rejected', message);
    throw new TrackerError('unavailable', message);
  }

  /** Retry-After in seconds, else RateLimit-Reset (epoch seconds). */
  private retryAfter(headers: Headers): number | undefined {
    const after = Number(headers.get('retry-after'));
    if (headers.has('retry-after') && Number.isFinite(after)) return Math.max(0, Math.ceil(after));
    const reset = Number(headers.get('ratelimit-reset'));
    return Number.isFinite(reset) && reset > 0
      ? Math.max(0, Math.ceil(reset - this.now() / 1000))
      : undefined;
  }
}

function toIssue(repo: RepoName, json: IssueJson): UpstreamIssue {
  const closed = json.state === 'closed';
  return {
    repo,
    number: json.iid,
    title: json.title,
    state: closed ? 'closed' : 'open',
    url: json.web_url,
    ...(closed && typeof json.closed_at === 'string' && { closedAt: json.closed_at }),
  };
}
