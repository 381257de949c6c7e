/**
 * Shared by `/issue`, `/link` and `/unlink`: the configured tracker or a polite refusal, a tracker
 * failure as a plain localised answer, and the link recorded on the ticket's history.
 */
import { z } from 'zod';
import { UserError } from '../src/core/errors';
import type { Ticket } from '../src/core/model';
import { TrackerError, type UpstreamIssue } from '../src/core/tracker';
import { currentLink } from '../src/core/upstream-links';
import type { CommandContext, Upstream } from './types';

/** Who may run `/link` and `/unlink`, where, and their two arguments: `#N owner/repo#123`. */
export const TICKET_AND_ISSUE = {
  audience: ['engineer'],
  places: ['staff', 'manager', 'direct'],
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'issue', kind: 'word', required: true },
  ],
  schema: z.object({ ticket: z.number().int().positive(), issue: z.string().min(1) }),
} as const;

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

/** The ticket's link to this issue in force (none after an /unlink), as it was linked. */
export async function linkOf(ctx: CommandContext, ticket: Ticket, ref: string): Promise<string | undefined> {
  const events = await ctx.desk.store.listEvents(ticket.number);
  return currentLink(events, ref.toLowerCase())?.to;
}

/** Whether the ticket already links this issue. */
export async function isLinked(ctx: CommandContext, ticket: Ticket, ref: string): Promise<boolean> {
  return (await linkOf(ctx, ticket, ref)) !== undefined;
}

export async function recordLink(ctx: CommandContext, ticket: Ticket, issue: UpstreamIssue): Promise<void> {
  await ctx.desk.tickets.linkUpstream(ticket, ctx.me(), refOf(issue), `${issue.title} ${issue.url}`);
}
