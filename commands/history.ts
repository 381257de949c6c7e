import { z } from 'zod';
import type { Ticket, TicketEvent } from '../src/core/model';
import { type Outbound, outboxChat } from '../src/core/ports';
import { excerptOf } from '../src/core/text';
import { type CommandContext, defineCommand } from './types';

/** Entries shown by default, and at most. */
const DEFAULT_COUNT = 20;
const MAX_COUNT = 50;
/** Characters of one message shown (the ticket keeps all of it). */
const TEXT_CHARS = 300;

/**
 * `/history #N [count]`: the ticket's latest entries — the customer's follow-ups (which
 * reach the ticket silently), answers, internal notes, status, assignment and priority
 * changes, reminders — so an engineer in the staff channel can read what the customer
 * added without opening their group. Staff places only: internal notes are listed.
 */
export const historyCommand = defineCommand({
  name: 'history',
  aliases: { 'zh-CN': ['记录', '历史'] },
  audience: ['engineer'],
  places: ['staff', 'manager', 'direct'],
  params: [
    { name: 'ticket', kind: 'ticket', required: true },
    { name: 'count', kind: 'number', required: false },
  ],
  schema: z.object({
    ticket: z.number().int().positive(),
    count: z.number().int().min(1).max(MAX_COUNT).default(DEFAULT_COUNT),
  }),
  async run(ctx, args) {
    const ticket = await ctx.visibleTicket(args.ticket);
    const events = await ctx.desk.store.listEvents(ticket.number);
    const shown = events.slice(-args.count);
    const names = new Map<string, string>();
    const nameOf = async (id: string | undefined): Promise<string> => {
      if (id === undefined) return ctx.t('status.unassigned');
      if (id === 'system') return 'GroupDesk';
      let name = names.get(id);
      if (name === undefined) {
        name = (await ctx.desk.store.getPerson(id))?.name ?? id;
        names.set(id, name);
      }
      return name;
    };
    const lines = [
      ctx.t('history.header', {
        ticket: ticket.number,
        subject: ticket.subject,
        shown: shown.length,
        total: events.length,
      }),
    ];
    const deliveries = await replyDeliveries(ctx, ticket);
    for (const event of shown) {
      const line = await entry(ctx, event, nameOf);
      const delivery = event.kind === 'staff_reply' ? deliveries.get(event.at) : undefined;
      lines.push(delivery ? `${line} ${ctx.t(`history.delivery.${delivery}`)}` : line);
    }
    ctx.reply(lines.join('\n'));
  },
});

/** Rows of the ticket's group read for delivery states: its newest relayed messages. */
const DELIVERY_ROWS = 500;

/**
 * What became of each relayed reply, by its event time: the outbox rows an engineer's
 * /reply left in the ticket's group (settled rows are purged after a week; a reply typed in
 * the group itself was never relayed, so neither has a state to show).
 */
async function replyDeliveries(ctx: CommandContext, ticket: Ticket): Promise<Map<number, string>> {
  const rows = await ctx.desk.store.listOutbound({
    chat: outboxChat(ticket),
    newestFirst: true,
    limit: DELIVERY_ROWS,
  });
  const states = new Map<number, string>();
  for (const row of rows) {
    const after = row.after;
    if (after?.kind !== 'staff-reply' || after.ticketNumber !== ticket.number) continue;
    if (after.repliedAt !== undefined && !states.has(after.repliedAt))
      states.set(after.repliedAt, stateOf(row));
  }
  return states;
}

function stateOf(row: Outbound): string {
  return row.state === 'sending' ? 'queued' : row.state;
}

async function entry(
  ctx: CommandContext,
  e: TicketEvent,
  nameOf: (id: string | undefined) => Promise<string>,
): Promise<string> {
  const base = { time: ctx.format.time(e.at), name: await nameOf(e.actorId) };
  const text = excerptOf(e.text ?? '', TEXT_CHARS);
  switch (e.kind) {
    case 'customer_message':
    case 'staff_reply':
    case 'internal_note':
      return ctx.t(`history.${e.kind}`, { ...base, text });
    case 'status_change':
      return ctx.t('history.status_change', {
        ...base,
        from: ctx.t(`staff_state.${e.from}`),
        to: ctx.t(`staff_state.${e.to}`),
      });
    case 'assignment':
      // /unclaim: "no longer assigned to bob", not "assigned to not yet assigned".
      if (e.to === undefined) return ctx.t('history.unassignment', { ...base, from: await nameOf(e.from) });
      return ctx.t('history.assignment', { ...base, to: await nameOf(e.to) });
    case 'priority_change':
      return ctx.t('history.priority_change', {
        ...base,
        from: String(e.from).toUpperCase(),
        to: String(e.to).toUpperCase(),
      });
    case 'reminder_sent':
      return ctx.t('history.reminder_sent', { ...base, stage: text });
    case 'upstream_link':
      return ctx.t('history.upstream_link', { ...base, ref: e.to ?? '', text });
    case 'upstream_unlink':
      return ctx.t('history.upstream_unlink', { ...base, ref: e.to ?? '' });
    case 'upstream_update':
      return ctx.t('history.upstream_update', { ...base, ref: e.to ?? '', text });
    case 'survey_sent':
      return ctx.t('history.survey_sent', base);
    case 'rating':
      return ctx.t('history.rating', { ...base, score: e.to ?? '?' });
    case 'rating_comment':
      return ctx.t('history.rating_comment', { ...base, text });
  }
}
