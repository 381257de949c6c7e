/**
 * One message's turn through the chat door, and what the chat rules (conversation, intake,
 * command context) may ask of the router: replies, wording, the speaker's language. They
 * depend on this interface, not on the Router class, so nothing imports in a loop.
 */

import type { ReplyOptions } from '../../commands/types';
import type { InboundMessage, OutboundMessage } from '../core/chat';
import type { Locale, Params, Translator } from '../core/i18n';
import type { AfterSent } from '../core/ports';
import type { Formatter } from '../desk/format';
import type { DeskServices, Place, Speaker } from '../desk/types';

export interface Turn {
  readonly message: InboundMessage;
  speaker: Speaker;
  readonly place: Place;
  /**
   * The language of every reply to the speaker, resolved once per turn (person → group →
   * deployment); set again only when an unknown speaker is registered or chooses one (`/lang`).
   */
  locale: Locale;
  readonly replies: Array<{ message: OutboundMessage; after?: AfterSent }>;
  /** Work that should follow the replies (e.g. staff announcements after the customer's acknowledgement). */
  readonly after: Array<() => Promise<unknown>>;
}

export interface ChatDoor {
  readonly desk: DeskServices;
  readonly format: Formatter;
  readonly translator: Translator;
  /** The deployment's language (`GROUPDESK_LOCALE`). */
  readonly defaultLocale: Locale;
  /** Text in `locale`: the turn's (`turn.locale`) for the speaker, another audience's for anyone else. */
  t(locale: Locale, key: string, params?: Params): string;
  /** Sets the turn's speaker (an unknown speaker just registered) and their language with it. */
  adopt(turn: Turn, speaker: Speaker): void;
  reply(turn: Turn, text: string, asked?: ReplyOptions): void;
}
