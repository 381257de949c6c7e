/**
 * Presentation of tickets, times and durations in the reader's locale and the vendor's
 * time zone ("due 11-23 14:30 GMT+8", "overdue by 2 h 10 min").
 */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Locale, Translator } from '../core/i18n';
import type { Ticket } from '../core/model';

dayjs.extend(utc);
dayjs.extend(timezone);

export class Formatter {
  constructor(
    private readonly translator: Translator,
    readonly timezone: string,
  ) {}

  time(ms: number): string {
    const d = dayjs(ms).tz(this.timezone);
    return `${d.format('MM-DD HH:mm')} ${zoneName(ms, this.timezone)}`;
  }

  date(ms: number): string {
    return dayjs(ms).tz(this.timezone).format('YYYY-MM-DD');
  }

  duration(locale: Locale, ms: number): string {
    const totalMinutes = Math.max(1, Math.floor(Math.abs(ms) / 60_000));
    const days = Math.floor(totalMinutes / 1440);
    const hours = Math.floor((totalMinutes % 1440) / 60);
    const minutes = totalMinutes % 60;
    const parts: string[] = [];
    if (days) parts.push(this.translator.t(locale, 'dur.days', { n: days }));
    if (hours) parts.push(this.translator.t(locale, 'dur.hours', { n: hours }));
    if (minutes && !days) parts.push(this.translator.t(locale, 'dur.minutes', { n: minutes }));
    return parts.join(' ');
  }

  /** "due 11-23 14:30 GMT+8 (in 3 h)", "overdue by 2 h 10 min", "answered", or "" with no target. */
  deadline(locale: Locale, ticket: Ticket, now: number): string {
    if (ticket.firstResponseAt !== undefined) return this.translator.t(locale, 'deadline.answered');
    if (ticket.dueAt === undefined) return '';
    if (ticket.status === 'waiting_on_customer') return this.translator.t(locale, 'deadline.paused');
    const left = ticket.dueAt - now;
    if (left < 0)
      return this.translator.t(locale, 'deadline.overdue', { duration: this.duration(locale, left) });
    return this.translator.t(locale, 'deadline.due', {
      time: this.time(ticket.dueAt),
      duration: this.duration(locale, left),
    });
  }

  /** One line per ticket for lists. */
  line(
    locale: Locale,
    ticket: Ticket,
    now: number,
    options: { customer?: boolean; assignee?: string } = {},
  ): string {
    const t = (key: string, params = {}) => this.translator.t(locale, key, params);
    const parts = [
      `#${ticket.number}`,
      ticket.priority.toUpperCase(),
      t(`state.${ticket.status}`),
      ...(options.customer ? [ticket.customerId] : []),
      ticket.subject,
    ];
    const deadline = this.deadline(locale, ticket, now);
    if (deadline) parts.push(deadline);
    if (options.assignee) parts.push(`→ ${options.assignee}`);
    return parts.join(' · ');
  }
}

function zoneName(ms: number, tz: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}
