/**
 * The polling fallback (GROUPDESK_GITHUB_POLL_MINUTES, GROUPDESK_GITLAB_POLL_MINUTES) where the tracker's webhooks cannot
 * reach the bot: a job on the SLA scheduler's ticks that, every N minutes, reads each linked
 * issue and each of their repositories' releases with conditional requests (If-None-Match:
 * a 304 costs no rate limit and no work), and acts through the same UpstreamUpdates as the
 * webhook, so news seen both ways reaches a ticket once. A rate limit (429, or a 403 with
 * the quota spent) pauses all polling until its Retry-After or reset time; any other
 * failure is logged and the next issue is read.
 */
import type { Logger } from '../core/logger';
import { type IssueRef, type PollingTracker, TrackerError } from '../core/tracker';
import { linkKey, type UpstreamLinks } from '../core/upstream-links';
import { mentionedIssues, type UpstreamChange } from '../core/upstream-news';
import type { UpstreamUpdates } from '../desk/upstream-updates';
import type { ScheduledJob } from '../sla/scheduler';

export interface PollerParts {
  /** The scheduler's name for this job: one poller per tracker. */
  readonly name?: string;
  readonly tracker: PollingTracker;
  /** The repositories this tracker serves (GitHub's: not the `gitlab:` ones); all by default. */
  readonly accepts?: (repo: string) => boolean;
  readonly links: UpstreamLinks;
  readonly updates: Pick<UpstreamUpdates, 'apply'>;
  readonly everyMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

export class UpstreamPoller implements ScheduledJob {
  readonly name: string;
  private readonly etags = new Map<string, string>();
  private lastRun = Number.NEGATIVE_INFINITY;
  private pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly p: PollerParts) {
    this.name = p.name ?? 'upstream-poller';
  }

  /** One round when it is due (every `everyMs`, not while paused); returns how many tickets were told. */
  async run(now: number): Promise<void> {
    await this.poll(now);
  }

  async poll(now: number): Promise<number> {
    if (now < this.pausedUntil || (now - this.lastRun < this.p.everyMs && now >= this.lastRun)) return 0;
    this.lastRun = now;
    const accepts = this.p.accepts ?? (() => true);
    const refs = (await this.p.links.linkedIssues()).filter((ref) => accepts(ref.repo));
    let told = 0;
    try {
      for (const ref of refs) told += await this.issue(ref);
      const repos = [...new Set(refs.map((r) => r.repo))];
      for (const repo of repos) told += await this.releases(repo, refs);
    } catch (error) {
      if (!(error instanceof TrackerError && error.failure === 'rate_limited')) throw error;
      const seconds = error.retryAfterSeconds ?? 60;
      this.pausedUntil = now + seconds * 1000;
      this.p.logger.warn('upstream polling paused: the tracker rate-limits', { seconds });
    }
    return told;
  }

  private async issue(ref: IssueRef): Promise<number> {
    const key = `issue:${linkKey(ref)}`;
    const answer = await this.read(key, (etag) => this.p.tracker.issueIfChanged(ref, etag));
    const issue = answer?.value;
    let told = 0;
    if (issue !== undefined) {
      const change: UpstreamChange =
        issue.state === 'closed'
          ? { kind: 'closed', ref, url: issue.url, closedAt: issue.closedAt ?? 'unknown' }
          : { kind: 'reopened', ref, url: issue.url };
      told = await this.p.updates.apply(change);
    }
    this.keep(key, answer);
    return told;
  }

  private async releases(repo: string, refs: readonly IssueRef[]): Promise<number> {
    const answer = await this.read(`releases:${repo}`, (etag) =>
      this.p.tracker.releasesIfChanged(repo, etag),
    );
    const linked = new Set(refs.filter((r) => r.repo === repo).map((r) => r.number));
    let told = 0;
    // Oldest first, so that a customer hears of the first release with the fix first.
    for (const release of [...(answer?.value ?? [])].reverse()) {
      if (release.publishedAt === undefined) continue;
      const news = {
        tag: release.tag,
        name: release.name,
        url: release.url,
        publishedAt: release.publishedAt,
      };
      for (const ref of mentionedIssues(repo, `${release.name}\n${release.body}`)) {
        if (linked.has(ref.number))
          told += await this.p.updates.apply({ kind: 'released', ref, release: news });
      }
    }
    this.keep(`releases:${repo}`, answer);
    return told;
  }

  /** The ETag is kept only once its news was acted on: should that fail, the next round reads it whole again. */
  private keep(key: string, answer: { etag?: string } | undefined): void {
    if (answer?.etag !== undefined) this.etags.set(key, answer.etag);
  }

  /** A conditional read with the kept ETag; a failure other than a rate limit is logged and skipped. */
  private async read<T>(
    key: string,
    get: (etag: string | undefined) => Promise<{ etag?: string; value?: T }>,
  ): Promise<{ etag?: string; value?: T } | undefined> {
    try {
      return await get(this.etags.get(key));
    } catch (error) {
      if (error instanceof TrackerError && error.failure === 'rate_limited') throw error;
      this.p.logger.warn('upstream poll failed', { what: key, error: String(error) });
      return undefined;
    }
  }
}
