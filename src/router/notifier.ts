/**
 * Messages GroupDesk sends on its own initiative: new-ticket announcements to the staff
 * channels, notices to a ticket's customer group, alerts to managers, direct messages.
 * Each is worded in its audience's language (src/core/locale.ts), so callers pass a
 * function of the locale rather than finished text. Delivery failures are logged and
 * never undo the change that caused them.
 */
import type { ChatUser, OutboundButton, OutboundCard, OutboundMessage } from '../core/chat';
import type { Locale } from '../core/i18n';
import { readerLocale } from '../core/locale';
import type { Logger } from '../core/logger';
import type { GroupKind, Person, Ticket } from '../core/model';
import type { Messenger, Store } from '../core/ports';

/** Text worded for one audience's locale. */
export type Wording = (locale: Locale) => string;

/** A notice to a group: its text and, where the platform shows them, buttons and a card. */
export interface Notice {
  readonly text: string;
  readonly buttons?: readonly OutboundButton[];
  readonly card?: OutboundCard;
}

export class Notifier {
  constructor(
    private readonly store: Store,
    private readonly messenger: Messenger,
    private readonly logger: Logger,
    /** The deployment's language (`GROUPDESK_LOCALE`), for audiences that chose none. */
    readonly defaultLocale: Locale,
  ) {}

  /**
   * To every group of a kind (all staff channels, all manager channels), on whatever
   * platform, each in its own language (worded once per language, not once per group).
   */
  async toGroups(kind: Exclude<GroupKind, 'customer'>, compose: (locale: Locale) => Notice): Promise<number> {
    const groups = await this.store.listGroups(kind);
    const worded = new Map<Locale, Notice>();
    let sent = 0;
    for (const g of groups) {
      const locale = readerLocale(this.defaultLocale, undefined, g);
      const notice = worded.get(locale) ?? compose(locale);
      worded.set(locale, notice);
      const ok = await this.deliver({
        platform: g.platform,
        chatId: g.chatId,
        chatKind: 'group',
        text: notice.text,
        ...(notice.buttons ? { buttons: notice.buttons } : {}),
        ...(notice.card ? { card: notice.card } : {}),
      });
      if (ok) sent++;
    }
    return sent;
  }

  /**
   * Into the ticket's customer group (its thread where there is one). Mentioning the
   * requester, it is addressed to them: their own language, else the group's; otherwise
   * the group's.
   */
  async toTicketGroup(ticket: Ticket, text: Wording, mentionRequester = true): Promise<boolean> {
    const mentions: ChatUser[] = [];
    const group = await this.store.getGroup(ticket.platform, ticket.chatId);
    let requester: Person | undefined;
    if (mentionRequester) {
      requester = await this.store.getPerson(ticket.requesterId);
      const identity = (await this.store.listIdentities(ticket.requesterId)).find(
        (i) => i.platform === ticket.platform,
      );
      if (identity) mentions.push({ id: identity.userId, ...(requester ? { name: requester.name } : {}) });
    }
    return this.deliver({
      platform: ticket.platform,
      chatId: ticket.chatId,
      chatKind: 'group',
      ...(ticket.threadId ? { threadId: ticket.threadId } : {}),
      text: text(readerLocale(this.defaultLocale, requester, group)),
      mentions,
    });
  }

  /** A direct message to a person, in their own language, on each platform where GroupDesk knows them (first success wins). */
  async toPerson(person: Person, text: Wording): Promise<boolean> {
    const worded = text(readerLocale(this.defaultLocale, person));
    for (const identity of await this.store.listIdentities(person.id)) {
      const ok = await this.deliver({
        platform: identity.platform,
        chatId: identity.userId,
        chatKind: 'direct',
        text: worded,
      });
      if (ok) return true;
    }
    return false;
  }

  async deliver(message: OutboundMessage): Promise<boolean> {
    try {
      await this.messenger.send(message);
      return true;
    } catch (error) {
      this.logger.warn('delivery failed', {
        platform: message.platform,
        chatId: message.chatId,
        error: String(error),
      });
      return false;
    }
  }
}
