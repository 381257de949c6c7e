/**
 * A read-through cache in front of any Store for the records every message looks up and
 * that rarely change: groups, identities, customers, subscriptions. Local writes clear the
 * affected kind at once; writes by another process become visible within `ttlMs`
 * (documented trade-off: a /bind on one instance reaches the others within the TTL).
 * Tickets, events and de-duplication keys are never cached.
 */
import type { Platform } from '../core/chat';
import type { Customer, Group, GroupKind, Identity, Person, Subscription } from '../core/model';
import type { Clock, NewEvent, NewTicket, Store, TicketPatch, TicketQuery } from '../core/ports';

type Kind = 'group' | 'person' | 'customer' | 'subscription';

export class CachedStore implements Store {
  private readonly entries = new Map<string, { value: unknown; expires: number }>();

  constructor(
    private readonly inner: Store,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  private async cached<T>(kind: Kind, key: string, load: () => Promise<T>): Promise<T> {
    const id = `${kind}\u0000${key}`;
    const now = this.clock.now();
    const hit = this.entries.get(id);
    if (hit && hit.expires > now) return hit.value as T;
    const value = await load();
    if (this.entries.size > 10_000) this.entries.clear(); // bounded: a cache, never a leak
    this.entries.set(id, { value, expires: now + this.ttlMs });
    return value;
  }

  private forget(kind: Kind): void {
    const prefix = `${kind}\u0000`;
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get atomicUnits() {
    return this.inner.atomicUnits;
  }
  unitOfWork<T>(work: () => Promise<T>): Promise<T> {
    return this.inner.unitOfWork(work);
  }
  commitUnit() {
    return this.inner.commitUnit();
  }

  claimInbound(key: string, at: number) {
    return this.inner.claimInbound(key, at);
  }
  releaseInbound(key: string) {
    return this.inner.releaseInbound(key);
  }
  pruneInbound(olderThan: number) {
    return this.inner.pruneInbound(olderThan);
  }

  async putCustomer(customer: Customer) {
    this.forget('customer');
    await this.inner.putCustomer(customer);
  }
  getCustomer(id: string) {
    return this.cached('customer', id, () => this.inner.getCustomer(id));
  }
  listCustomers() {
    return this.inner.listCustomers();
  }

  async putSubscription(subscription: Subscription) {
    this.forget('subscription');
    await this.inner.putSubscription(subscription);
  }
  listSubscriptions(customerId: string) {
    return this.cached('subscription', customerId, () => this.inner.listSubscriptions(customerId));
  }
  async releaseTraining(subscriptionId: string) {
    this.forget('subscription');
    return this.inner.releaseTraining(subscriptionId);
  }
  async consumeTraining(subscriptionId: string, quota: number) {
    this.forget('subscription');
    return this.inner.consumeTraining(subscriptionId, quota);
  }

  async putPerson(person: Person) {
    this.forget('person');
    await this.inner.putPerson(person);
  }
  getPerson(id: string) {
    return this.inner.getPerson(id);
  }
  async deletePerson(id: string) {
    this.forget('person');
    await this.inner.deletePerson(id);
  }
  listPeople(query: Parameters<Store['listPeople']>[0]) {
    return this.inner.listPeople(query);
  }
  async putIdentity(identity: Identity) {
    this.forget('person');
    await this.inner.putIdentity(identity);
  }
  findPersonByIdentity(platform: Platform, userId: string) {
    return this.cached('person', `${platform}\u0000${userId}`, () =>
      this.inner.findPersonByIdentity(platform, userId),
    );
  }
  listIdentities(personId: string) {
    return this.inner.listIdentities(personId);
  }

  async putGroup(group: Group) {
    this.forget('group');
    await this.inner.putGroup(group);
  }
  getGroup(platform: Platform, chatId: string) {
    return this.cached('group', `${platform}\u0000${chatId}`, () => this.inner.getGroup(platform, chatId));
  }
  listGroups(kind?: GroupKind) {
    return this.cached('group', `list\u0000${kind ?? '*'}`, () => this.inner.listGroups(kind));
  }

  createTicket(ticket: NewTicket, firstEvent: NewEvent) {
    return this.inner.createTicket(ticket, firstEvent);
  }
  getTicket(number: number) {
    return this.inner.getTicket(number);
  }
  findTicketByThread(platform: Platform, chatId: string, threadId: string) {
    return this.inner.findTicketByThread(platform, chatId, threadId);
  }
  updateTicket(number: number, expectedVersion: number, patch: TicketPatch, events: readonly NewEvent[]) {
    return this.inner.updateTicket(number, expectedVersion, patch, events);
  }
  addEvent(ticketNumber: number, event: NewEvent) {
    return this.inner.addEvent(ticketNumber, event);
  }
  listEvents(ticketNumber: number) {
    return this.inner.listEvents(ticketNumber);
  }
  queryTickets(query: TicketQuery) {
    return this.inner.queryTickets(query);
  }
  latestTicketOf(requesterId: string, platform: Platform, chatId: string) {
    return this.inner.latestTicketOf(requesterId, platform, chatId);
  }
  linkMessage(link: Parameters<Store['linkMessage']>[0]) {
    return this.inner.linkMessage(link);
  }
  findTicketByMessage(platform: Platform, chatId: string, messageId: string) {
    return this.inner.findTicketByMessage(platform, chatId, messageId);
  }
  // The outbox passes straight through: its rows change with every send.
  enqueueOutbound(entries: Parameters<Store['enqueueOutbound']>[0], now: number) {
    return this.inner.enqueueOutbound(entries, now);
  }
  dueOutbound(now: number, limit: number) {
    return this.inner.dueOutbound(now, limit);
  }
  claimOutbound(row: Parameters<Store['claimOutbound']>[0], owner: string, leaseUntil: number, now: number) {
    return this.inner.claimOutbound(row, owner, leaseUntil, now);
  }
  settleOutbound(id: string, owner: string, outcome: Parameters<Store['settleOutbound']>[2]) {
    return this.inner.settleOutbound(id, owner, outcome);
  }
  getOutbound(id: string) {
    return this.inner.getOutbound(id);
  }
  headOutbound(chat: string) {
    return this.inner.headOutbound(chat);
  }
  listOutbound(query: Parameters<Store['listOutbound']>[0]) {
    return this.inner.listOutbound(query);
  }
  retryOutbound(id: string, now: number) {
    return this.inner.retryOutbound(id, now);
  }
  dropOutbound(id: string, now: number) {
    return this.inner.dropOutbound(id, now);
  }
  purgeOutbound(before: number) {
    return this.inner.purgeOutbound(before);
  }
  outboxDepth() {
    return this.inner.outboxDepth();
  }
  exportAll() {
    return this.inner.exportAll();
  }
  close() {
    return this.inner.close();
  }
}
