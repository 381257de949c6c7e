/**
 * The one notifier: who is told of what, on GroupDesk's own initiative — new-ticket
 * announcements to the staff channels, notices in a ticket's customer group, reminders
 * and alerts to assignees and managers, direct messages. Every door and the SLA worker go
 * through it, so "who hears of this" is decided in one place.
 *
 * Each audience reads its own language (src/core/locale.ts): a channel its own, a person
 * theirs, else the deployment's. Callers pass wordings (a function of the locale) or take
 * recipients with stable keys ("group:slack:C1", "person:<id>") and word per recipient, so
 * the SLA ledger can skip the ones a retry already reached. Delivery failures are logged and
 * never undo the change that caused them.
 */
import type { ChatUser, OutboundButton, OutboundCard, OutboundMessage } from '../core/chat';
import { isStoreUnavailable } from '../core/errors';
import type { Locale } from '../core/i18n';
import { readerLocale } from '../core/locale';
import type { Logger } from '../core/logger';
import type { Group, GroupKind, Person, Ticket } from '../core/model';
import type { AfterSent, GroupStore, Messenger, PeopleStore } from '../core/ports';
import type { Delivery, OutboxSender } from '../outbox/sender';

/** Text worded for one audience's locale. */
export type Wording = (locale: Locale) => string;

/** A notice to a group: its text and, where the platform shows them, buttons and a card. */
export interface Notice {
  readonly text: string;
  readonly buttons?: readonly OutboundButton[];
  readonly card?: OutboundCard;
}

/** A notice the outbox holds for a later retry: not delivered yet, not lost either. */
export class DeliveryQueuedError extends Error {
  constructor(
    readonly platform: string,
    readonly reason: string | undefined,
  ) {
    super(`queued for ${platform}: ${reason ?? 'its chat is waiting for an earlier message'}`);
    this.name = 'DeliveryQueuedError';
  }
}

/** One place a notice is delivered to; `send` rejects when delivery failed. */
export interface Recipient {
  readonly key: string;
  /** The language this recipient reads: a channel's own, a person's own, else the deployment's. */
  readonly locale: Locale;
  send(text: string, buttons?: readonly OutboundButton[], card?: OutboundCard): Promise<void>;
}

export interface NotifierDeps {
  readonly store: PeopleStore & GroupStore;
  readonly messenger: Messenger;
  /**
   * The durable outbox (the doors' notifier): every notice is written there and sent by it,
   * retried until its platform takes it. Without one (the SLA worker, which keeps its own
   * retrying ledger) notices go straight to the messenger.
   */
  readonly outbox?: OutboxSender;
  readonly logger: Logger;
  /** The deployment's language (`GROUPDESK_LOCALE`), for audiences that chose none. */
  readonly defaultLocale: Locale;
  /** A send that has not answered by then is counted as failed (the SLA worker retries it). */
  readonly sendTimeoutMs?: number;
  /**
   * Keep look-ups until `fresh()` (the SLA worker: a thousand due reminders share one list of
   * staff channels and managers). Off for the doors: each turn reads what is current.
   */
  readonly memoise?: boolean;
}

