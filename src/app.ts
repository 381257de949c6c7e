/**
 * Builds the chat desk from its parts: the services every door shares (compose.ts), the command
 * registry, the router and the host adapters talk to. main.ts and the tests both use it,
 * so a test runs exactly what production runs.
 */
import type { ChatAdapter } from '../adapters/adapter';
import { buildRegistry } from '../commands';
import type { CommandRegistry } from '../commands/registry';
import type { DeskServices } from '../commands/types';
import { composeServices, type ServiceParts } from './compose';
import type { Platform } from './core/chat';
import type { ConnectionBoard } from './core/connections';
import type { Translator } from './core/i18n';
import type { Messenger } from './core/ports';
import { AdapterMessenger } from './messenger';
import { DeskHost } from './router/host';
import type { OutageOptions } from './router/outage';
import { Router } from './router/router';
import type { Sla } from './sla';

export interface DeskParts extends Omit<ServiceParts, 'messenger'> {
  readonly adapters?: readonly ChatAdapter[];
  /** Overrides delivery (tests); defaults to the adapters. */
  readonly messenger?: Messenger;
  /** Membership sync, everywhere (`true`) or per platform; off by default. See DeskHost. */
  readonly syncMembers?: boolean | readonly Platform[];
  /** The router's retry queue during store outages (defaults: src/router/outage.backlog.ts). */
  readonly outage?: OutageOptions;
  /** Where the adapters' connection states are kept for /healthz. */
  readonly connections?: ConnectionBoard;
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
  const { config, logger } = parts;
  const locale = config.env.GROUPDESK_LOCALE;
  const adapterMessenger = new AdapterMessenger(parts.adapters ?? []);
  const messenger = parts.messenger ?? adapterMessenger;
  const { services, sla, translator } = composeServices({ ...parts, messenger });
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
    ...(parts.metrics !== undefined && { metrics: parts.metrics }),
    ...(parts.connections !== undefined && { connections: parts.connections }),
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
