/**
 * The outcomes of one `settle` call (reminders.ts), checked before any lock is taken and
 * sorted by the statement that records them. A scheduler tick's outcomes are nearly all
 * alike — sent at the same time, not re-armed, each with a `reminder_sent` event by the
 * system — so those go through short statements that take keys alone (settleSentAt) or
 * [key, ticket, text] (eventsAlike); anything else through the general ones.
 */
import type { ReminderOutcome } from '../../core/ports';
import { errorText, RESULTS, recipients } from '../reminder-inputs';
import { integer, oneOf, optionalInteger, text } from '../values';
import { eventRow } from './params';
import type { AlikeEventJson, EventJson, OtherJson, SentJson } from './reminders.sql';

/** Events that differ only in ticket and text: one eventsAlike call. */
export interface AlikeEvents {
  readonly at: number;
  readonly kind: string;
  readonly actor: string;
  readonly rows: AlikeEventJson[];
}

export class OutcomeBatch {
  /** Keys of outcomes sent at a time and not re-armed, by that time (settleSentAt). */
  readonly sentAt = new Map<number, string[]>();
  /** Other sent outcomes (settleSent). */
  readonly sent: SentJson[] = [];
  readonly other: OtherJson[] = [];
  readonly alike = new Map<string, AlikeEvents>();
  readonly events: EventJson[] = [];
  size = 0;

  /** Checks `o` (throws the store's invalid-value error) and files it. */
  add(o: ReminderOutcome): void {
    const result = oneOf(o.result, RESULTS, 'outcome.result');
    const key = text(o.key, 'outcome.key');
    const at = integer(o.at, 'outcome.at');
    this.size++;
    switch (result) {
      case 'sent': {
        const s = o as Extract<ReminderOutcome, { result: 'sent' }>;
        const rearm = optionalInteger(s.rearmAt, 'outcome.rearmAt');
        if (rearm === null) this.keysAt(at).push(key);
        else this.sent.push([key, at, rearm]);
        if (s.event) this.addEvent(key, s.event.ticketNumber, s.event.event);
        return;
      }
      case 'failed': {
        const f = o as Extract<ReminderOutcome, { result: 'failed' }>;
        this.other.push([
          key,
          result,
          at,
          null,
          1,
          errorText(f.error),
          JSON.stringify(recipients(f.delivered)),
        ]);
        return;
      }
      case 'deferred': {
        const d = o as Extract<ReminderOutcome, { result: 'deferred' }>;
        const next = integer(d.nextAt, 'outcome.nextAt');
        const failure = d.failure;
        this.other.push([
          key,
          result,
          at,
          next,
          failure ? 1 : 0,
          failure ? errorText(failure.error) : null,
          failure ? JSON.stringify(recipients(failure.delivered)) : null,
        ]);
        return;
      }
      default:
        this.other.push([key, result, at, null, 0, null, null]);
    }
  }

  private keysAt(at: number): string[] {
    let keys = this.sentAt.get(at);
    if (keys === undefined) {
      keys = [];
      this.sentAt.set(at, keys);
    }
    return keys;
  }

  private addEvent(key: string, ticketNumber: number, event: Parameters<typeof eventRow>[1]): void {
    const e = eventRow(ticketNumber, event);
    if (e.from_value !== null || e.to_value !== null) {
      this.events.push([key, e.ticket_number, e.at, e.kind, e.actor_id, e.text, e.from_value, e.to_value]);
      return;
    }
    // NUL is refused in text (values.ts), so it cannot occur inside a group's name.
    const group = `${e.at}\u0000${e.kind}\u0000${e.actor_id}`;
    let alike = this.alike.get(group);
    if (alike === undefined) {
      alike = { at: e.at, kind: e.kind, actor: e.actor_id, rows: [] };
      this.alike.set(group, alike);
    }
    alike.rows.push([key, e.ticket_number, e.text]);
  }
}
