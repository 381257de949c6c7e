/**
 * The words of reminders, in each recipient's locale, with deadlines in the vendor's time
 * zone (the Formatter the ticket lists use, so a reminder and /queue say the same thing).
 * One instance per locale, built on first use by `in(locale)` and kept: a tick words a
 * thousand reminders for a handful of channels, so the per-locale state is shared.
 */
import type { OutboundButton } from '../core/chat';
import type { Locale, Params, Translator } from '../core/i18n';
import type { Subscription, Ticket } from '../core/model';
import type { Plan, PlanBook } from '../core/plans';
import { type SlaMetric, targetMs } from '../core/sla/metrics';
import type { StageRule } from '../core/sla/rules';
import { graceEnd, type SubscriptionStage } from '../core/sla/subscription-stages';
import { DAY_MS, HOUR_MS } from '../core/sla/zone';
import type { Formatter } from '../desk/format';

export interface TicketFacts {
  readonly ticket: Ticket;
  readonly customer: string;
  readonly assignee: string | undefined;
}

export class SlaMessages {
  constructor(
    private readonly translator: Translator,
    /** The locale these messages are worded in (the deployment's for the one buildSla makes). */
    readonly locale: Locale,
    readonly format: Formatter,
    private readonly plans: PlanBook,
    private readonly siblings: Map<Locale, SlaMessages> = new Map(),
  ) {
    siblings.set(locale, this);
  }

  /** The same messages worded in `locale` (one instance per locale, shared by all of them). */
  in(locale: Locale): SlaMessages {
    return (
      this.siblings.get(locale) ??
      new SlaMessages(this.translator, locale, this.format, this.plans, this.siblings)
    );
  }

  t(key: string, params?: Params): string {
    return this.translator.t(this.locale, key, params);
  }

  planName(id: string): string {
    return this.plans.get(id)?.name[this.locale] ?? id;
  }

  /**
   * A stage reminder, or the breach alert and its repeats (round > 0), naming the promise:
   * `sla.*` for the first response, `sla.next_response.*` and `sla.resolution.*` for the others.
   */
  ticketReminder(
    stage: StageRule,
    round: number,
    facts: TicketFacts,
    now: number,
    metric: SlaMetric = 'first_response',
  ): string {
    const { ticket } = facts;
    const plan = this.plans.get(ticket.plan);
    const params = {
      ticket: ticket.number,
      customer: facts.customer,
      plan: this.planName(ticket.plan),
      subject: ticket.subject,
      deadline: this.format.deadline(this.locale, ticket, now),
      assignee: facts.assignee ?? this.t('status.unassigned'),
      percent: stage.percent,
      hours: targetHours(plan, metric, ticket),
      round: round + 1,
    };
    const prefix = metric === 'first_response' ? 'sla' : `sla.${metric}`;
    if (stage.percent < 100) return this.t(`${prefix}.warning`, params);
    return this.t(round === 0 ? `${prefix}.breach` : `${prefix}.breach_repeat`, params);
  }

  /** Unclaimed tickets get a claim button where the platform has buttons. */
  claimButtons(ticket: Ticket): readonly OutboundButton[] | undefined {
    if (ticket.assigneeId) return undefined;
    return [
      { label: this.t('button.claim'), command: this.t('button.claim_command', { ticket: ticket.number }) },
    ];
  }

  /** A renewal reminder, worded for the customer's group or for the managers. */
  subscriptionNotice(
    stage: SubscriptionStage,
    sub: Subscription,
    customer: string,
    audience: 'customer' | 'managers',
    now: number,
  ): string {
    const params = {
      customer,
      plan: this.planName(sub.plan),
      end: this.format.date(sub.endsAt),
      graceEnd: this.format.date(graceEnd(sub)),
      days: Math.max(1, Math.ceil((sub.endsAt - now) / DAY_MS)),
      ...this.plans.catalog.freeChannels,
    };
    return this.t(`sla.sub.${stage.kind}.${audience}`, params);
  }
}

/** The ticket's window in hours, its priority's share included ("18" for P1 at ¾ of 24 h). */
function targetHours(plan: Plan | undefined, metric: SlaMetric, ticket: Ticket): number | string {
  const ms = plan && targetMs(plan, metric, ticket.priority);
  return ms ? Math.round((ms / HOUR_MS) * 100) / 100 : '-';
}
