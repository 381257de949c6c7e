import { UserError } from '../src/core/errors';
import { parseIssueRef } from '../src/core/tracker';
import { defineCommand } from './types';
import { isLinked, onTracker, recordLink, refOf, TICKET_AND_ISSUE, upstreamOf } from './upstream';

/**
 * `/link #N owner/repo#123`: links an existing upstream issue (checked to exist) to the
 * ticket. Several tickets, of several customers, may link the same issue.
 */
export const linkCommand = defineCommand({
  name: 'link',
  aliases: { 'zh-CN': ['关联'] },
  ...TICKET_AND_ISSUE,
  async run(ctx, args) {
    const upstream = upstreamOf(ctx);
    const ticket = await ctx.visibleTicket(args.ticket);
    const ref = parseIssueRef(args.issue);
    if (ref === undefined) throw new UserError('link.bad_ref', { text: args.issue });
    const issue = await onTracker(ref.repo, () => upstream.tracker.getIssue(ref));
    if (issue === undefined) throw new UserError('link.not_found', { ref: refOf(ref) });
    if (await isLinked(ctx, ticket, refOf(issue))) {
      ctx.reply(ctx.t('link.already', { ticket: ticket.number, ref: refOf(issue) }));
      return;
    }
    await recordLink(ctx, ticket, issue);
    ctx.reply(
      ctx.t('link.added', { ticket: ticket.number, ref: refOf(issue), title: issue.title, url: issue.url }),
    );
  },
});
