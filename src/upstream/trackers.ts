/**
 * One Tracker for the desk whatever the repository's tracker: `gitlab:…` names go to GitLab,
 * the others to GitHub. A name whose tracker is not configured is a TrackerError
 * (`tracker_missing`), answered plainly like any other tracker failure.
 */
import {
  type IssueRef,
  type NewIssue,
  onGitlab,
  type RepoName,
  type Tracker,
  TrackerError,
} from '../core/tracker';

export class TrackerRouter implements Tracker {
  constructor(
    private readonly github: Tracker | undefined,
    private readonly gitlab: Tracker | undefined,
  ) {}

  private pick(repo: RepoName): Tracker {
    const tracker = onGitlab(repo) ? this.gitlab : this.github;
    if (tracker === undefined)
      throw new TrackerError('tracker_missing', `no tracker is configured for ${repo}`);
    return tracker;
  }

  createIssue(issue: NewIssue) {
    return this.pick(issue.repo).createIssue(issue);
  }

  getIssue(ref: IssueRef) {
    return this.pick(ref.repo).getIssue(ref);
  }

  listReleases(repo: RepoName, limit?: number) {
    return this.pick(repo).listReleases(repo, limit);
  }
}
