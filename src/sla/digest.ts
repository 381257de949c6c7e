/**
 * The managers' daily digest, and the same breached / at-risk picture for /overdue:
 * tickets grouped per promise (first response, next reply, resolution), then per customer,
 * a count per engineer, the reminders that could not be delivered in the last day (a
 * permanent failure is logged and surfaces here), and the business calendars whose
 * holiday lists are about to run out (see coverage.ts).
 */
import type { Locale } from '../core/i18n';
import type { Ticket } from '../core/model';
import type { Reminder, SlaStore, Store } from '../core/ports';
import type { CalendarCoverage } from '../core/sla/coverage';
import { SLA_METRICS, type SlaMetric } from '../core/sla/metrics';
import type { SlaOverview, SlaView } from '../core/sla/overview';
import { parseSubject } from '../core/sla/subjects';
import { metricView } from '../core/sla/ticket-stages';
import { DAY_MS } from '../core/sla/zone';
import { type Rated, ratingsOf, summarise } from '../core/survey';
import type { SlaMessages } from './messages';

const LIMIT = 500;
/** How far back the digest looks for tickets that may have been rated in the last day. */
const RATED_WITHIN_MS = 90 * DAY_MS;

export class DigestComposer {
  constructor(
    private readonly store: Store,
    private readonly ledger: SlaStore | undefined,
    private readonly view: SlaView,
    private readonly messages: SlaMessages,
    /** The plans' calendars whose holiday lists end soon (or ended), at `now`. */
    private readonly calendarsRunningOut: (now: number) => readonly CalendarCoverage[] = () => [],
  ) {}

  /**
   * The digest text for `date` in each of `locales` (a manager channel reads its own
   * language), or undefined when there is nothing to report and `skipWhenEmpty`. The
   * overview is read once, whatever the number of languages.
   */
  async compose(
    date: string,
    now: number,
    skipWhenEmpty: boolean,
    locales: readonly Locale[] = [this.messages.locale],
  ): Promise<Map<Locale, string> | undefined> {
    const overview = await this.view.overview(this.store, now);
    const failed = this.ledger ? await this.ledger.failedReminders(now - DAY_MS, 50) : [];
    const calendars = this.calendarsRunningOut(now);
    const rated = await this.ratedSince(now - DAY_MS, now);
    const empty =
      !overview.breached.length &&
      !overview.atRisk.length &&
      !failed.length &&
      !calendars.length &&
      !rated.length;
    if (skipWhenEmpty && empty) return undefined;
    const texts = new Map<Locale, string>();
    for (const locale of new Set(locales)) {
      const m = this.messages.in(locale);
      texts.set(
        locale,
        [
          m.t('digest.header', { date }),
          ...(await this.sections(overview, now, m)),
          ...(failed.length
            ? [m.t('digest.failed', { count: failed.length }), ...failed.map((r) => this.failure(r, m))]
            : []),
          ...calendars.map((c) => this.calendar(c, m)),
          ...(await this.satisfaction(rated, m)),
        ].join('\n'),
      );
    }
    return texts;
  }

  /**
   * Under a heading per promise (first response, next reply, resolution): its breached,
   * then its at-risk tickets per customer; then a count per engineer. A ticket late on one
   * promise and close on another is listed under both.
   */
  private async sections(overview: SlaOverview, now: number, m: SlaMessages): Promise<string[]> {
    const lines: string[] = [];
    const all = [...overview.breached, ...overview.atRisk];
    for (const metric of SLA_METRICS) {
      const breached = all.filter((t) => this.view.breachedMetrics(t, now).includes(metric));
      const atRisk = all.filter((t) => !breached.includes(t) && this.view.atRisk(t, now).includes(metric));
      if (!breached.length && !atRisk.length) continue;
      lines.push(m.t(`digest.metric.${metric}`));
      for (const [key, list] of [
        ['digest.breached', breached],
        ['digest.at_risk', atRisk],
      ] as const) {
        if (!list.length) continue;
        lines.push(`  ${m.t(key, { count: list.length })}`);
        for (const line of await this.perCustomer(list, metric, now, m)) lines.push(`  ${line}`);
      }
    }
    if (all.length) {
      lines.push(m.t('digest.engineers', { list: await this.perEngineer(overview, m.locale) }));
    }
    if (overview.truncated) lines.push(m.t('digest.truncated', { limit: LIMIT }));
    return lines;
  }

