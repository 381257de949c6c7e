/**
 * The managers' daily digest, and the same breached / at-risk picture for /overdue:
 * tickets grouped per customer, a count per engineer, and the reminders that could not
 * be delivered in the last day (a permanent failure is logged and surfaces here).
 */
import type { Ticket } from '../core/model';
import type { Reminder, SlaStore, Store } from '../core/ports';
import type { SlaOverview, SlaView } from '../core/sla/overview';
import { parseSubject } from '../core/sla/subjects';
import { DAY_MS } from '../core/sla/zone';
import type { SlaMessages } from './messages';

const LIMIT = 500;

export class DigestComposer {
  constructor(
    private readonly store: Store,
    private readonly ledger: SlaStore | undefined,
    private readonly view: SlaView,
    private readonly messages: SlaMessages,
  ) {}

  /** The digest text for `date`, or undefined when there is nothing to report and `skipWhenEmpty`. */
  async compose(date: string, now: number, skipWhenEmpty: boolean): Promise<string | undefined> {
    const overview = await this.view.overview(this.store, now);
    const failed = this.ledger ? await this.ledger.failedReminders(now - DAY_MS, 50) : [];
    if (skipWhenEmpty && !overview.breached.length && !overview.atRisk.length && !failed.length)
      return undefined;
    const m = this.messages;
    return [
      m.t('digest.header', { date }),
      ...(await this.sections(overview, now)),
      ...(failed.length
        ? [m.t('digest.failed', { count: failed.length }), ...failed.map((r) => this.failure(r))]
        : []),
    ].join('\n');
  }

  /** Breached and at-risk tickets per customer, then per engineer. */
  async sections(overview: SlaOverview, now: number): Promise<string[]> {
    const m = this.messages;
    const lines: string[] = [];
    if (overview.breached.length) {
      lines.push(m.t('digest.breached', { count: overview.breached.length }));
      lines.push(...(await this.perCustomer(overview.breached, now)));
    }
    if (overview.atRisk.length) {
      lines.push(m.t('digest.at_risk', { count: overview.atRisk.length }));
      lines.push(...(await this.perCustomer(overview.atRisk, now)));
    }
    if (overview.breached.length || overview.atRisk.length) {
      lines.push(m.t('digest.engineers', { list: await this.perEngineer(overview) }));
    }
    if (overview.truncated) lines.push(m.t('digest.truncated', { limit: LIMIT }));
    return lines;
  }

  private async perCustomer(tickets: readonly Ticket[], now: number): Promise<string[]> {
    const byCustomer = new Map<string, Ticket[]>();
    for (const t of tickets) byCustomer.set(t.customerId, [...(byCustomer.get(t.customerId) ?? []), t]);
    const lines: string[] = [];
    for (const [customerId, list] of byCustomer) {
      const items = await Promise.all(
        list.map(async (t) =>
          this.messages.t('digest.ticket', {
            ticket: t.number,
            deadline: this.messages.format.deadline(this.messages.locale, t, now),
            assignee: await this.assigneeName(t.assigneeId),
          }),
        ),
      );
      lines.push(
        this.messages.t('digest.customer_line', {
          customer: await this.customerName(customerId),
          tickets: items.join(this.messages.t('list.separator')),
        }),
      );
    }
    return lines;
  }

  /** "bob: 1 breached, 0 at risk, not yet assigned: …" */
  async perEngineer(overview: SlaOverview): Promise<string> {
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
      parts.push(
        this.messages.t('digest.engineer', { name: await this.assigneeName(id || undefined), ...c }),
      );
    }
    return parts.join(this.messages.t('list.separator'));
  }

  private failure(r: Reminder): string {
    const subject = parseSubject(r.subject);
    const what =
      subject?.kind === 'ticket'
        ? `#${subject.number}`
        : subject?.kind === 'subscription'
          ? subject.customerId
          : r.subject;
    return this.messages.t('digest.failed_line', { what, stage: r.stage, error: r.lastError ?? '?' });
  }

  private async assigneeName(id: string | undefined): Promise<string> {
    const person = id ? await this.store.getPerson(id) : undefined;
    return person?.name ?? this.messages.t('status.unassigned');
  }

  private async customerName(id: string): Promise<string> {
    return (await this.store.getCustomer(id))?.name ?? id;
  }
}
