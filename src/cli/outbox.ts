/**
 * `groupdesk outbox`: what waits to be sent (and what was given up), with age, attempts and
 * the last error; `outbox retry ID` sends a waiting or failed message again now, attempts
 * reset; `outbox drop ID` gives one up for good, so its chat moves on.
 */
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors';
import type { Outbound } from '../core/ports';
import { outboxHealth } from '../outbox/health';
import type { CustomerContext } from './customers';
import { UsageError } from './io';

const EXCERPT = 60;

function age(ctx: CustomerContext, ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 120
    ? ctx.t('cli.outbox.age_min', { n: minutes })
    : ctx.t('cli.outbox.age_h', { n: Math.floor(minutes / 60) });
}

function row(ctx: CustomerContext, r: Outbound): Record<string, string | number> {
  const text = r.message.text.replace(/\s+/g, ' ');
  return {
    id: r.id,
    state: r.state,
    chat: r.chat,
    seq: r.seq,
    age: age(ctx, ctx.now - r.createdAt),
    attempts: r.attempts,
    error: r.lastError ?? '-',
    excerpt: text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text,
  };
}

export async function outboxList(args: string[], ctx: CustomerContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { all: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length) throw new UsageError();
  const states = values.all
    ? (['queued', 'sending', 'failed', 'sent', 'dropped'] as const)
    : (['queued', 'sending', 'failed'] as const);
  const rows = await ctx.store.listOutbound({ states, limit: 500 });
  const health = await outboxHealth(ctx.store, ctx.now);
  if (health.waiting === 0) ctx.say('cli.outbox.empty');
  else ctx.say('cli.outbox.summary', { waiting: health.waiting, age: age(ctx, health.oldestAgeMs) });
  for (const r of rows) ctx.say('cli.outbox.row', row(ctx, r));
}

export async function outboxRetry(args: string[], ctx: CustomerContext): Promise<void> {
  const id = only(args);
  if (!(await ctx.store.retryOutbound(id, ctx.now))) throw new UserError('cli.outbox.unknown', { id });
  ctx.say('cli.outbox.retried', { id });
}

export async function outboxDrop(args: string[], ctx: CustomerContext): Promise<void> {
  const id = only(args);
  if (!(await ctx.store.dropOutbound(id, ctx.now))) throw new UserError('cli.outbox.unknown', { id });
  ctx.say('cli.outbox.dropped', { id });
}

function only(args: string[]): string {
  if (args.length !== 1 || args[0]!.startsWith('-')) throw new UsageError();
  return args[0]!;
}
