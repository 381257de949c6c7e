/**
 * GitHub's webhook payloads (events `issues` and `release`) as vendor-neutral changes
 * (src/core/upstream-news.ts). Only the fields used are read, each checked; anything else
 * (another event or action, a pull request, a draft release, a malformed body) is no change.
 * See https://docs.github.com/en/webhooks/webhook-events-and-payloads
 */
import { z } from 'zod';
import { isRepoName } from '../core/tracker';
import { mentionedIssues, type UpstreamChange } from '../core/upstream-news';

const repository = z.object({ full_name: z.string().refine(isRepoName) });

const issues = z.object({
  action: z.enum(['closed', 'reopened']),
  issue: z.object({
    number: z.number().int().positive(),
    html_url: z.string(),
    closed_at: z.string().nullish(),
    pull_request: z.unknown().optional(),
  }),
  repository,
});

const release = z.object({
  action: z.literal('published'),
  release: z.object({
    tag_name: z.string().min(1),
    name: z.string().nullish(),
    body: z.string().nullish(),
    html_url: z.string(),
    draft: z.boolean().optional(),
    published_at: z.string().nullish(),
  }),
  repository,
});

/** The changes one delivery tells of (none for what GroupDesk does not act on). */
export function githubChanges(event: string, payload: unknown, now: number): UpstreamChange[] {
  if (event === 'issues') {
    const parsed = issues.safeParse(payload);
    if (!parsed.success || parsed.data.issue.pull_request !== undefined) return [];
    const { action, issue, repository: repo } = parsed.data;
    const ref = { repo: repo.full_name, number: issue.number };
    if (action === 'reopened') return [{ kind: 'reopened', ref, url: issue.html_url }];
    return [
      { kind: 'closed', ref, url: issue.html_url, closedAt: issue.closed_at ?? new Date(now).toISOString() },
    ];
  }
  if (event === 'release') {
    const parsed = release.safeParse(payload);
    if (!parsed.success || parsed.data.release.draft === true) return [];
    const { release: r, repository: repo } = parsed.data;
    const published = r.published_at ? Date.parse(r.published_at) : Number.NaN;
    const news = {
      tag: r.tag_name,
      name: r.name || r.tag_name,
      url: r.html_url,
      publishedAt: Number.isFinite(published) ? published : now,
    };
    return mentionedIssues(repo.full_name, `${r.name ?? ''}\n${r.body ?? ''}`).map((ref) => ({
      kind: 'released',
      ref,
      release: news,
    }));
  }
  return [];
}
