/**
 * The Tracker port on GitHub's REST API through `@octokit/core`: the well-kept client
 * (auth header, user agent, base URL, typed errors) without @octokit/rest's thousand
 * generated endpoint methods, of which three are used here. Version 5 is the last one
 * published as CommonJS, which this project and its jest transform load without an
 * ESM bridge; its API is the same as 6/7 for these calls.
 * Retries are deliberately not done here: a 429 or an outage is reported with its
 * Retry-After so that the engineer is told plainly and nothing is half recorded.
 * See https://docs.github.com/en/rest/issues/issues and
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
import { Octokit } from '@octokit/core';
import type { GithubConfig } from '../../config/github.config';
import {
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
  number: number;
  title: string;
  state: string;
  html_url: string;
  closed_at?: string | null;
  pull_request?: unknown;
}

interface ReleaseJson {
  tag_name: string;
  name: string | null;
  body?: string | null;
  html_url: string;
  draft: boolean;
  published_at: string | null;
}

function split(repo: RepoName): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
}

/** Seconds to wait, from Retry-After (seconds or a date) or x-ratelimit-reset (epoch seconds). */
function retryAfter(headers: Record<string, unknown>, now: number): number | undefined {
  const after = headers['retry-after'];
  if (typeof after === 'string' || typeof after === 'number') {
    const seconds = Number(after);
    if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
    const date = Date.parse(String(after));
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = Number(headers['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : undefined;
}

/** Converts whatever octokit threw into a TrackerError; the token never appears (octokit redacts it). */
function asTrackerError(error: unknown, what: string, now: number): TrackerError {
  const status = (error as { status?: unknown }).status;
  const headers = ((error as { response?: { headers?: Record<string, unknown> } }).response?.headers ??
    {}) as Record<string, unknown>;
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  if (typeof status !== 'number')
    return new TrackerError('unavailable', message, undefined, { cause: error });
  const limited =
    status === 429 ||
    (status === 403 && (headers['x-ratelimit-remaining'] === '0' || 'retry-after' in headers));
  if (limited)
    return new TrackerError('rate_limited', message, retryAfter(headers, now) ?? 60, { cause: error });
  if (status === 401 || status === 403)
    return new TrackerError('unauthorised', message, undefined, { cause: error });
  if (status === 404 || status === 410)
    return new TrackerError('not_found', message, undefined, { cause: error });
  if (status === 422) return new TrackerError('rejected', message, undefined, { cause: error });
  return new TrackerError('unavailable', message, undefined, { cause: error });
}

export class GithubTracker implements Tracker, PollingTracker {
  private readonly octokit: Octokit;

  constructor(
    config: Pick<GithubConfig, 'token' | 'apiUrl'>,
    private readonly now: () => number = Date.now,
  ) {
    this.octokit = new Octokit({
      auth: config.token,
      baseUrl: config.apiUrl,
      userAgent: 'groupdesk',
    });
  }

  private async call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await run(AbortSignal.timeout(TIMEOUT_MS));
    } catch (error) {
      throw asTrackerError(error, what, this.now());
    }
  }

  async createIssue(issue: NewIssue): Promise<UpstreamIssue> {
    const { data } = await this.call(`create an issue in ${issue.repo}`, (signal) =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues', {
        ...split(issue.repo),
        title: issue.title,
        body: issue.body,
        request: { signal },
      }),
    );
    return toIssue(issue.repo, data as IssueJson);
  }

  async getIssue(ref: IssueRef): Promise<UpstreamIssue | undefined> {
    try {
      const { data } = await this.call(`read ${ref.repo}#${ref.number}`, (signal) =>
        this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
          ...split(ref.repo),
          issue_number: ref.number,
          request: { signal },
        }),
      );
      const json = data as IssueJson;
      return json.pull_request === undefined ? toIssue(ref.repo, json) : undefined;
    } catch (error) {
      if (error instanceof TrackerError && error.failure === 'not_found') return undefined;
      throw error;
    }
  }

  async listReleases(repo: RepoName, limit = 20): Promise<UpstreamRelease[]> {
    return (await this.releasesIfChanged(repo, undefined, limit)).value ?? [];
  }

  async issueIfChanged(ref: IssueRef, etag?: string): Promise<IfChanged<UpstreamIssue | undefined>> {
    try {
      const answer = await this.ifChanged(`read ${ref.repo}#${ref.number}`, etag, (headers, signal) =>
        this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
          ...split(ref.repo),
          issue_number: ref.number,
          headers,
          request: { signal },
        }),
      );
      const json = answer.value as IssueJson | undefined;
      if (json === undefined) return answer.etag === undefined ? {} : { etag: answer.etag };
      return {
        ...(answer.etag !== undefined && { etag: answer.etag }),
        value: json.pull_request === undefined ? toIssue(ref.repo, json) : undefined,
      };
    } catch (error) {
      if (error instanceof TrackerError && error.failure === 'not_found') return {};
      throw error;
    }
  }

  async releasesIfChanged(repo: RepoName, etag?: string, limit = 20): Promise<IfChanged<UpstreamRelease[]>> {
    const answer = await this.ifChanged(`list the releases of ${repo}`, etag, (headers, signal) =>
      this.octokit.request('GET /repos/{owner}/{repo}/releases', {
        ...split(repo),
        per_page: Math.min(100, Math.max(1, limit)),
        headers,
        request: { signal },
      }),
    );
    if (answer.value === undefined) return answer.etag === undefined ? {} : { etag: answer.etag };
    return { ...(answer.etag !== undefined && { etag: answer.etag }), value: toReleases(repo, answer.value) };
  }

  /** A GET with If-None-Match; octokit throws a 304 as an error, which here means "unchanged". */
  private async ifChanged(
    what: string,
    etag: string | undefined,
    get: (
      headers: Record<string, string>,
      signal: AbortSignal,
    ) => Promise<{ data: unknown; headers: Record<string, unknown> }>,
  ): Promise<IfChanged<unknown>> {
    try {
      const { data, headers } = await get(
        etag === undefined ? {} : { 'if-none-match': etag },
        AbortSignal.timeout(TIMEOUT_MS),
      );
      const tag = headers.etag;
      return { ...(typeof tag === 'string' && { etag: tag }), value: data };
    } catch (error) {
      if ((error as { status?: unknown }).status === 304) return etag === undefined ? {} : { etag };
      throw asTrackerError(error, what, this.now());
    }
  }
}

function toReleases(repo: RepoName, data: unknown): UpstreamRelease[] {
  return (data as ReleaseJson[])
    .filter((r) => !r.draft)
    .map((r) => ({
      repo,
      tag: r.tag_name,
      name: r.name ?? r.tag_name,
      body: r.body ?? '',
      url: r.html_url,
      ...(r.published_at !== null && { publishedAt: Date.parse(r.published_at) }),
    }));
}

function toIssue(repo: RepoName, json: IssueJson): UpstreamIssue {
  return {
    repo,
    number: json.number,
    title: json.title,
    state: json.state === 'closed' ? 'closed' : 'open',
    url: json.html_url,
    ...(json.state === 'closed' && typeof json.closed_at === 'string' && { closedAt: json.closed_at }),
  };
}
