/**
 * The visible side of a message given up after its expiry: the staff channels are told what
 * did not reach whom, and — for an engineer's reply — that engineer too, each in their own
 * language. A failure of a message into a staff channel or a direct chat is only logged:
 * telling the staff channel that the staff channel is unreachable would loop.
 */
import type { Translator } from '../core/i18n';
import type { Logger } from '../core/logger';
import type { GroupStore, Outbound, PeopleStore } from '../core/ports';
import { outboxChat } from '../core/ports';
import type { Notifier } from '../desk/notifier';

const EXCERPT_CHARS = 80;

export interface FailureReporting {
  readonly notifier: Notifier;
  readonly store: GroupStore & PeopleStore;
  readonly translator: Translator;
  readonly logger: Pick<Logger, 'warn'>;
  readonly hours: number;
}

export async function reportFailedDelivery(r: FailureReporting, row: Outbound): Promise<void> {
  const staffChats = new Set((await r.store.listGroups('staff')).map((g) => outboxChat(g)));
  if (row.message.chatKind === 'direct' || staffChats.has(row.chat)) {
    r.logger.warn('a message to staff was given up; not reported again', { chat: row.chat });
    return;
  }
  const text = row.message.text;
  const params = {
    platform: r.translator.t('en', `platform.${row.message.platform}`),
    chat: row.message.chatId,
    hours: r.hours,
    error: row.lastError ?? '',
    excerpt: text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text,
  };
  await r.notifier.toGroups('staff', (locale) => ({
    text: r.translator.t(locale, 'outbox.failed', {
      ...params,
      platform: r.translator.t(locale, `platform.${row.message.platform}`),
    }),
  }));
  if (row.after?.kind === 'staff-reply') {
    const engineer = await r.store.getPerson(row.after.engineerId);
    const ticket = row.after.ticketNumber;
    if (engineer)
      await r.notifier.toPerson(engineer, (locale) =>
        r.translator.t(locale, 'outbox.reply_failed', { ticket, hours: r.hours, error: params.error }),
      );
  }
}
