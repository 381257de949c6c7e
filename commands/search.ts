/**
 * `/search words [page]` for staff over every ticket's subject, messages and replies (the
 * store's TicketSearch), ten at a time. In a customer group the results are that customer's
 * tickets only, and only the speaker sees them: another customer's ticket is never posted there.
 */
import { z } from 'zod';
import { UserError } from '../src/core/errors';
import { searchWords } from '../src/core/search';
import { excerptOf } from '../src/core/text';
import { defineCommand, STAFF_PLACES } from './types';

const PAGE = 10;

export const searchCommand = defineCommand({
  name: 'search',
  aliases: { 'zh-CN': ['搜索'] },
  audience: ['engineer'],
  places: STAFF_PLACES,
  params: [{ name: 'words', kind: 'text', required: true }],
  schema: z.object({ words: z.string().min(1) }),
  async run(ctx, args) {
    const store = ctx.desk.store;
    const search = ctx.desk.search;
    if (!search) throw new UserError('search.unavailable');
    // A trailing number is the page: `/search login loop 2`.
    const match = /^([\s\S]*\S)\s+(\d{1,3})$/u.exec(args.words.trim());
    const words = match ? match[1]! : args.words.trim();
    const page = match ? Math.max(1, Number(match[2])) : 1;
    if (searchWords(words).length === 0) throw new UserError('search.empty');
    const hits = await search.searchTickets({
      words,
      limit: PAGE + 1,
      offset: (page - 1) * PAGE,
      ...(ctx.place.customerId !== undefined ? { customerId: ctx.place.customerId } : {}),
    });
    const only = { private: ctx.place.kind === 'customer' };
    if (hits.length === 0) return ctx.reply(ctx.t('search.none', { words, page }), only);
    const shown = hits.slice(0, PAGE);
    const tickets = await Promise.all(shown.map((h) => store.getTicket(h.number)));
    const lines = shown.flatMap((hit, i) => {
      const ticket = tickets[i];
      if (!ticket) return [];
      const status = ctx.t(`staff_state.${ticket.status}`);
      return [`#${ticket.number} · ${ticket.customerId} · ${status} · ${excerptOf(hit.snippet, 80)}`];
    });
    const more =
      hits.length > PAGE ? [ctx.t('search.more', { command: ctx.command, words, next: page + 1 })] : [];
    ctx.reply([ctx.t('search.header', { words, page }), ...lines, ...more].join('\n'), only);
  },
});
