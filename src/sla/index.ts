/**
 * Builds the SLA engine from the desk's parts: the calendar policy (deadlines), the view
 * (/overdue, digest), and, when the store keeps the reminder ledger, the planner that
 * TicketService tells about changes and the scheduler that delivers.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Locale, Translator } from '../core/i18n';
import type { Logger } from '../core/logger';
import type { PlanBook } from '../core/plans';
import type { Clock, Messenger, Reminder, SlaStore, Store } from '../core/ports';
import type { WorkCalendar } from '../core/sla/calendar';
import { SlaView } from '../core/sla/overview';
import { ReminderPlanner } from '../core/sla/planner';
import { SlaPolicy } from '../core/sla/policy';
import type { SlaRules } from '../core/sla/rules';
import type { Formatter } from '../desk/format';
import { Notifier } from '../desk/notifier';
import { DigestComposer } from './digest';
import { Housekeeping } from './housekeeping';
import { SlaMessages } from './messages';
import { SlaScheduler } from './scheduler';
import { ReminderWorker, type TickResult } from './worker';

export interface SlaParts {
  readonly rules: SlaRules;
  readonly calendars: ReadonlyMap<string, WorkCalendar>;
  readonly plans: PlanBook;
  /** The desk's store (possibly cached) for tickets, people and groups. */
  readonly store: Store;
  /** The reminder ledger; without one there are deadlines and reports but no reminders. */
  readonly ledger: SlaStore | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly translator: Translator;
  readonly locale: Locale;
  readonly timezone: string;
  /** The desk's formatter (one per process: it caches a minute's date parts). */
  readonly format: Formatter;
  readonly messenger: Messenger;
  /** Name on this process's claims; host, pid and a random part by default. */
  readonly owner?: string;
  readonly afterClaim?: (claimed: readonly Reminder[]) => void | Promise<void>;
  readonly onTick?: (result: TickResult) => void;
}

export interface Sla {
  readonly policy: SlaPolicy;
  readonly view: SlaView;
  readonly planner?: ReminderPlanner;
  readonly scheduler?: SlaScheduler;
  readonly digest: DigestComposer;
  readonly messages: SlaMessages;
  /** Logs a warning for each plan calendar whose holiday list ends soon (at start). */
  readonly warnAboutCalendars: (now: number) => void;
}

export function buildSla(p: SlaParts): Sla {
  const policy = new SlaPolicy(p.calendars, p.plans);
  const view = new SlaView(policy, p.rules.digest.atRiskPercent);
  const messages = new SlaMessages(p.translator, p.locale, p.format, p.plans);
  const digest = new DigestComposer(p.store, p.ledger, view, messages, (now) =>
    policy.calendarsRunningOut(now, p.rules.digest.calendarWarningDays),
  );
  const warnAboutCalendars = (now: number) => {
    for (const c of policy.calendarsRunningOut(now, p.rules.digest.calendarWarningDays)) {
      p.logger.warn('business calendar: holidays are listed only through a date close by or past', {
        ...c,
        fix: `add the next year's holidays and make-up days to config/calendars/${c.id}.json`,
      });
    }
  };
  if (!p.ledger) return { policy, view, digest, messages, warnAboutCalendars };
  const ledger = p.ledger;
  const planner = new ReminderPlanner({
    ledger,
    policy,
    rules: p.rules.tickets,
    clock: p.clock,
    logger: p.logger,
  });
  const worker = new ReminderWorker({
    ledger,
    store: p.store,
    policy,
    rules: p.rules,
    planner,
    recipients: new Notifier({
      store: p.store,
      messenger: p.messenger,
      logger: p.logger,
      defaultLocale: p.locale,
      sendTimeoutMs: p.rules.scheduler.sendTimeoutSeconds * 1000,
      memoise: true,
    }),
    messages,
    digest,
    logger: p.logger,
    owner: p.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    timezone: p.timezone,
    ...(p.afterClaim ? { afterClaim: p.afterClaim } : {}),
  });
  const scheduler = new SlaScheduler({
    cron: p.rules.scheduler.cron,
    clock: p.clock,
    logger: p.logger,
    store: p.store,
    planner,
    housekeeping: new Housekeeping(p.store, ledger, p.rules, p.timezone, p.logger),
    worker,
    ...(p.onTick ? { onTick: p.onTick } : {}),
  });
  return { policy, view, planner, scheduler, digest, messages, warnAboutCalendars };
}
