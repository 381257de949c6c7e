import { z } from 'zod';
import { UserError } from '../src/core/errors';
import type { Ticket } from '../src/core/model';
import { isRepoName, type NewIssue } from '../src/core/tracker';
import { issueDraft } from '../src/desk/upstream-draft';
import { type CommandContext, defineCommand } from './types';
import { onTracker, recordLink, refOf, upstreamOf } from './upstream';

async function draftFor(ctx: CommandContext, ticket: Ticket, repo: string): Promise<NewIssue> {
  const [customer, group, events] = await Promise.all([
    ctx.desk.store.getCustomer(ticket.customerId),
    ctx.desk.store.getGroup(ticket.platform, ticket.chatId),
    ctx.desk.store.listEvents(ticket.number),
  ]);
  const first = events.find((e) => e.kind === 'customer_message')?.text ?? '';
  const confidential = [ticket.customerId, customer?.name, group?.title].filter(
    (w): w is string => w !== undefined,
  );
  return issueDraft(
    repo,
    { subject: ticket.subject, firstMessage: first, confidential },
    ctx.t('issue.footer'),
  );
}

/**
 * `/issue #N draft` shows the upstream issue `/issue #N [owner/repo]` would open; the latter
 * opens it (in GROUPDESK_GITHUB_REPO when no repository is named) and links it to the ticket.
 * Staff places only: the draft quotes the customer's words.
 */
export const issueCommand = defineCommand({
  name: 'issue',
  aliases: { 'zh-CN': ['提交问题', '上游'] },
  audience: ['engineer'],
  places: ['staff', 'manager', 'direct'],
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'repo', kind: 'word', required: false },
  ],
  schema: z.object({ ticket: z.number().int().positive(), repo: z.string().min(1).optional() }),
  async run(ctx, args) {
    const upstream = upstreamOf(ctx);
    const ticket = await ctx.visibleTicket(args.ticket);
    const draftOnly = args.repo !== undefined && ctx.isKeyword('issue', 'draft', args.repo);
    const repo = draftOnly || args.repo === undefined ? upstream.defaultRepo : args.repo;
    if (repo === undefined) {
      if (!draftOnly) throw new UserError('issue.no_repo');
    } else if (!isRepoName(repo)) throw new UserError('upstream.bad_repo', { repo });
    const draft = await draftFor(ctx, ticket, repo ?? 'owner/repo');
    if (draftOnly) {
      ctx.reply(
        ctx.t('issue.draft', {
          ticket: ticket.number,
          repo: draft.repo,
          title: draft.title,
          body: draft.body,
        }),
      );
      return;
    }
    const created = await onTracker(draft.repo, () => upstream.tracker.createIssue(draft));
    await recordLink(ctx, ticket, created);
    ctx.reply(ctx.t('issue.created', { ticket: ticket.number, ref: refOf(created), url: created.url }));
  },
});
