/**
 * The upstream trackers from configuration: GitHub and/or GitLab behind one Tracker
 * (trackers.ts), the webhook secrets, and the GitHub tracker itself for the poller.
 */
import type { GithubConfig } from '../../config/github.config';
import type { GitlabConfig } from '../../config/gitlab.config';
import type { Upstream } from '../desk/types';
import { GithubTracker } from './github';
import { GitlabTracker } from './gitlab';
import { TrackerRouter } from './trackers';

export interface BuiltUpstream {
  /** Absent when neither tracker is configured: the upstream commands say so. */
  readonly upstream?: Upstream;
  /** What the pollers read: each tracker configured. */
  readonly github?: GithubTracker;
  readonly gitlab?: GitlabTracker;
}

export function buildUpstream(
  config: { readonly github: GithubConfig | undefined; readonly gitlab: GitlabConfig | undefined },
  now: () => number,
): BuiltUpstream {
  const { github: gh, gitlab: gl } = config;
  const github = gh === undefined ? undefined : new GithubTracker(gh, now);
  const gitlab = gl === undefined ? undefined : new GitlabTracker(gl, now);
  if (github === undefined && gitlab === undefined) return {};
  const upstream: Upstream = {
    tracker: new TrackerRouter(github, gitlab),
    ...(gh?.defaultRepo !== undefined && { defaultRepo: gh.defaultRepo }),
    ...(gh?.webhookSecret !== undefined && { webhookSecret: gh.webhookSecret }),
    ...(gl?.webhookToken !== undefined && { gitlabWebhookToken: gl.webhookToken }),
  };
  return { upstream, ...(github !== undefined && { github }), ...(gitlab !== undefined && { gitlab }) };
}
