/**
 * Customers, subscriptions, people and groups: what admins set up (CLI, /bind, /sub,
 * /staff) and what the router looks up for every message.
 */
import { randomUUID } from 'node:crypto';
import dayjs from 'dayjs';
import type { Platform } from './chat';
import { UserError } from './errors';
import { LOCALES, type Locale } from './i18n';
import type { Customer, Group, GroupKind, Person, Role, Subscription } from './model';
import type { EffectivePlan, PlanBook } from './plans';
import type { Clock, Store } from './ports';
import { cleanName } from './sanitise';

const CUSTOMER_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** Words `/bind` takes for non-customer groups; they can never be customer ids. */
export const RESERVED_GROUP_WORDS: Readonly<Record<string, Exclude<GroupKind, 'customer'>>> = {
  staff: 'staff',
  managers: 'manager',
  manager: 'manager',
  community: 'community',
};

const STAFF_ROLES: ReadonlySet<Role> = new Set(['engineer', 'manager', 'admin']);

export function addMonths(ms: number, months: number): number {
  return dayjs(ms).add(months, 'month').valueOf();
}

export class Directory {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly plans: PlanBook,
  ) {}

  async addCustomer(id: string, name?: string): Promise<Customer> {
    const slug = id.trim().toLowerCase();
    if (!CUSTOMER_ID.test(slug) || slug in RESERVED_GROUP_WORDS)
      throw new UserError('customer.bad_id', { id });
    if (await this.store.getCustomer(slug)) throw new UserError('customer.exists', { id: slug });
    const customer: Customer = { id: slug, name: nameOr(name, slug), createdAt: this.clock.now() };
    await this.store.putCustomer(customer);
    return customer;
  }

  async requireCustomer(id: string): Promise<Customer> {
    const customer = await this.store.getCustomer(id.trim().toLowerCase());
    if (!customer) throw new UserError('customer.unknown', { id });
    return customer;
  }

  async effectivePlan(customerId: string): Promise<EffectivePlan> {
    return this.plans.effective(await this.store.listSubscriptions(customerId), this.clock.now());
  }

  /** Starts a subscription now (or at `startsAt`) for `months`. */
  async addSubscription(
    customerId: string,
    planId: string,
    months: number,
    startsAt?: number,
  ): Promise<Subscription> {
    const customer = await this.requireCustomer(customerId);
    const plan = this.plans.named(planId);
    if (!plan || plan.firstResponseHours === null) {
      throw new UserError('plan.unknown', { plan: planId, plans: this.paidPlanIds() });
    }
    if (!Number.isInteger(months) || months < 1 || months > 120)
      throw new UserError('sub.bad_months', { months });
    const now = this.clock.now();
    const start = startsAt ?? now;
    const sub: Subscription = {
      id: randomUUID(),
      customerId: customer.id,
      plan: plan.id,
      startsAt: start,
      endsAt: addMonths(start, months),
      graceDays: this.plans.catalog.graceDays,
      trainingUsed: 0,
      createdAt: now,
    };
    await this.store.putSubscription(sub);
    return sub;
  }

  /** Extends the current (or latest) subscription by `months`. */
  async extendSubscription(customerId: string, months: number): Promise<Subscription> {
    if (!Number.isInteger(months) || months < 1 || months > 120)
      throw new UserError('sub.bad_months', { months });
    const latest = await this.latestSubscription(customerId);
    const now = this.clock.now();
    // An ended subscription restarts from today rather than back-dating the new period.
    const base = Math.max(latest.endsAt, now);
    const extended: Subscription = { ...latest, endsAt: addMonths(base, months) };
    await this.store.putSubscription(extended);
    return extended;
  }

  /** Changes the plan of the current subscription (upgrade or downgrade), keeping its period. */
  async changePlan(customerId: string, planId: string): Promise<Subscription> {
    const plan = this.plans.named(planId);
    if (!plan || plan.firstResponseHours === null)
      throw new UserError('plan.unknown', { plan: planId, plans: this.paidPlanIds() });
    const latest = await this.latestSubscription(customerId);
    const changed: Subscription = { ...latest, plan: plan.id };
    await this.store.putSubscription(changed);
    return changed;
  }

  /** Binds a chat to a customer or a role; a rebinding keeps its auto mode and language unless `locale` is given. */
  async bindGroup(
    platform: Platform,
    chatId: string,
    target: string,
    title?: string,
    locale?: Locale,
  ): Promise<Group> {
    const word = target.trim().toLowerCase();
    const kind = RESERVED_GROUP_WORDS[word];
    const existing = await this.store.getGroup(platform, chatId);
    const language = locale ?? existing?.locale;
    const base = {
      platform,
      chatId,
      autoMode: existing?.autoMode ?? false,
      boundAt: this.clock.now(),
      ...(title && cleanName(title) ? { title: cleanName(title) } : {}),
      ...(language ? { locale: language } : {}),
    };
    const group: Group = kind
      ? { ...base, kind }
      : { ...base, kind: 'customer', customerId: (await this.requireCustomer(word)).id };
    await this.store.putGroup(group);
    return group;
  }

  async setAutoMode(group: Group, autoMode: boolean): Promise<Group> {
    const updated: Group = { ...group, autoMode };
    await this.store.putGroup(updated);
    return updated;
  }

  /** A group's language (`/lang group`); `undefined` goes back to the deployment's. */
  async setGroupLocale(group: Group, locale: Locale | undefined): Promise<Group> {
    const { locale: _old, ...rest } = group;
    const updated: Group = locale ? { ...rest, locale } : rest;
    await this.store.putGroup(updated);
    return updated;
  }

  /** A person's own language (`/lang`); `undefined` goes back to the group's, then the deployment's. */
  async setPersonLocale(person: Person, locale: Locale | undefined): Promise<Person> {
    const { locale: _old, ...rest } = person;
    const updated: Person = locale ? { ...rest, locale } : rest;
    await this.store.putPerson(updated);
    return updated;
  }

  /** Registers (or re-roles) the person behind a platform identity; keeps their language unless `locale` is given. */
  async setStaff(
    platform: Platform,
    userId: string,
    role: Exclude<Role, 'subscriber' | 'visitor'>,
    name?: string,
    locale?: Locale,
  ): Promise<Person> {
    const existing = await this.store.findPersonByIdentity(platform, userId);
    const language = locale ?? existing?.locale;
    const person: Person = {
      ...(existing
        ? { id: existing.id, name: nameOr(name, existing.name), role, createdAt: existing.createdAt }
        : { id: randomUUID(), name: nameOr(name, userId), role, createdAt: this.clock.now() }),
      ...(language ? { locale: language } : {}),
    };
    await this.store.putPerson(person);
    if (!existing) await this.store.putIdentity({ platform, userId, personId: person.id });
    return person;
  }

  async removeStaff(platform: Platform, userId: string): Promise<Person> {
    const person = await this.store.findPersonByIdentity(platform, userId);
    if (!person || !STAFF_ROLES.has(person.role)) throw new UserError('staff.unknown', { who: userId });
    await this.store.deletePerson(person.id);
    return person;
  }

  async addSubscriber(
    platform: Platform,
    userId: string,
    customerId: string,
    name?: string,
    locale?: Locale,
  ): Promise<Person> {
    const customer = await this.requireCustomer(customerId);
    const existing = await this.store.findPersonByIdentity(platform, userId);
    if (existing && existing.role !== 'visitor')
      return locale ? this.setPersonLocale(existing, locale) : existing;
    // A visitor who joins a customer becomes its subscriber, keeping the language they chose.
    const language = locale ?? existing?.locale;
    const person: Person = {
      id: existing?.id ?? randomUUID(),
      name: nameOr(name, existing?.name ?? userId),
      role: 'subscriber',
      customerId: customer.id,
      createdAt: existing?.createdAt ?? this.clock.now(),
      ...(language ? { locale: language } : {}),
    };
    await this.store.putPerson(person);
    if (!existing) await this.store.putIdentity({ platform, userId, personId: person.id });
    return person;
  }

  /** Keeps the language of someone without a plan (a visitor), registering them if needed. */
  async setVisitorLocale(
    platform: Platform,
    userId: string,
    name: string | undefined,
    locale: Locale,
  ): Promise<Person> {
    const existing = await this.store.findPersonByIdentity(platform, userId);
    if (existing) return this.setPersonLocale(existing, locale);
    const person: Person = {
      id: randomUUID(),
      name: nameOr(name, userId),
      role: 'visitor',
      createdAt: this.clock.now(),
      locale,
    };
    await this.store.putPerson(person);
    await this.store.putIdentity({ platform, userId, personId: person.id });
    return person;
  }

  /**
   * A language code as people type it (`en`, `EN`, `zh-cn`, `zh`) → the supported locale,
   * or a polite refusal that lists the supported ones.
   */
  localeOf(code: string): Locale {
    const word = code.trim().toLowerCase();
    const found = LOCALES.find((l) => l.toLowerCase() === word) ?? (word === 'zh' ? 'zh-CN' : undefined);
    if (!found) throw new UserError('lang.unknown', { code, supported: LOCALES.join(', ') });
    return found;
  }

  paidPlanIds(): string {
    return this.plans.catalog.plans
      .filter((p) => p.firstResponseHours !== null)
      .map((p) => p.id)
      .join(', ');
  }

  private async latestSubscription(customerId: string): Promise<Subscription> {
    const customer = await this.requireCustomer(customerId);
    const [latest] = await this.store.listSubscriptions(customer.id);
    if (!latest) throw new UserError('sub.none', { customer: customer.id });
    return latest;
  }
}

/**
 * A name as set by a command or the CLI, through the one sanitiser (one line, nothing
 * invisible); `fallback` when that leaves nothing. Names from a chat platform were cleaned
 * by the router already; this covers the doors that type them.
 */
function nameOr(name: string | undefined, fallback: string): string {
  return (name === undefined ? '' : cleanName(name)) || cleanName(fallback) || fallback;
}
