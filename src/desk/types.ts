/**
 * The words every door shares: who acts (a speaker and their role), where (a place and the
 * one customer whose data may be seen from it), and the services the desk runs on.
 */
import type { Directory } from '../core/directory';
import type { Locale, Translator } from '../core/i18n';
import type { Knowledge } from '../core/knowledge';
import type { MacroStore } from '../core/macros';
import type { Group, Person, Role } from '../core/model';
import type { PlanBook } from '../core/plans';
import type { Clock, Store } from '../core/ports';
import type { TicketSearch } from '../core/search';
import type { SlaOverview, SlaView } from '../core/sla/overview';
import type { TicketService } from '../core/tickets';
import type { Tracker } from '../core/tracker';
import type { UpstreamLinks } from '../core/upstream-links';
import type { OutboxSender } from '../outbox/sender';
import type { TicketChanges } from './changes';
import type { Formatter } from './format';
import type { Notifier } from './notifier';
import type { SignInLinks } from './signin';

/** Who may run a command. Staff roles are ranked: admin ⊇ manager ⊇ engineer. */
export type Audience = 'everyone' | 'subscriber' | 'engineer' | 'manager' | 'admin';
/** Where a command may run. */
export type PlaceKind = 'customer' | 'staff' | 'manager' | 'community' | 'unbound' | 'direct';

export interface Speaker {
  /** Absent for people GroupDesk does not know. */
  readonly person?: Person;
  readonly role: Role | 'unknown';
}

export interface Place {
  readonly kind: PlaceKind;
  readonly group?: Group;
  /**
   * The only customer whose data may be shown here: the group's customer in a customer
   * group, the subscriber's own customer in a direct chat; undefined = every customer
   * (staff and manager channels, staff direct messages).
   */
  readonly customerId?: string;
}

/** What the desk reads of the SLA engine: the breached / at-risk overview and its per-engineer wording. */
export interface DeskSla {
  readonly view: SlaView;
  readonly digest: { perEngineer(overview: SlaOverview, locale: Locale): Promise<string> };
}

/** The upstream tracker and the repository `/issue` uses when none is named. */
export interface Upstream {
  readonly tracker: Tracker;
  readonly defaultRepo?: string;
  /** Signs the tracker's webhook deliveries (GROUPDESK_GITHUB_WEBHOOK_SECRET); absent: the hook answers 404. */
  readonly webhookSecret?: string;
  /** What GitLab sends in X-Gitlab-Token (GROUPDESK_GITLAB_WEBHOOK_TOKEN); absent: POST /hooks/gitlab answers 404. */
  readonly gitlabWebhookToken?: string;
}

export interface DeskServices {
  readonly store: Store;
  readonly clock: Clock;
  readonly plans: PlanBook;
  readonly tickets: TicketService;
  readonly directory: Directory;
  readonly notifier: Notifier;
  /** The durable outbox every door's message goes through (src/outbox/sender.ts). */
  readonly outbox: OutboxSender;
  /** Wording for notices the desk sends on its own (each audience's locale). */
  readonly translator: Translator;
  /** Dates, durations and deadlines in a locale and the vendor's time zone. */
  readonly format: Formatter;
  /** The breached / at-risk overview and the digest's wording. */
  readonly sla: DeskSla;
  /** Every ticket change, after it is durable (the web console's live pages listen). */
  readonly changes: TicketChanges;
  /** One-time sign-in links and sessions of the web console. */
  readonly signIn: SignInLinks;
  /** Saved replies (/macro); absent when the store keeps none. */
  readonly macros?: MacroStore;
  /** Search over every ticket's text (/search); absent when the store has none. */
  readonly search?: TicketSearch;
  /** The tickets linking an upstream issue (webhooks, the poller); absent when the store has no index. */
  readonly upstreamLinks?: UpstreamLinks;
  /** The vendor's question patterns → documentation links (config/knowledge/*.json). */
  readonly knowledge?: Knowledge;
  /** Where the web console actually listens, once it does (unless GROUPDESK_WEB_URL names a public address). */
  readonly setWebUrl: (url: string) => void;
  /** The upstream issue tracker; absent when none is configured (GROUPDESK_GITHUB_TOKEN unset). */
  readonly upstream?: Upstream;
  readonly settings: {
    /** The deployment's language (`GROUPDESK_LOCALE`): for readers who chose none. */
    readonly defaultLocale: Locale;
    readonly timezone: string;
    readonly followUpMs: number;
    /** An @bot message this soon after the requester's last one on an open ticket adds to it. */
    readonly mergeMs: number;
    readonly reopenMs: number;
  };
}
