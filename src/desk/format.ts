/**
 * Presentation of tickets, times and durations in the reader's locale and the vendor's
 * time zone ("due 11-23 14:30 GMT+8", "overdue by 2 h 10 min").
 */
import type { Locale, Translator } from '../core/i18n';
import type { Ticket } from '../core/model';
import { splitDuration } from '../core/sla/duration';
import type { SlaMetric } from '../core/sla/metrics';

/** Minutes whose parts are kept; the cache starts over when full (deadlines cluster in time). */
const MINUTES_KEPT = 4096;
const MINUTE_MS = 60_000;

export class Formatter {
  private readonly intl: Intl.DateTimeFormat;
  private readonly minutes = new Map<number, Readonly<Record<string, string>>>();

  constructor(
    private readonly translator: Translator,
    readonly timezone: string,
  ) {
    this.intl = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
  }

  /** "11-23 14:30 GMT+8". One cached Intl formatter: dayjs's tz() builds a new one per call (a quarter of the per-message cost). */
  time(ms: number): string {
    const p = this.parts(ms);
    return `${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
  }

  date(ms: number): string {
    const p = this.parts(ms);
    return `${p.year}-${p.month}-${p.day}`;
  }

  private parts(ms: number): Readonly<Record<string, string>> {
    // Shown to the minute, so one minute's parts serve every instant in it: a reminder tick
    // formats a thousand deadlines, and formatToParts was the largest cost in wording them.
    const minute = Math.floor(ms / MINUTE_MS);
    const known = this.minutes.get(minute);
    if (known) return known;
    const out: Record<string, string> = {};
    for (const part of this.intl.formatToParts(minute * MINUTE_MS)) out[part.type] = part.value;
    if (out.hour === '24') out.hour = '00';
    if (this.minutes.size >= MINUTES_KEPT) this.minutes.clear();
    this.minutes.set(minute, out);
    return out;
  }

  /** "2 d 3 h", "2 h 10 min", never less than "1 min"; the sign is the caller's (due in / overdue by). */
  duration(locale: Locale, ms: number): string {
    const { days, hours, minutes } = splitDuration(Math.max(Math.abs(ms), 60_000));
    const parts: string[] = [];
    if (days) parts.push(this.translator.t(locale, 'dur.days', { n: days }));
    if (hours) parts.push(this.translator.t(locale, 'dur.hours', { n: hours }));
    if (minutes && !days) parts.push(this.translator.t(locale, 'dur.minutes', { n: minutes }));
    return parts.join(' ');
  }

  /** "due 11-23 14:30 GMT+8 (in 3 h)", "overdue by 2 h 10 min", "answered", or "" with no target. */
  /**
   * The deadline that applies next: the first response until it is given, then a running
   * next-response clock, then a running resolution clock; "answered" when none runs.
   */
  deadline(locale: Locale, ticket: Ticket, now: number): string {
    if (ticket.firstResponseAt !== undefined) return this.laterDeadline(locale, ticket, now);
    if (ticket.dueAt === undefined) return '';
    if (ticket.status === 'waiting_on_customer') return this.translator.t(locale, 'deadline.paused');
    return this.dueText(locale, 'first_response', ticket.dueAt, now);
  }

  /** One promise's deadline: "due 11-23 14:30 GMT+8 (in 3 h)", "next reply overdue by 2 h", … */
  dueText(locale: Locale, metric: SlaMetric, due: number, now: number): string {
    const prefix = metric === 'first_response' ? 'deadline' : `deadline.${metric}`;
    const left = due - now;
    if (left < 0)
      return this.translator.t(locale, `${prefix}.overdue`, { duration: this.duration(locale, left) });
    return this.translator.t(locale, `${prefix}.due`, {
      time: this.time(due),
      duration: this.duration(locale, left),
    });
  }

  private laterDeadline(locale: Locale, ticket: Ticket, now: number): string {
    const waitsOnStaff = ticket.status === 'open' || ticket.status === 'claimed';
    const [metric, due] =
      waitsOnStaff && ticket.nextResponseDueAt !== undefined
        ? (['next_response', ticket.nextResponseDueAt] as const)
        : waitsOnStaff && ticket.resolutionDueAt !== undefined
          ? (['resolution', ticket.resolutionDueAt] as const)
          : [undefined, undefined];
    if (metric === undefined || due === undefined) return this.translator.t(locale, 'deadline.answered');
    return this.dueText(locale, metric, due, now);
  }

  /** One line per ticket for lists. */
  line(
    locale: Locale,
    ticket: Ticket,
    now: number,
    options: { customer?: boolean; assignee?: string; staff?: boolean } = {},
  ): string {
    const t = (key: string, params = {}) => this.translator.t(locale, key, params);
    const parts = [
      `#${ticket.number}`,
      ticket.priority.toUpperCase(),
      // The customer reads "waiting for you"; staff read "waiting on the customer".
      t(`${options.staff ? 'staff_state' : 'state'}.${ticket.status}`),
      ...(options.customer ? [ticket.customerId] : []),
      ticket.subject,
    ];
    const deadline = this.deadline(locale, ticket, now);
    if (deadline) parts.push(deadline);
    if (options.assignee) parts.push(`→ ${options.assignee}`);
    return parts.join(' · ');
  }
}