export class Notifier {
  private memo = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: NotifierDeps) {}

  get defaultLocale(): Locale {
    return this.deps.defaultLocale;
  }

  /** Forget what was looked up (the SLA worker calls it at the start of every tick). */
  fresh(): void {
    this.memo = new Map();
  }

  // --- who is told --------------------------------------------------------------------

  /** The staff channels. */
  staff(): Promise<Recipient[]> {
    return this.groupsOf('staff');
  }

  /** The assignee by direct message; the staff channels while unclaimed or when they cannot be reached directly. */
  async assignee(ticket: Ticket): Promise<Recipient[]> {
    if (ticket.assigneeId) {
      const dm = await this.personById(ticket.assigneeId);
      if (dm) return [dm];
    }
    return this.staff();
  }

  /** The manager channels and, with `directly` (or when there is no manager channel), each manager by direct message. */
  managers(directly: boolean): Promise<Recipient[]> {
    return this.once(`managers:${directly}`, async () => {
      const groups = await this.groupsOf('manager');
      if (groups.length > 0 && !directly) return groups;
      const people = await this.deps.store.listPeople({ role: 'manager' });
      const dms = await Promise.all(people.map((p) => this.person(p)));
      return [...groups, ...dms.filter((r): r is Recipient => r !== undefined)];
    });
  }

  /** The customer's own groups. */
  async customer(customerId: string): Promise<Recipient[]> {
    const groups = await this.once('customers', () => this.deps.store.listGroups('customer'));
    return groups.filter((g) => g.customerId === customerId).map((g) => this.group(g));
  }

  async nameOf(personId: string | undefined): Promise<string | undefined> {
    if (!personId) return undefined;
    const person = await this.once(`person:${personId}`, () => this.deps.store.getPerson(personId));
    return person?.name;
  }

  /** A person on each platform GroupDesk knows them on, first success wins; undefined when none. */
  async person(p: Person): Promise<Recipient | undefined> {
    const identities = await this.once(`identities:${p.id}`, () => this.deps.store.listIdentities(p.id));
    if (identities.length === 0) return undefined;
    return {
      key: `person:${p.id}`,
      locale: readerLocale(this.deps.defaultLocale, p),
      send: async (text) => {
        let failure: unknown;
        for (const identity of identities) {
          try {
            await this.send({
              platform: identity.platform,
              chatId: identity.userId,
              chatKind: 'direct',
              text,
            });
            return;
          } catch (error) {
            failure = error;
          }
        }
        throw failure;
      },
    };
  }

  // --- worded notices (failures logged, counted) ------------------------------------------

  /**
   * To every group of a kind (all staff channels, all manager channels), on whatever
   * platform, each in its own language (worded once per language, not once per group).
   */
  async toGroups(kind: Exclude<GroupKind, 'customer'>, compose: (locale: Locale) => Notice): Promise<number> {
    return this.wordedTo(await this.groupsOf(kind), compose);
  }

  /** The staff channels and, by direct message, the ticket's assignee: what a customer did to a ticket. */
  async toStaffAndAssignee(ticket: Ticket, text: Wording): Promise<void> {
    await this.toGroups('staff', (locale) => ({ text: text(locale) }));
    const assignee = ticket.assigneeId ? await this.deps.store.getPerson(ticket.assigneeId) : undefined;
    if (assignee) await this.toPerson(assignee, text);
  }

  /** The ticket's assignee by direct message, else the staff channels (news of its upstream issue). */
  async toAssignee(ticket: Ticket, text: Wording): Promise<number> {
    return this.wordedTo(await this.assignee(ticket), (locale) => ({ text: text(locale) }));
  }

  /** To every group of one customer, each in its own language (a renewal, a plan change). */
  async toCustomer(customerId: string, compose: (locale: Locale) => Notice): Promise<number> {
    return this.wordedTo(await this.customer(customerId), compose);
  }

  private async wordedTo(
    recipients: readonly Recipient[],
    compose: (locale: Locale) => Notice,
  ): Promise<number> {
    const worded = new Map<Locale, Notice>();
    let sent = 0;
    for (const to of recipients) {
      const notice = worded.get(to.locale) ?? compose(to.locale);
      worded.set(to.locale, notice);
      if (await this.attempt(to, () => to.send(notice.text, notice.buttons, notice.card))) sent++;
    }
    return sent;
  }

  /**
   * Into the ticket's customer group (its thread where there is one). Mentioning the
   * requester, it is addressed to them: their own language, else the group's; otherwise
   * the group's.
   */
  async toTicketGroup(ticket: Ticket, text: Wording, mentionRequester = true): Promise<boolean> {
    return this.deliver(await this.ticketGroupMessage(ticket, text, mentionRequester));
  }

  /** The same, to the requester, with buttons where the platform shows them (the survey). */
  async askRequester(ticket: Ticket, compose: (locale: Locale) => Notice): Promise<boolean> {
    return this.deliver(await this.ticketGroupMessage(ticket, compose, true));
  }

  private async ticketGroupMessage(
    ticket: Ticket,
    text: Wording | ((locale: Locale) => Notice),
    mentionRequester: boolean,
  ): Promise<OutboundMessage> {
    const { store } = this.deps;
    const mentions: ChatUser[] = [];
    const group = await store.getGroup(ticket.platform, ticket.chatId);
    let requester: Person | undefined;
    if (mentionRequester) {
      requester = await store.getPerson(ticket.requesterId);
      const identity = (await store.listIdentities(ticket.requesterId)).find(
        (i) => i.platform === ticket.platform,
      );
      if (identity) mentions.push({ id: identity.userId, ...(requester ? { name: requester.name } : {}) });
    }
    return {
      platform: ticket.platform,
      chatId: ticket.chatId,
      chatKind: 'group',
      ...(ticket.threadId ? { threadId: ticket.threadId } : {}),
      ...noticeOf(text(readerLocale(this.deps.defaultLocale, requester, group))),
      mentions,
    };
  }

  /** A direct message to a person, in their own language, on each platform where GroupDesk knows them (first success wins). */
  async toPerson(person: Person, text: Wording): Promise<boolean> {
    const to = await this.person(person);
    return to !== undefined && this.attempt(to, () => to.send(text(to.locale)));
  }

  async deliver(message: OutboundMessage): Promise<boolean> {
    return this.attempt({ key: `${message.platform}:${message.chatId}` }, () => this.send(message));
  }

  /**
   * An engineer's reply relayed into the ticket's group, saying what became of it: `sent`
   * once the platform accepted it, `queued` while the outbox retries (the engineer is told if
   * it finally fails), `failed` when it could not even be kept.
   */
  async relayReply(
    ticket: Ticket,
    text: Wording,
    engineerId: string,
    repliedAt?: number,
  ): Promise<Exclude<Delivery['state'], 'held'>> {
    const message = await this.ticketGroupMessage(ticket, text, true);
    try {
      await this.send(message, {
        kind: 'staff-reply',
        ticketNumber: ticket.number,
        engineerId,
        ...(repliedAt !== undefined && { repliedAt }),
      });
      return 'sent';
    } catch (error) {
      this.deps.logger.warn('delivery failed', {
        to: `${message.platform}:${message.chatId}`,
        error: String(error),
      });
      return error instanceof DeliveryQueuedError ? 'queued' : 'failed';
    }
  }

  // --- plumbing --------------------------------------------------------------------------

  private groupsOf(kind: Exclude<GroupKind, 'customer'>): Promise<Recipient[]> {
    return this.once(kind, async () => (await this.deps.store.listGroups(kind)).map((g) => this.group(g)));
  }

  private group(g: Group): Recipient {
    return {
      key: `group:${g.platform}:${g.chatId}`,
      // A channel is read by many: its own language, never one member's.
      locale: readerLocale(this.deps.defaultLocale, undefined, g),
      send: (text, buttons, card) =>
        this.send({
          platform: g.platform,
          chatId: g.chatId,
          chatKind: 'group',
          text,
          ...(buttons ? { buttons } : {}),
          ...(card ? { card } : {}),
        }),
    };
  }

  private async personById(id: string): Promise<Recipient | undefined> {
    const person = await this.once(`person:${id}`, () => this.deps.store.getPerson(id));
    return person ? this.person(person) : undefined;
  }

  private async attempt(to: Pick<Recipient, 'key'>, send: () => Promise<void>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      this.deps.logger.warn('delivery failed', { to: to.key, error: String(error) });
      return false;
    }
  }

  /**
   * Through the outbox when there is one: resolves once the platform accepted the message,
   * rejects with DeliveryQueuedError when the outbox keeps it for a retry. Should the store
   * itself be unreachable (the outbox cannot keep it), straight to the messenger, once.
   */
  private async send(message: OutboundMessage, after?: AfterSent): Promise<void> {
    const { outbox } = this.deps;
    if (outbox === undefined) return this.sendNow(message);
    let delivery: Delivery | undefined;
    try {
      [delivery] = await outbox.send([{ message, ...(after !== undefined && { after }) }]);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      return this.sendNow(message);
    }
    // `held`: stored with the change that caused it, sent once that is committed (OutboxSender.holding).
    if (delivery?.state === 'sent' || delivery?.state === 'held') return;
    if (delivery?.state === 'queued') throw new DeliveryQueuedError(message.platform, delivery.error);
    throw new Error(`not delivered: ${delivery?.error ?? 'unknown'}`);
  }

  /** messenger.send, or — with a timeout — a rejection when it takes longer (the timer is always cleared). */
  private async sendNow(message: OutboundMessage): Promise<void> {
    const ms = this.deps.sendTimeoutMs;
    if (ms === undefined) {
      await this.deps.messenger.send(message);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    });
    try {
      await Promise.race([this.deps.messenger.send(message), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.deps.memoise) return load();
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.memo.set(key, hit);
    }
    return hit;
  }
}

function noticeOf(worded: string | Notice): Pick<OutboundMessage, 'text' | 'buttons'> {
  if (typeof worded === 'string') return { text: worded };
  return { text: worded.text, ...(worded.buttons ? { buttons: worded.buttons } : {}) };
}
