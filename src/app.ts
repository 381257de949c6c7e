/**
 * Builds the desk from its parts: the core services over a store and a clock, the command
 * registry, the router and the host adapters talk to. main.ts and the tests both use it,
 * so a test runs exactly what production runs.
 */
import type { ChatAdapter } from '../adapters/adapter';
import { buildRegistry } from '../commands';
import type { CommandRegistry } from '../commands/registry';
import type { DeskServices } from '../commands/types';
import type { LoadedConfig } from '../config/load';
import type { Platform } from './core/chat';
import { Directory } from './core/directory';
import { Translator } from './core/i18n';
import type { Logger } from './core/logger';
import { PlanBook } from './core/plans';
import {
  type Clock,
  isSlaStore,
  type Messenger,
  type Reminder,
  type SlaStore,
  type Store,
} from './core/ports';
import { type DeadlinePolicy, TicketService } from './core/tickets';
import { Formatter } from './desk/format';
import { Notifier } from './desk/notifier';
import { AdapterMessenger } from './messenger';
import { DeskHost } from './router/host';
import type { OutageOptions } from './router/outage';
import { Router } from './router/router';
import { buildSla, type Sla } from './sla';
import type { TickResult } from './sla/worker';
import { CachedStore } from './store/cached';

export interface DeskParts {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly adapters?: readonly ChatAdapter[];
  readonly deadlines?: DeadlinePolicy;
  /** Overrides delivery (tests); defaults to the adapters. */
  readonly messenger?: Messenger;
  /** Membership sync, everywhere (`true`) or per platform; off by default. See DeskHost. */
  readonly syncMembers?: boolean | readonly Platform[];
  /** The router's retry queue during store outages (defaults: src/router/outage.backlog.ts). */
  readonly outage?: OutageOptions;
  /**
   * The SLA reminder ledger; by default the raw store itself when it keeps one (both stores
   * do). Taken from `store` before the CachedStore wraps it, since the wrapper is a Store only.
   */
  readonly ledger?: SlaStore;
  /** Seams of the SLA scheduler for tests and the two-process check. */
  readonly sla?: {
    readonly owner?: string;
    readonly afterClaim?: (claimed: readonly Reminder[]) => void | Promise<void>;
    readonly onTick?: (result: TickResult) => void;
  };
}

export interface Desk {
  readonly services: DeskServices;
  readonly router: Router;
  readonly host: DeskHost;
  readonly registry: CommandRegistry;
  readonly translator: Translator;
  readonly messenger: Messenger;
  /** Adds an adapter for outbound delivery (when no messenger override was given). */
  readonly addAdapter: (adapter: ChatAdapter) => void;
  /** Deadlines, reminders and their scheduler (not started: main.ts owns start and stop). */
  readonly sla: Sla;
}

export function createDesk(parts: DeskParts): Desk {
  const { config, clock, logger } = parts;
  const ttl = config.env.GROUPDESK_CACHE_TTL_MS;
  const store = ttl > 0 ? new CachedStore(parts.store, clock, ttl) : parts.store;
  const locale = config.env.GROUPDESK_LOCALE;
  const translator = new Translator(config.catalogs, locale);
  const plans = new PlanBook(config.plans);
  const format = new Formatter(translator, config.env.GROUPDESK_TIMEZONE);
  const adapterMessenger = new AdapterMessenger(parts.adapters ?? []);
  const messenger = parts.messenger ?? adapterMessenger;
  const sla = buildSla({
    rules: config.sla,
    calendars: config.calendars,
    plans,
    store,
    ledger: parts.ledger ?? (isSlaStore(parts.store) ? parts.store : undefined),
    clock,
    logger,
    translator,
    locale,
    timezone: config.env.GROUPDESK_TIMEZONE,
    format,
    messenger,
    ...parts.sla,
  });
  const services: DeskServices = {
    store,
    clock,
    plans,
    sla,
    tickets: new TicketService(store, clock, parts.deadlines ?? sla.policy, sla.planner),
    directory: new Directory(store, clock, plans),
    notifier: new Notifier({ store, messenger, logger, defaultLocale: locale }),
    translator,
    format,
    settings: {
      timezone: config.env.GROUPDESK_TIMEZONE,
      followUpMs: config.env.GROUPDESK_FOLLOWUP_MINUTES * 60_000,
      mergeMs: config.env.GROUPDESK_MERGE_SECONDS * 1000,
      reopenMs: config.env.GROUPDESK_REOPEN_DAYS * 86_400_000,
    },
  };
  const registry = buildRegistry();
  const router = new Router({
    desk: services,
    registry,
    translator,
    locale,
    messenger,
    logger,
    ...(parts.outage !== undefined && { outage: parts.outage }),
  });
  const host = new DeskHost({
    router,
    registry,
    translator,
    locale,
    desk: services,
    logger,
    syncMembers: parts.syncMembers ?? false,
  });
  return {
    services,
    router,
    host,
    registry,
    translator,
    messenger,
    addAdapter: (a) => adapterMessenger.register(a),
    sla,
  };
}
