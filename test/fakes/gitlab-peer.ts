/**
 * A local fake of GitLab's REST API (v4) on 127.0.0.1: the endpoints the GitLab tracker
 * uses, with GitLab's status codes (404 for an unknown project or issue, 401 without the
 * right PRIVATE-TOKEN, 429 with Retry-After when `mode` is 'rate_limited'). Projects are
 * addressed by their URL-encoded path, as GitLab allows. Real HTTP, so the real fetch-based
 * tracker is what talks to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpPeer } from './local-peer';

export interface FakeGitlabIssue {
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed';
  closed_at?: string | null;
}

export class GitlabPeer extends LocalHttpPeer {
  readonly projects = new Map<string, { issues: FakeGitlabIssue[] }>();
  readonly seen: Array<{ method: string; url: string; token: string | undefined }> = [];
  mode: 'ok' | 'rate_limited' = 'ok';

  constructor(readonly token: string) {
    super();
  }

  addProject(path: string): { issues: FakeGitlabIssue[] } {
    const project = { issues: [] };
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
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      return res.end(JSON.stringify(json));
    };
    if (this.mode === 'rate_limited') return send(429, { message: 'Retry later' }, { 'retry-after': '45' });
    if (token !== this.token) return send(401, { message: '401 Unauthorized' });
    const url = new URL(req.url ?? '/', this.url);
    const match = /^\/api\/v4\/projects\/([^/]+)\/issues(?:\/(\d+))?$/.exec(url.pathname);
    const path = match ? decodeURIComponent(match[1] ?? '') : '';
    const project = this.projects.get(path);
    if (!match || !project) return send(404, { message: '404 Project Not Found' });
    const web = `https://gitlab.example/${path}/-/issues`;
    const json = (i: FakeGitlabIssue) => ({ ...i, web_url: `${web}/${i.iid}` });
    if (req.method === 'GET' && match[2]) {
      const issue = project.issues.find((i) => i.iid === Number(match[2]));
      return issue ? send(200, json(issue)) : send(404, { message: '404 Not found' });
    }
    if (req.method === 'POST' && !match[2]) {
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
