/**
 * GitLab's webhook payloads ("Issue Hook" and "Release Hook") as vendor-neutral changes,
 * for `gitlab:<path_with_namespace>` repositories. Only the fields used are read, each
 * checked; anything else is no change.
 * See https://docs.gitlab.com/user/project/integrations/webhook_events/
 */
import { z } from 'zod';
import { GITLAB_PREFIX, isRepoName } from '../core/tracker';
import { mentionedIssues, type UpstreamChange } from '../core/upstream-news';

const project = z.object({ path_with_namespace: z.string().min(3).max(1000) });

const issue = z.object({
  object_kind: z.literal('issue'),
  object_attributes: z.object({
    iid: z.number().int().positive(),
    action: z.string().optional(),
    url: z.string(),
    closed_at: z.string().nullish(),
    updated_at: z.string().nullish(),
  }),
  project,
});

const release = z.object({
  object_kind: z.literal('release'),
  action: z.string(),
  tag: z.string().min(1),
  name: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string(),
  released_at: z.string().nullish(),
  project,
});

/** GitLab's times look like `2026-11-23 03:00:00 UTC`; the change id needs one spelling for every path. */
function iso(text: string | null | undefined, now: number): string {
  const at = text ? Date.parse(text.replace(' UTC', 'Z').replace(' ', 'T')) : Number.NaN;
  return new Date(Number.isFinite(at) ? at : now).toISOString();
}

export function gitlabChanges(event: string, payload: unknown, now: number): UpstreamChange[] {
  if (event === 'Issue Hook') {
    const parsed = issue.safeParse(payload);
    if (!parsed.success) return [];
    const { object_attributes: a, project: p } = parsed.data;
    const repo = `${GITLAB_PREFIX}${p.path_with_namespace}`;
    if (!isRepoName(repo)) return [];
    const ref = { repo, number: a.iid };
    if (a.action === 'reopen') return [{ kind: 'reopened', ref, url: a.url }];
    if (a.action === 'close')
      return [{ kind: 'closed', ref, url: a.url, closedAt: iso(a.closed_at ?? a.updated_at, now) }];
    return [];
  }
  if (event === 'Release Hook') {
    const parsed = release.safeParse(payload);
    if (!parsed.success || parsed.data.action !== 'create') return [];
    const r = parsed.data;
    const repo = `${GITLAB_PREFIX}${r.project.path_with_namespace}`;
    if (!isRepoName(repo)) return [];
    const released = Date.parse(iso(r.released_at, now));
    const news = { tag: r.tag, name: r.name || r.tag, url: r.url, publishedAt: released };
    return mentionedIssues(repo, `${r.name ?? ''}\n${r.description ?? ''}`).map((ref) => ({
      kind: 'released',
      ref,
      release: news,
    }));
  }
  return [];
}
