/**
 * Commands are declarative specs (hubot's CommandBus, koishi's commands): name, aliases
 * per locale, who may run them where, the plan entitlement they need, their parameters
 * and a zod schema for the parsed arguments, and a handler that only talks to the core.
 * Help and usage text live in the locale files under `cmd.<name>.help` / `cmd.<name>.usage`.
 */
import type { z } from 'zod';
import type { ChatUser, CommandParamInfo, InboundMessage, OutboundButton } from '../src/core/chat';
import type { Locale, Params } from '../src/core/i18n';
import type { Category, Person, Ticket } from '../src/core/model';
import type { AfterSent } from '../src/core/ports';
import type { Formatter } from '../src/desk/format';
import type { Audience, DeskServices, Place, PlaceKind, Speaker } from '../src/desk/types';

export type { Audience, DeskServices, Place, PlaceKind, Speaker, Upstream } from '../src/desk/types';

export interface ParamSpec {
  readonly name: string;
  readonly kind: CommandParamInfo['kind'];
  readonly required: boolean;
  readonly choices?: readonly string[];
  /** Where a choice's words in each locale live: `kw.<keywords>.<choice>` (src/core/keywords.ts). */
  readonly keywords?: string;
}

export interface ReplyOptions {
  /** Only the speaker should see it (ephemeral where the platform can; a DM otherwise). */
  readonly private?: boolean;
  /** A refusal, not an answer (OutboundMessage.refused). */
  readonly refused?: boolean;
  readonly buttons?: readonly OutboundButton[];
  /** Ask the platform to open a thread on the speaker's message for this reply (a new ticket). */
  readonly startThread?: boolean;
  /**
   * What the outbox does once the platform accepted the reply (data, so that it survives a
   * restart): e.g. make the reply's thread the ticket's thread.
   */
  readonly after?: AfterSent;
}

export interface CommandContext {
  readonly message: InboundMessage;
  readonly speaker: Speaker;
  readonly place: Place;
  /** The speaker's language this turn: their own, else the group's, else the deployment's. */
  readonly locale: Locale;
  /** The deployment's language (`GROUPDESK_LOCALE`). */
  readonly defaultLocale: Locale;
  readonly desk: DeskServices;
  /** Text for the speaker, in `locale`. */
  t(key: string, params?: Params): string;
  /** Text for another audience, in its own locale (see Notifier's wordings). */
  tIn(locale: Locale, key: string, params?: Params): string;
  /** True when `word` is one of the locale files' words for `kw.<set>.<value>`, in any locale. */
  isKeyword(set: string, value: string, word: string): boolean;
  /** The command as the speaker typed it (`套餐`, `plan`), for replies that name it. */
  readonly command: string;
  /** The speaker just chose a language (`/lang`): the rest of the turn answers in it. */
  setSpeakerLocale(locale: Locale): void;
  reply(text: string, options?: ReplyOptions): void;
  /** The ticket if it exists and may be seen from here; otherwise the same "not found" for all. */
  visibleTicket(number: number): Promise<Ticket>;
  /** The person a mention points at, or a polite error. */
  personFor(user: ChatUser): Promise<Person>;
  /** The speaker as a person (registered on first use in a customer group). */
  me(): Person;
  /** Opens a ticket for the speaker here (plan checks, acknowledgement, staff card); no category: the one the text suggests. */
  openTicket(text: string, category?: Category): Promise<Ticket>;
  readonly format: Formatter;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly aliases?: Partial<Record<Locale, readonly string[]>>;
  readonly audience: readonly Audience[];
  readonly places: readonly PlaceKind[];
  /** The plan must cover this category (checked before the handler runs). */
  readonly entitlement?: Category;
  readonly params: readonly ParamSpec[];
  readonly schema: S;
  run(ctx: CommandContext, args: z.infer<S>): Promise<void>;
}

export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}

export const ALL_PLACES: readonly PlaceKind[] = [
  'customer',
  'staff',
  'manager',
  'community',
  'unbound',
  'direct',
];
export const STAFF_PLACES: readonly PlaceKind[] = ['customer', 'staff', 'manager', 'direct'];