  private async perCustomer(
    tickets: readonly Ticket[],
    metric: SlaMetric,
    now: number,
    m: SlaMessages,
  ): Promise<string[]> {
    const byCustomer = new Map<string, Ticket[]>();
    for (const t of tickets) byCustomer.set(t.customerId, [...(byCustomer.get(t.customerId) ?? []), t]);
    const lines: string[] = [];
    for (const [customerId, list] of byCustomer) {
      const items = await Promise.all(
        list.map(async (t) =>
          m.t('digest.ticket', {
            ticket: t.number,
            deadline: m.format.dueText(m.locale, metric, metricView(t, metric).dueAt ?? now, now),
            assignee: await this.assigneeName(t.assigneeId, m),
          }),
        ),
      );
      lines.push(
        m.t('digest.customer_line', {
          customer: await this.customerName(customerId),
          tickets: items.join(m.t('list.separator')),
        }),
      );
    }
    return lines;
  }

  /** "bob: 1 breached, 0 at risk, not yet assigned: …", in `locale` (/overdue: the speaker's). */
  async perEngineer(overview: SlaOverview, locale: Locale): Promise<string> {
    const m = this.messages.in(locale);
    const counts = new Map<string, { breached: number; atRisk: number }>();
    const count = (t: Ticket, field: 'breached' | 'atRisk') => {
      const entry = counts.get(t.assigneeId ?? '') ?? { breached: 0, atRisk: 0 };
      entry[field]++;
      counts.set(t.assigneeId ?? '', entry);
    };
    for (const t of overview.breached) count(t, 'breached');
    for (const t of overview.atRisk) count(t, 'atRisk');
    const parts: string[] = [];
    for (const [id, c] of counts) {
      parts.push(m.t('digest.engineer', { name: await this.assigneeName(id || undefined, m), ...c }));
    }
    return parts.join(m.t('list.separator'));
  }

  /** Survey scores given in the last day (tickets resolved within RATED_WITHIN_MS, at most LIMIT read). */
  private async ratedSince(since: number, now: number): Promise<Rated[]> {
    const tickets = await this.store.queryTickets({
      statuses: ['resolved', 'closed'],
      createdSince: now - RATED_WITHIN_MS,
      limit: LIMIT,
    });
    return ratingsOf(this.store, tickets, since);
  }

  /** The day's average, and each low score (1–2) by ticket: what a manager follows up on. */
  private async satisfaction(rated: readonly Rated[], m: SlaMessages): Promise<string[]> {
    const summary = summarise(rated.map((r) => r.score));
    if (!summary) return [];
    const low: string[] = [];
    for (const r of rated.filter((x) => x.score <= 2).sort((a, b) => a.ticketNumber - b.ticketNumber)) {
      low.push(
        m.t('digest.low_score', {
          ticket: r.ticketNumber,
          score: r.score,
          customer: await this.customerName(r.customerId),
        }),
      );
    }
    return [
      m.t('digest.satisfaction', { ...summary }),
      ...(low.length ? [m.t('digest.low_scores', { tickets: low.join(m.t('list.separator')) })] : []),
    ];
  }

  private failure(r: Reminder, m: SlaMessages): string {
    const subject = parseSubject(r.subject);
    const what =
      subject?.kind === 'ticket'
        ? `#${subject.number}`
        : subject?.kind === 'subscription'
          ? subject.customerId
          : r.subject;
    return m.t('digest.failed_line', { what, stage: r.stage, error: r.lastError ?? '?' });
  }

  private calendar(c: CalendarCoverage, m: SlaMessages): string {
    const key = c.daysLeft >= 0 ? 'digest.calendar_ending' : 'digest.calendar_ended';
    return m.t(key, { calendar: c.id, through: c.through, days: c.daysLeft });
  }

  private async assigneeName(id: string | undefined, m: SlaMessages): Promise<string> {
    const person = id ? await this.store.getPerson(id) : undefined;
    return person?.name ?? m.t('status.unassigned');
  }

  private async customerName(id: string): Promise<string> {
    return (await this.store.getCustomer(id))?.name ?? id;
  }
}
