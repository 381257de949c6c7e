/**
 * The satisfaction survey's answer by command: what its buttons send (`/rate #1001 5`), and
 * what a requester may type anywhere, with a comment after the score. A bare `5` in the
 * group does the same while the survey waits (src/router/survey.ts).
 */
import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { COMMENT_MS, parseScore } from '../src/core/survey';
import { comment, rate, tellOfRating } from '../src/desk/survey';
import { defineCommand } from './types';

export const rateCommand = defineCommand({
  name: 'rate',
  aliases: { 'zh-CN': ['评分', '评价'] },
  audience: ['subscriber'],
  places: ['customer', 'direct'],
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'score', kind: 'word', required: true },
    { name: 'comment', kind: 'text', required: false },
  ],
  schema: z.object({
    ticket: z.number().int().positive(),
    score: z.string(),
    comment: z.string().optional(),
  }),
  async run(ctx, args) {
    const score = parseScore(args.score);
    if (score === undefined) throw new UserError('survey.bad_score', { score: args.score });
    const me = ctx.me();
    const ticket = await ctx.visibleTicket(args.ticket);
    const rated = await rate(ctx.desk, ticket, me, score, args.score);
    const notes = tellOfRating(ctx.desk, rated, me, { score });
    if (args.comment?.trim()) {
      await comment(ctx.desk, rated, me, args.comment);
      ctx.reply(ctx.t('survey.comment_thanks', { ticket: ticket.number }));
      await notes();
      await tellOfRating(ctx.desk, rated, me, { comment: args.comment })();
      return;
    }
    ctx.reply(ctx.t('survey.thanks', { ticket: ticket.number, minutes: COMMENT_MS / 60_000 }));
    await notes();
  },
});
