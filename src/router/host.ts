/**
 * The AdapterHost every adapter talks to: inbound messages go to the router, native
 * command catalogues come from the registry, ticket autocomplete is scoped exactly like
 * `/status`, and health events reach the log and, for logouts, the managers.
 */
import type { CommandRegistry } from '../../commands/registry';
import type { DeskServices } from '../../commands/types';
import type {
  AdapterHost,
  CommandInfo,
  HealthEvent,
  InboundMessage,
  MembershipChange,
  Platform,
  TicketSuggestion,
} from '../core/chat';
import type { ConnectionBoard } from '../core/connections';
import { graphemePrefix } from '../core/graphemes';
import type { Locale, Translator } from '../core/i18n';
import type { Logger } from '../core/logger';
import type { DeskMetrics } from '../core/metrics';
import { isStaff } from '../desk/roles';
import { resolveContext } from './context';
import type { Router } from './router';

export interface HostOptions {
  readonly router: Router;
  readonly registry: CommandRegistry;
  readonly translator: Translator;
  readonly locale: Locale;
  readonly desk: DeskServices;
  readonly logger: Logger;
  /**
   * Register people who join a bound customer group as its subscribers, remove those who
   * leave: on every platform (`true`) or on the listed ones (WECHAT_SYNC_MEMBERS gives `['wechat']`).
   */
  readonly syncMembers: boolean | readonly Platform[];
  /** Counts inbound messages (GET /metrics). */
  readonly metrics?: DeskMetrics;
  /** Keeps each platform's last connection state (GET /healthz). */
  readonly connections?: ConnectionBoard;
}

export class DeskHost implements AdapterHost {
  constructor(private readonly o: HostOptions) {}

  handle(message: InboundMessage): Promise<void> {
    this.o.metrics?.messageIn(message.platform);
    return this.o.router.handle(message);
  }

  /** Resolves when every message and the announcements they caused have been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.o.router.idle();
  }

  commands(): readonly CommandInfo[] {
    return this.o.registry.catalogue(this.o.translator, this.o.locale);
  }

  async suggestTickets(query: {
    platform: InboundMessage['platform'];
    chatId: string;
    userId: string;
    prefix: string;
  }): Promise<readonly TicketSuggestion[]> {
    const { store } = this.o.desk;
    const probe: InboundMessage = {
      platform: query.platform,
      chatId: query.chatId,
      chatKind: 'group',
      messageId: 'autocomplete',
      sender: { id: query.userId },
      text: '',
      mentions: [],
      addressed: false,
    };
    const { speaker, place } = await resolveContext(store, probe);
    if (speaker.role === 'unknown') return [];
    const customerId = place.customerId ?? (isStaff(speaker.role) ? undefined : speaker.person?.customerId);
    if (!isStaff(speaker.role) && !customerId) return [];
    const tickets = await store.queryTickets({
      statuses: ['open', 'claimed', 'waiting_on_customer', 'resolved'],
      ...(customerId ? { customerId } : {}),
      limit: 200,
    });
    const prefix = query.prefix.replace(/^[#＃]/, '');
    return tickets
      .filter((t) => String(t.number).startsWith(prefix))
      .slice(0, 25)
      .map((t) => ({ number: t.number, label: graphemePrefix(`#${t.number} ${t.subject}`, 100) }));
  }

  reportHealth(event: HealthEvent): void {
    this.o.connections?.report(event, this.o.desk.clock.now());
    const level = event.state === 'up' ? 'info' : 'warn';
    this.o.logger[level](`${event.platform}: ${event.state}`, { detail: event.detail });
    if (event.state === 'logged_out' || event.state === 'down') {
      const params = { platform: event.platform, detail: event.detail };
      void this.o.desk.notifier
        .toGroups('manager', (locale) => ({
          text: this.o.translator.t(locale, 'alert.platform_down', params),
        }))
        .catch(() => undefined);
    }
  }

  async membershipChanged(change: MembershipChange): Promise<void> {
    const sync = this.o.syncMembers;
    if (typeof sync === 'boolean' ? !sync : !sync.includes(change.platform)) return;
    const { store, directory } = this.o.desk;
    const group = await store.getGroup(change.platform, change.chatId);
    if (group?.kind !== 'customer' || !group.customerId) return;
    const person = await store.findPersonByIdentity(change.platform, change.user.id);
    if (change.change === 'joined' && (!person || person.role === 'visitor')) {
      await directory.addSubscriber(change.platform, change.user.id, group.customerId, change.user.name);
    } else if (
      change.change === 'left' &&
      person?.role === 'subscriber' &&
      person.customerId === group.customerId
    ) {
      await store.deletePerson(person.id);
    }
  }
}
