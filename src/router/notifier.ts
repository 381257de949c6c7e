/**
 * Messages GroupDesk sends on its own initiative: new-ticket announcements to the staff
 * channels, notices to a ticket's customer group, alerts to managers, direct messages.
 * Delivery failures are logged and never undo the change that caused them.
 */
import type { ChatUser, OutboundButton, OutboundCard, OutboundMessage } from '../core/chat';
import type { Logger } from '../core/logger';
import type { GroupKind, Person, Ticket } from '../core/model';
import type { Messenger, Store } from '../core/ports';

export class Notifier {
  constructor(
    private readonly store: Store,
    private readonly messenger: Messenger,
    private readonly logger: Logger,
  ) {}

  /** To every group of a kind (all staff channels, all manager channels), on whatever platform. */
  async toGroups(
    kind: Exclude<GroupKind, 'customer'>,
    text: string,
    buttons?: readonly OutboundButton[],
    card?: OutboundCard,
  ): Promise<number> {
    const groups = await this.store.listGroups(kind);
    let sent = 0;
    for (const g of groups) {
      const ok = await this.deliver({
        platform: g.platform,
        chatId: g.chatId,
        chatKind: 'group',
        text,
        ...(buttons ? { buttons } : {}),
        ...(card ? { card } : {}),
      });
      if (ok) sent++;
    }
    return sent;
  }

  /** Into the ticket's customer group (its thread where there is one), mentioning the requester. */
  async toTicketGroup(ticket: Ticket, text: string, mentionRequester = true): Promise<boolean> {
    const mentions: ChatUser[] = [];
    if (mentionRequester) {
      const requester = await this.store.getPerson(ticket.requesterId);
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
      text,
      mentions,
    });
  }

  /** A direct message to a person on each platform where GroupDesk knows them (first success wins). */
  async toPerson(person: Person, text: string): Promise<boolean> {
    for (const identity of await this.store.listIdentities(person.id)) {
      const ok = await this.deliver({
        platform: identity.platform,
        chatId: identity.userId,
        chatKind: 'direct',
        text,
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
