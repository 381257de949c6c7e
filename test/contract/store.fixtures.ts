/**
 * Records for the store contract suite. Every builder returns a complete, valid record;
 * tests override only what they are about.
 */
import type { Customer, Group, Identity, Person, Subscription } from '../../src/core/model';
import type { NewEvent, NewTicket, Store } from '../../src/core/ports';

/** 2026-01-05 08:00 UTC: a fixed time, so every value is reproducible. */
export const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
export const HOUR = 3_600_000;

export interface StoreContext {
  /** The store of the running test (a fresh, empty one per test). */
  readonly store: () => Store;
}

export const customer = (over: Partial<Customer> = {}): Customer => ({
  id: 'acme',
  name: 'Acme Corp',
  createdAt: T0,
  ...over,
});

export const subscription = (over: Partial<Subscription> = {}): Subscription => ({
  id: 'sub-acme-2026',
  customerId: 'acme',
  plan: 'basic',
  startsAt: T0,
  endsAt: T0 + 365 * 24 * HOUR,
  graceDays: 7,
  trainingUsed: 0,
  createdAt: T0,
  ...over,
});

export const person = (over: Partial<Person> = {}): Person => ({
  id: 'alice',
  name: 'Alice',
  role: 'subscriber',
  customerId: 'acme',
  createdAt: T0,
  ...over,
});

export const identity = (over: Partial<Identity> = {}): Identity => ({
  platform: 'slack',
  userId: 'U-ALICE',
  personId: 'alice',
  ...over,
});

export const group = (over: Partial<Group> = {}): Group => ({
  platform: 'slack',
  chatId: 'C-ACME',
  kind: 'customer',
  customerId: 'acme',
  title: 'acme-support',
  autoMode: false,
  boundAt: T0,
  ...over,
});

let sourceCounter = 0;

/** Overrides where `undefined` means "leave this optional field out". */
export type TicketOverrides = { [K in keyof NewTicket]?: NewTicket[K] | undefined };

/** A ticket as the core creates it, with a sourceKey unique across the run unless given. */
export const newTicket = (over: TicketOverrides = {}): NewTicket => {
  sourceCounter += 1;
  const ticket = {
    customerId: 'acme',
    requesterId: 'alice',
    platform: 'slack',
    chatId: 'C-ACME',
    sourceKey: `slack::M${sourceCounter}`,
    category: 'consultation',
    priority: 'p2',
    status: 'open',
    subject: 'Build fails on Node 20',
    plan: 'basic',
    createdAt: T0,
    updatedAt: T0,
    lastCustomerAt: T0,
    dueAt: T0 + 24 * HOUR,
    ...over,
  };
  return withoutUndefined<NewTicket>(ticket);
};

/** An event; an override of `undefined` leaves that optional field out. */
export const event = (over: { [K in keyof NewEvent]?: NewEvent[K] | undefined } = {}): NewEvent =>
  withoutUndefined({
    at: T0,
    kind: 'customer_message',
    actorId: 'alice',
    text: 'Build fails on Node 20',
    ...over,
  });

function withoutUndefined<T>(record: object): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** Creates a ticket that must be new and returns it. */
export async function create(store: Store, over: TicketOverrides = {}) {
  const result = await store.createTicket(newTicket(over), event({ at: over.createdAt ?? T0 }));
  expect(result.created).toBe(true);
  return result.ticket;
}

/** Puts the customers, people and group most tests assume. */
export async function seed(store: Store): Promise<void> {
  await store.putCustomer(customer());
  await store.putCustomer(customer({ id: 'globex', name: 'Globex' }));
  await store.putPerson(person());
  await store.putPerson(person({ id: 'erin', name: 'Erin', customerId: 'globex' }));
  await store.putPerson({ id: 'bob', name: 'Bob', role: 'engineer', createdAt: T0 });
  await store.putGroup(group());
}

/** Drains an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Rejects with a StoreError of the given code (the contract's error vocabulary). */
export async function expectStoreError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'StoreError', code });
}
