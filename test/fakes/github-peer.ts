/**
 * A local fake of the GitHub REST API on 127.0.0.1: the few endpoints the Tracker uses,
 * with GitHub's status codes and headers (404 for an unknown repo or issue, 401 for a bad
 * token, 429 with Retry-After when `mode` is 'rate_limited', 503 when 'down').
 * Real HTTP, so the real @octokit/core client is what talks to it.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpPeer } from './local-peer';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  closed_at?: string | null;
  pull_request?: object;
}

export interface FakeRelease {
  tag_name: string;
  name: string;
  body: string;
  draft: boolean;
  published_at: string | null;
}

export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export class GithubPeer extends LocalHttpPeer {
  readonly repos = new Map<string, { issues: FakeIssue[]; releases: FakeRelease[] }>();
  readonly seen: SeenRequest[] = [];
  /** `rate_limited`: 429 with Retry-After; `exhausted`: 403 with x-ratelimit-remaining 0 and x-ratelimit-reset. */
  mode: 'ok' | 'down' | 'rate_limited' | 'exhausted' = 'ok';
  retryAfterSeconds = 30;
  /** Epoch seconds the `exhausted` quota comes back at. */
  resetAt = 0;
  /** GETs answered 304 Not Modified (their If-None-Match named the current ETag). */
  notModified = 0;

  constructor(readonly token: string) {
    super();
  }

  addRepo(name: string): { issues: FakeIssue[]; releases: FakeRelease[] } {
    const repo = { issues: [], releases: [] };
    this.repos.set(name, repo);
    return repo;
  }

  protected handle(req: IncomingMessage, res: ServerResponse, raw: string): ServerResponse {
    const body = raw ? (JSON.parse(raw) as unknown) : undefined;
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(json);
      if (req.method === 'GET' && status === 200) {
        // A weak ETag of the body, as GitHub gives; a matching If-None-Match is a 304 with no body.
        const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
        if (req.headers['if-none-match'] === etag) {
          this.notModified += 1;
          res.writeHead(304, { etag });
          return res.end();
        }
        headers = { ...headers, etag };
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      return res.end(text);
    };
    if (this.mode === 'down') return send(503, { message: 'Service Unavailable' });
    if (this.mode === 'rate_limited')
      return send(
        429,
        { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' },
        { 'retry-after': String(this.retryAfterSeconds), 'x-ratelimit-remaining': '0' },
      );
    if (this.mode === 'exhausted')
      return send(
        403,
        { message: 'API rate limit exceeded for user.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(this.resetAt) },
      );
    if (req.headers.authorization !== `token ${this.token}`) return send(401, { message: 'Bad credentials' });
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/repos\/([^/]+)\/([^/]+)\/(issues|releases)(?:\/(\d+))?$/.exec(url.pathname);
    const repo = match ? this.repos.get(`${match[1]}/${match[2]}`) : undefined;
    if (!match || !repo) return send(404, { message: 'Not Found' });
    const html = `https://github.com/${match[1]}/${match[2]}`;
    const issueJson = (i: FakeIssue) => ({ ...i, html_url: `${html}/issues/${i.number}` });
    if (match[3] === 'issues' && req.method === 'POST' && !match[4]) {
      const { title, body: text } = body as { title?: unknown; body?: unknown };
      if (typeof title !== 'string' || title === '')
        return send(422, {
          message: 'Validation Failed',
          errors: [{ field: 'title', code: 'missing_field' }],
        });
      const issue: FakeIssue = {
        number: repo.issues.length + 1,
        title,
        body: typeof text === 'string' ? text : '',
        state: 'open',
      };
      repo.issues.push(issue);
      return send(201, issueJson(issue));
    }
    if (match[3] === 'issues' && req.method === 'GET' && match[4]) {
      const issue = repo.issues.find((i) => i.number === Number(match[4]));
      return issue ? send(200, issueJson(issue)) : send(404, { message: 'Not Found' });
    }
    if (match[3] === 'releases' && req.method === 'GET' && !match[4]) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const list = [...repo.releases].reverse().slice(0, perPage);
      return send(
        200,
        list.map((r) => ({ ...r, html_url: `${html}/releases/tag/${r.tag_name}` })),
      );
    }
    return send(404, { message: 'Not Found' });
  }
}

/**
 * GitHub's webhook sender: POSTs `payload` to `url` as GitHub does (JSON body, event and
 * delivery headers, X-Hub-Signature-256 over the exact bytes with the shared secret).
 */
export async function sendWebhook(
  url: string,
  secret: string,
  event: string,
  payload: unknown,
  delivery: string,
): Promise<number> {
  const { sign } = await import('@octokit/webhooks-methods');
  const body = JSON.stringify(payload);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': await sign({ secret, algorithm: 'sha256' }, body),
    },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}
