/**
 * Shared by `/issue` and `/link`: the configured tracker or a polite refusal, a tracker
 * failure as a plain localised answer, and the link recorded on the ticket's history.
 */
import { UserError } from '../src/core/errors';
import type { Ticket } from '../src/core/model';
import { TrackerError, type UpstreamIssue } from '../src/core/tracker';
import type { CommandContext, Upstream } from './types';

export function upstreamOf(ctx: CommandContext): Upstream {
  if (ctx.desk.upstream === undefined) throw new UserError('upstream.not_configured');
  return ctx.desk.upstream;
}

/** Runs a tracker call; its failure becomes the engineer's answer (nothing was recorded). */
export async function onTracker<T>(repo: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof TrackerError)) throw error;
    if (error.failure === 'rate_limited')
      throw new UserError('upstream.rate_limited', { seconds: error.retryAfterSeconds ?? 60 });
    throw new UserError(`upstream.${error.failure}`, { repo });
  }
}

export const refOf = (issue: Pick<UpstreamIssue, 'repo' | 'number'>): string =>
  `${issue.repo}#${issue.number}`;

/** Whether the ticket already links this issue. */
export async function isLinked(ctx: CommandContext, ticket: Ticket, ref: string): Promise<boolean> {
  const events = await ctx.desk.store.listEvents(ticket.number);
  return events.some((e) => e.kind === 'upstream_link' && e.to?.toLowerCase() === ref.toLowerCase());
}

export async function recordLink(ctx: CommandContext, ticket: Ticket, issue: UpstreamIssue): Promise<void> {
  await ctx.desk.tickets.linkUpstream(ticket, ctx.me(), refOf(issue), `${issue.title} ${issue.url}`);
}
