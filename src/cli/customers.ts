/**
 * What the CLI reads and changes about customers and their subscriptions: `customer list`,
 * `customer show`, `sub add`, `sub plan`, `sub end`. Argument values are checked here,
 * before anything is written, so a bad one exits 2 with nothing changed (InputError).
 */
import { parseArgs } from 'node:util';
import { addMonths, type Directory } from '../core/directory';
import { UserError } from '../core/errors';
import type { Locale } from '../core/i18n';
import type { Customer, Subscription, TicketStatus } from '../core/model';
import type { Plan, PlanBook } from '../core/plans';
import type { Store } from '../core/ports';
import type { Formatter } from '../desk/format';
import { InputError, UsageError } from './io';

export interface CustomerContext {
  readonly directory: Directory;
  readonly store: Store;
  readonly plans: PlanBook;
  readonly fmt: Formatter;
  readonly locale: Locale;
  readonly now: number;
  readonly say: (key: string, p?: Record<string, string | number>) => void;
  readonly t: (key: string, p?: Record<string, string | number>) => string;
}

const OPEN: readonly TicketStatus[] = ['open', 'claimed', 'waiting_on_customer'];
/** queryTickets answers at most this many; a larger count is shown as "500+". */
const COUNT_LIMIT = 500;
const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` → midnight UTC of that day (the CLI's dates have always been UTC days). */
export function parseDay(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over into March: only a date that survives the round trip is real.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value)
    throw new InputError('cli.bad_date', { date: value });
  return ms;
}

/** A paid plan by id or by its name in any locale (`advanced`, `Advanced`, `高级版`). */
export function planOf(plans: PlanBook, word: string, locale: Locale): Plan {
  const w = word.trim().toLowerCase();
  const paid = plans.catalog.plans.filter((p) => p.firstResponseHours !== null);
  const found = paid.find((p) => p.id === w || Object.values(p.name).some((n) => n.toLowerCase() === w));
  if (!found)
    throw new InputError('plan.unknown', { plan: word, plans: paid.map((p) => p.name[locale]).join(', ') });
  return found;
}

export async function customerOf(directory: Directory, id: string): Promise<Customer> {
  try {
    return await directory.requireCustomer(id);
  } catch (error) {
    if (error instanceof UserError) throw new InputError(error.key, error.params);
    throw error;
  }
}

function planName(plans: PlanBook, id: string, locale: Locale): string {
  return plans.get(id)?.name[locale] ?? id;
}

/** The subscription in force now (or in its grace period), else the latest that has not ended. */
async function currentSubscription(ctx: CustomerContext, customer: Customer): Promise<Subscription> {
  const inForce = (await ctx.directory.effectivePlan(customer.id)).subscription;
  const [latest] = await ctx.store.listSubscriptions(customer.id);
  const sub = inForce ?? (latest && latest.endsAt > ctx.now ? latest : undefined);
  if (!sub) throw new UserError('cli.sub_none', { customer: customer.id });
  return sub;
}

function summary(ctx: CustomerContext, sub: Subscription | undefined): string {
  if (!sub) return ctx.t('cli.plan_none', { plan: ctx.plans.community.name[ctx.locale] });
  const key =
    sub.endsAt > ctx.now
      ? 'cli.plan_period'
      : sub.endsAt + sub.graceDays * DAY_MS > ctx.now
        ? 'cli.plan_grace'
        : 'cli.plan_ended';
  return ctx.t(key, {
    plan: planName(ctx.plans, sub.plan, ctx.locale),
    start: ctx.fmt.date(sub.startsAt),
    end: ctx.fmt.date(sub.endsAt),
    grace: ctx.fmt.date(sub.endsAt + sub.graceDays * DAY_MS),
  });
}

async function facts(ctx: CustomerContext, customer: Customer) {
  const sub =
    (await ctx.directory.effectivePlan(customer.id)).subscription ??
    (await ctx.store.listSubscriptions(customer.id))[0];
  const groups = (await ctx.store.listGroups('customer')).filter((g) => g.customerId === customer.id);
  const open = (await ctx.store.queryTickets({ customerId: customer.id, statuses: OPEN, limit: COUNT_LIMIT }))
    .length;
  return { sub, groups, open: open >= COUNT_LIMIT ? `${COUNT_LIMIT}+` : String(open), openCount: open };
}

export async function customerList(args: string[], ctx: CustomerContext): Promise<void> {
  if (args.length) throw new UsageError();
  const customers = await ctx.store.listCustomers();
  if (customers.length === 0) return ctx.say('cli.customer_none');
  for (const c of customers) {
    const f = await facts(ctx, c);
    ctx.say('cli.customer_row', {
      id: c.id,
      name: c.name,
      plan: summary(ctx, f.sub),
      groups: f.groups.length,
      tickets: f.openCount,
      open: f.open,
    });
  }
}

export async function customerShow(args: string[], ctx: CustomerContext): Promise<void> {
  if (args.length !== 1) throw new UsageError();
  const customer = await customerOf(ctx.directory, args[0]!);
  const f = await facts(ctx, customer);
  const groups = f.groups.map((g) => `${g.platform}:${g.chatId}${g.title ? ` (${g.title})` : ''}`);
  ctx.say('cli.customer_card', {
    id: customer.id,
    name: customer.name,
    plan: summary(ctx, f.sub),
    count: f.groups.length,
    groups: groups.join(', ') || '-',
    tickets: f.openCount,
    open: f.open,
  });
}

export async function subAdd(args: string[], ctx: CustomerContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      months: { type: 'string' },
      start: { type: 'string' },
      'already-ended': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new UsageError();
  const customer = await customerOf(ctx.directory, positionals[0]!);
  const plan = planOf(ctx.plans, positionals[1]!, ctx.locale);
  const months = monthsOf(values.months ?? '12');
  const start = values.start === undefined ? undefined : parseDay(values.start);
  const end = addMonths(start ?? ctx.now, months);
  // A back-dated start can make a subscription that has ended before it was recorded: say so.
  if (end <= ctx.now && !values['already-ended'])
    throw new InputError('cli.sub_would_be_ended', { end: ctx.fmt.date(end) });
  const s = await ctx.directory.addSubscription(customer.id, plan.id, months, start);
  ctx.say('cli.sub_saved', {
    customer: s.customerId,
    plan: plan.name[ctx.locale],
    end: ctx.fmt.date(s.endsAt),
  });
}

export async function subPlan(args: string[], ctx: CustomerContext): Promise<void> {
  if (args.length !== 2) throw new UsageError();
  const customer = await customerOf(ctx.directory, args[0]!);
  const plan = planOf(ctx.plans, args[1]!, ctx.locale);
  const sub = await currentSubscription(ctx, customer);
  const from = planName(ctx.plans, sub.plan, ctx.locale);
  const period = { start: ctx.fmt.date(sub.startsAt), end: ctx.fmt.date(sub.endsAt) };
  if (sub.plan === plan.id)
    return ctx.say('cli.sub_plan_same', { customer: customer.id, plan: from, ...period });
  await ctx.store.putSubscription({ ...sub, plan: plan.id });
  ctx.say('cli.sub_plan_changed', { customer: customer.id, from, to: plan.name[ctx.locale], ...period });
}

export async function subEnd(args: string[], ctx: CustomerContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { at: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError();
  const customer = await customerOf(ctx.directory, positionals[0]!);
  const at = values.at === undefined ? ctx.now : parseDay(values.at);
  const sub = await currentSubscription(ctx, customer);
  const shown = {
    customer: customer.id,
    plan: planName(ctx.plans, sub.plan, ctx.locale),
    at: ctx.fmt.date(at),
  };
  if (values.at !== undefined && (at < parseDay(ctx.fmt.date(ctx.now)) || at >= sub.endsAt))
    throw new InputError('cli.sub_end_range', { ...shown, end: ctx.fmt.date(sub.endsAt) });
  // Every period still running at `at` stops there, renewals that start later too; an ended
  // subscription has no grace period (grace is for lapsed renewals, not for cancellations).
  for (const s of await ctx.store.listSubscriptions(customer.id)) {
    if (s.endsAt + s.graceDays * DAY_MS > at)
      await ctx.store.putSubscription({
        ...s,
        endsAt: Math.min(s.endsAt, Math.max(s.startsAt, at)),
        graceDays: 0,
      });
  }
  ctx.say('cli.sub_ended', {
    ...shown,
    was: ctx.fmt.date(sub.endsAt),
    community: ctx.plans.community.name[ctx.locale],
  });
}

export function monthsOf(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 120) throw new InputError('sub.bad_months', { months: value });
  return n;
}
