/**
 * The desk's services, built once from configuration, a store and a clock: what every door
 * (the chat router, the CLI, the SLA worker, the web console to come) runs on. The chat door
 * adds its router and host on top in app.ts; the CLI uses these directly. No door builds its
 * own translator, formatter, directory or ticket service.
 */
import type { LoadedConfig } from '../config/load';
import { webBaseUrl, webSecret } from '../config/web-secret';
import { Directory } from './core/directory';
import { Translator } from './core/i18n';
import type { Logger } from './core/logger';
import { isMacroStore } from './core/macros';
import type { DeskMetrics } from './core/metrics';
import { PlanBook } from './core/plans';
import {
  type Clock,
  isSlaStore,
  type Messenger,
  type Reminder,
  type SlaStore,
  type Store,
} from './core/ports';
import { isTicketSearch } from './core/search';
import { type DeadlinePolicy, TicketService } from './core/tickets';
import { onGitlab } from './core/tracker';
import { isUpstreamLinks } from './core/upstream-links';
import { TicketChanges } from './desk/changes';
import { Formatter } from './desk/format';
import { Notifier } from './desk/notifier';
import { SignInLinks } from './desk/signin';
import type { DeskServices } from './desk/types';
import { UpstreamUpdates } from './desk/upstream-updates';
import { reportFailedDelivery } from './outbox/failures';
import { OutboxSender, type OutboxSenderOptions } from './outbox/sender';
import { buildSla, type Sla } from './sla';
import type { TickResult } from './sla/worker';
import { CachedStore } from './store/cached';
import { meteredStore } from './store/metered';
import { buildUpstream } from './upstream/build';
import { UpstreamPoller } from './upstream/poller';

export interface ServiceParts {
  readonly config: LoadedConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where replies, notices and reminders go. */
  readonly messenger: Messenger;
  readonly deadlines?: DeadlinePolicy;
  /** A long-running process reads through the cache (GROUPDESK_CACHE_TTL_MS); a one-shot CLI does not. */
  readonly cache?: boolean;
  /**
   * The SLA reminder ledger; by default the raw store itself when it keeps one (both stores
   * do). Taken from `store` before the CachedStore wraps it, since the wrapper is a Store only.
   */
  readonly ledger?: SlaStore;
  /** The outbox sender's timings (tests shorten them); expiry comes from GROUPDESK_OUTBOX_EXPIRE_HOURS. */
  readonly outbox?: Omit<OutboxSenderOptions, 'expireMs'>;
  /** Seams of the SLA scheduler for tests and the two-process check. */
  readonly sla?: {
    readonly owner?: string;
    readonly afterClaim?: (claimed: readonly Reminder[]) => void | Promise<void>;
    readonly onTick?: (result: TickResult) => void;
  };
  /** Counts messages, tickets, replies, reminders and store calls (GET /metrics); off when absent. */
  readonly metrics?: DeskMetrics;
}

export interface Services {
  readonly services: DeskServices;
  /** Deadlines, reminders and their scheduler (not started: main.ts owns start and stop). */
  readonly sla: Sla;
  readonly translator: Translator;
}

export function composeServices(parts: ServiceParts): Services {
  const { config, clock, logger, messenger, metrics } = parts;
  // Metered under the cache: a cache hit is not a store call.
  const raw = metrics ? meteredStore(parts.store, metrics) : parts.store;
  const ttl = config.env.GROUPDESK_CACHE_TTL_MS;
  const store = parts.cache !== false && ttl > 0 ? new CachedStore(raw, clock, ttl) : raw;
  const locale = config.env.GROUPDESK_LOCALE;
  const expireHours = config.env.GROUPDESK_OUTBOX_EXPIRE_HOURS;
  const translator = new Translator(config.catalogs, locale);
  const plans = new PlanBook(config.plans);
  const format = new Formatter(translator, config.env.GROUPDESK_TIMEZONE);
  const sla = buildSla({
    rules: config.sla,
    calendars: config.calendars,
    plans,
    store,
    ledger: parts.ledger ?? (isSlaStore(raw) ? raw : undefined),
    clock,
    logger,
    translator,
    locale,
    timezone: config.env.GROUPDESK_TIMEZONE,
    format,
    messenger,
    ...parts.sla,
    ...(metrics && {
      onTick: (result: TickResult) => {
        metrics.reminders('sent', result.sent);
        metrics.reminders('failed', result.failed);
        parts.sla?.onTick?.(result);
      },
    }),
  });
  const directory = new Directory(store, clock, plans);
  // The web console's live pages hear every ticket change after the SLA planner did.
  const changes = new TicketChanges(sla.planner);
  let baseUrl = webBaseUrl(config.env);
  // The doors' messages go through the durable outbox; the SLA worker keeps its own retrying
  // ledger (src/sla/worker.ts) and sends straight to the messenger, as before.
  let notifier: Notifier | undefined;
  const outbox = new OutboxSender(
    {
      store,
      messenger,
      clock,
      logger,
      onFailed: (row) =>
        notifier === undefined
          ? Promise.resolve()
          : reportFailedDelivery({ notifier, store, translator, logger, hours: expireHours }, row),
    },
    { ...parts.outbox, expireMs: expireHours * 3_600_000 },
  );
  notifier = new Notifier({ store, messenger, outbox, logger, defaultLocale: locale });
  const { upstream, github, gitlab } = buildUpstream(config, () => clock.now());
  const services: DeskServices = {
    store,
    clock,
    plans,
    sla,
    tickets: new TicketService(store, clock, parts.deadlines ?? sla.policy, changes),
    directory,
    changes,
    signIn: new SignInLinks({
      store,
      directory,
      clock,
      secret: webSecret(config.env),
      baseUrl: () => baseUrl,
    }),
    setWebUrl: (url) => {
      baseUrl = config.env.GROUPDESK_WEB_URL ? baseUrl : url;
    },
    notifier,
    outbox,
    // Taken from the raw store: the CachedStore wrapper is a Store only (macros are not cached).
    ...(isMacroStore(raw) ? { macros: raw } : {}),
    ...(isTicketSearch(raw) ? { search: raw } : {}),
    ...(isUpstreamLinks(raw) ? { upstreamLinks: raw } : {}),
    knowledge: config.knowledge,
    translator,
    format,
    ...(upstream !== undefined && { upstream }),
    settings: {
      defaultLocale: locale,
      timezone: config.env.GROUPDESK_TIMEZONE,
      followUpMs: config.env.GROUPDESK_FOLLOWUP_MINUTES * 60_000,
      mergeMs: config.env.GROUPDESK_MERGE_SECONDS * 1000,
      reopenMs: config.env.GROUPDESK_REOPEN_DAYS * 86_400_000,
    },
  };
  const pollers = [
    { name: 'upstream-poller', tracker: github, minutes: config.github?.pollMinutes ?? 0, gitlab: false },
    { name: 'gitlab-poller', tracker: gitlab, minutes: config.gitlab?.pollMinutes ?? 0, gitlab: true },
  ];
  for (const { name, tracker, minutes, gitlab: onIt } of pollers) {
    const links = services.upstreamLinks;
    if (tracker === undefined || minutes <= 0 || links === undefined) continue;
    sla.scheduler?.addJob(
      new UpstreamPoller({
        name,
        tracker,
        accepts: (repo) => onGitlab(repo) === onIt,
        links,
        updates: new UpstreamUpdates(services, links),
        everyMs: minutes * 60_000,
        logger,
      }),
    );
  }
  return { services, sla, translator };
}
