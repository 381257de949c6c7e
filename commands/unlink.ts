import { UserError } from '../src/core/errors';
import { parseIssueRef } from '../src/core/tracker';
import { linkKey } from '../src/core/upstream-links';
import { defineCommand } from './types';
import { linkOf, TICKET_AND_ISSUE } from './upstream';

/**
 * `/unlink #N owner/repo#123`: the ticket no longer links that issue (an event on its
 * history); later news of the issue no longer reaches it. The tracker is not asked: the
 * link is the desk's own record, and the issue may be gone by now.
 */
export const unlinkCommand = defineCommand({
  name: 'unlink',
  aliases: { 'zh-CN': ['取消关联'] },
  ...TICKET_AND_ISSUE,
  async run(ctx, args) {
    const ticket = await ctx.visibleTicket(args.ticket);
    const ref = parseIssueRef(args.issue);
    if (ref === undefined) throw new UserError('link.bad_ref', { text: args.issue });
    const linked = await linkOf(ctx, ticket, linkKey(ref));
    if (linked === undefined)
      throw new UserError('unlink.unknown', { ticket: ticket.number, ref: args.issue });
    await ctx.desk.tickets.unlinkUpstream(ticket, ctx.me(), linked);
    ctx.reply(ctx.t('unlink.done', { ticket: ticket.number, ref: linked }));
  },
});
