/**
 * Who a reminder goes to, as recipients with stable keys ("group:slack:C1",
 * "person:<id>") so that a retry can skip the ones already reached. Look-ups are memoised
 * for one tick: a thousand due reminders share one list of staff channels and managers.
 */
import type { OutboundButton, OutboundMessage } from '../core/chat';
import type { Locale } from '../core/i18n';
import { readerLocale } from '../core/locale';
import type { Group, Person, Ticket } from '../core/model';
import type { Messenger, Store } from '../core/ports';

/** One place a reminder is delivered to; `send` rejects when delivery failed. */
export interface Recipient {
  readonly key: string;
  /** The language this recipient reads: a channel's own, a person's own, else the deployment's. */
  readonly locale: Locale;
  send(text: string, buttons?: readonly OutboundButton[]): Promise<void>;
}

export class Recipients {
  private memo = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly messenger: Messenger,
    /** A send that has not answered by then is counted as failed (the reminder is retried). */
    private readonly sendTimeoutMs: number,
    /** The deployment's language (`GROUPDESK_LOCALE`), for channels and people that chose none. */
    private readonly defaultLocale: Locale,
  ) {}

  /** Forget what was looked up (call at the start of every tick). */
  fresh(): void {
    this.memo = new Map();
  }

  /** The staff channels. */
  staff(): Promise<Recipient[]> {
    return this.once('staff', async () => (await this.store.listGroups('staff')).map((g) => this.group(g)));
  }

  /** The assignee by direct message; the staff channels while unclaimed or when they cannot be reached directly. */
  async assignee(ticket: Ticket): Promise<Recipient[]> {
    if (ticket.assigneeId) {
      const dm = await this.personById(ticket.assigneeId);
      if (dm) return [dm];
    }
    return this.staff();
  }

  /** The manager channels and, with `directly`, each manager by direct message too. */
  managers(directly: boolean): Promise<Recipient[]> {
    return this.once(`managers:${directly}`, async () => {
      const groups = (await this.store.listGroups('manager')).map((g) => this.group(g));
      if (groups.length > 0 && !directly) return groups;
      const people = await this.store.listPeople({ role: 'manager' });
      const dms = await Promise.all(people.map((p) => this.person(p)));
      return [...groups, ...dms.filter((r): r is Recipient => r !== undefined)];
    });
  }

  /** The customer's own groups. */
  async customer(customerId: string): Promise<Recipient[]> {
    const groups = await this.once('customers', () => this.store.listGroups('customer'));
    return groups.filter((g) => g.customerId === customerId).map((g) => this.group(g));
  }

  async nameOf(personId: string | undefined): Promise<string | undefined> {
    if (!personId) return undefined;
    const person = await this.once(`person:${personId}`, () => this.store.getPerson(personId));
    return person?.name;
  }

  private group(g: Group): Recipient {
    return {
      key: `group:${g.platform}:${g.chatId}`,
      // A channel is read by many: its own language, never one member's.
      locale: readerLocale(this.defaultLocale, undefined, g),
      send: async (text, buttons) => {
        const message: OutboundMessage = {
          platform: g.platform,
          chatId: g.chatId,
          chatKind: 'group',
          text,
          ...(buttons ? { buttons } : {}),
        };
        await this.send(message);
      },
    };
  }

  /** messenger.send, or a rejection when it takes longer than the timeout (the timer is always cleared). */
  private async send(message: OutboundMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.sendTimeoutMs} ms`)),
        this.sendTimeoutMs,
      );
    });
    try {
      await Promise.race([this.messenger.send(message), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async personById(id: string): Promise<Recipient | undefined> {
    const person = await this.once(`person:${id}`, () => this.store.getPerson(id));
    return person ? this.person(person) : undefined;
  }

  /** A person on each platform GroupDesk knows them on, first success wins; undefined when none. */
  private async person(p: Person): Promise<Recipient | undefined> {
    const identities = await this.once(`identities:${p.id}`, () => this.store.listIdentities(p.id));
    if (identities.length === 0) return undefined;
    return {
      key: `person:${p.id}`,
      locale: readerLocale(this.defaultLocale, p),
      send: async (text) => {
        let failure: unknown;
        for (const identity of identities) {
          try {
            await this.messenger.send({
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

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.memo.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      this.memo.set(key, hit);
    }
    return hit;
  }
}
