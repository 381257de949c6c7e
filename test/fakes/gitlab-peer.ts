/**
 * A local fake of GitLab's REST API (v4) on 127.0.0.1: the endpoints the GitLab tracker
 * uses, with GitLab's status codes (404 for an unknown project or issue, 401 without the
 * right PRIVATE-TOKEN, 429 with Retry-After when `mode` is 'rate_limited'). Projects are
 * addressed by their URL-encoded path, as GitLab allows. Real HTTP, so the real fetch-based
 * tracker is what talks to it. Like GitLab's API, it sends a weak ETag but ignores
 * If-None-Match (never a 304); an issue's `updated_at` is what a test moves on a change.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpPeer } from './local-peer';

export interface FakeGitlabIssue {
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  closed_at?: string | null;
  updated_at?: string;
}

export interface FakeGitlabRelease {
  tag_name: string;
  name: string;
  description: string;
  released_at: string;
}

export class GitlabPeer extends LocalHttpPeer {
  readonly projects = new Map<string, { issues: FakeGitlabIssue[]; releases: FakeGitlabRelease[] }>();
  readonly seen: Array<{ method: string; url: string; token: string | undefined }> = [];
  mode: 'ok' | 'rate_limited' = 'ok';

  constructor(readonly token: string) {
    super();
  }

  addProject(path: string): { issues: FakeGitlabIssue[]; releases: FakeGitlabRelease[] } {
    const project = { issues: [], releases: [] };
    this.projects.set(path, project);
    return project;
  }

  protected handle(req: IncomingMessage, res: ServerResponse, raw: string): ServerResponse {
    const token = req.headers['private-token'];
    this.seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      token: typeof token === 'string' ? token : undefined,
    });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      const body = JSON.stringify(json);
      const etag = `W/"${createHash('md5').update(body).digest('hex')}"`;
      res.writeHead(status, { 'content-type': 'application/json', etag, ...headers });
      return res.end(body);
    };
    if (this.mode === 'rate_limited') return send(429, { message: 'Retry later' }, { 'retry-after': '45' });
    if (token !== this.token) return send(401, { message: '401 Unauthorized' });
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/api\/v4\/projects\/([^/]+)\/(issues|releases)(?:\/(\d+))?$/.exec(url.pathname);
    const path = match ? decodeURIComponent(match[1] ?? '') : '';
    const project = this.projects.get(path);
    if (!match || !project) return send(404, { message: '404 Project Not Found' });
    if (req.method === 'GET' && match[2] === 'releases') {
      const list = project.releases.map((r) => ({
        ...r,
        _links: { self: `https://gitlab.example/${path}/-/releases/${r.tag_name}` },
      }));
      return send(200, list);
    }
    const web = `https://gitlab.example/${path}/-/issues`;
    const json = (i: FakeGitlabIssue) => ({ ...i, web_url: `${web}/${i.iid}` });
    if (req.method === 'GET' && match[3]) {
      const issue = project.issues.find((i) => i.iid === Number(match[3]));
      return issue ? send(200, json(issue)) : send(404, { message: '404 Not found' });
    }
    if (req.method === 'POST' && match[2] === 'issues' && !match[3]) {
      const body = JSON.parse(raw || '{}') as { title?: string; description?: string };
      if (!body.title) return send(400, { message: 'title is missing' });
      const issue: FakeGitlabIssue = {
        iid: project.issues.length + 1,
        title: body.title,
        description: body.description ?? '',
        state: 'opened',
      };
      project.issues.push(issue);
      return send(201, json(issue));
    }
    return send(404, { message: '404 Not Found' });
  }
}
