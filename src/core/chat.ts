/**
 * The normalised chat vocabulary shared by every adapter and the router.
 * Adapters translate platform payloads to and from these shapes; nothing past the
 * adapter ever sees a platform type.
 */
import type { Locale } from './i18n';

export const PLATFORMS = ['console', 'slack', 'discord', 'wechat', 'qq', 'feishu', 'dingtalk'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** `group` = a multi-person channel/room/group chat; `direct` = a one-to-one conversation with the bot. */
export type ChatKind = 'group' | 'direct';

export interface ChatUser {
  /** Platform user id, stable across display-name changes. */
  readonly id: string;
  /** Best display name the platform offers (group card, nickname, display name …). */
  readonly name?: string;
}

/** One message as received from a platform, already normalised by its adapter. */
export interface InboundMessage {
  readonly platform: Platform;
  /**
   * Which bot account received it, for platforms where several accounts can connect
   * (QQ `self_id`). Part of the de-duplication key. Empty string when not applicable.
   */
  readonly account?: string;
  readonly chatId: string;
  readonly chatKind: ChatKind;
  /** Thread/topic the message belongs to (Slack thread_ts, Discord thread channel id). */
  readonly threadId?: string;
  /** Platform message id; with `platform` and `account` the de-duplication key. */
  readonly messageId: string;
  readonly sender: ChatUser;
  /** Plain text with platform markup removed; mentions appear as `@name`. */
  readonly text: string;
  /** Users mentioned in the message, the bot excluded. */
  readonly mentions: readonly ChatUser[];
  /** True when the message mentions or otherwise directly addresses the bot. */
  readonly addressed: boolean;
  /** Id of the message this one quotes/replies to, when the platform says so. */
  readonly quotedMessageId?: string;
  /**
   * Text of the message this one quotes, where the platform gives the quote only as text
   * (WeChat): the router looks for the `#N` the bot's own messages carry.
   */
  readonly quotedText?: string;
  /** Display title of the chat (room topic, channel name), used when binding by name. */
  readonly chatTitle?: string;
  /** When the platform says it was sent (ms since epoch); the router uses its own clock for SLA. */
  readonly sentAt?: number;
  /**
   * True for a native slash command or button press (a Discord or Slack interaction).
   * The platform gives its caller a private answer, so refusals — and answers outside a
   * customer group — go there (`visibleTo`) instead of into the room.
   */
  readonly interaction?: boolean;
}

/** A button that runs a GroupDesk command when pressed; adapters without buttons render the command as text. */
export interface OutboundButton {
  readonly label: string;
  /** The text command the button stands for, e.g. `/claim #1024`. */
  readonly command: string;
}

/** A structured summary (a ticket card) that platforms with rich messages show instead of the text. */
export interface OutboundCard {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly { readonly name: string; readonly value: string }[];
  readonly footer?: string;
}

/** One message the bot wants to send. Text is plain: adapters escape it for their markup. */
export interface OutboundMessage {
  readonly platform: Platform;
  readonly account?: string;
  readonly chatId: string;
  readonly chatKind: ChatKind;
  readonly threadId?: string;
  readonly text: string;
  /** Users to @mention; adapters render them in front of the text in their own syntax. */
  readonly mentions?: readonly ChatUser[];
  readonly buttons?: readonly OutboundButton[];
  /** The same content as a card (Discord embeds); `text` stays complete for platforms without cards. */
  readonly card?: OutboundCard;
  /** Message id this answers, for platforms that can quote/reply. */
  readonly replyToMessageId?: string;
  /**
   * Open a thread on the replied-to message for this reply where the platform has threads
   * (Discord: a thread on the message; Slack: the message's thread). The thread id comes
   * back in `SentMessage.threadId` and becomes the ticket's thread.
   */
  readonly startThread?: boolean;
  /**
   * When set, only this user should see the message (Slack ephemeral, Discord ephemeral
   * interaction reply). Adapters that cannot do that send it as a direct message.
   */
  readonly visibleTo?: string;
  /**
   * A refusal (a check said no, a mistyped command, an internal error), not an answer: it
   * is meant for the one person who asked. Adapters that can show a message to one person
   * inside the chat (Feishu's ephemeral cards) may do so even when `visibleTo` is unset.
   */
  readonly refused?: boolean;
  /**
   * The same on every retry of this message (the outbox row's id): platforms with an
   * idempotency aid get it (Discord `nonce` with `enforce_nonce`), so a retry after an
   * acceptance whose answer was lost does not post twice.
   */
  readonly idempotencyKey?: string;
}

/** What an adapter reports after sending, so that threads can be tied to tickets. */
export interface SentMessage {
  readonly messageId: string;
  /** The thread that now exists for this message (e.g. the Discord thread created on it). */
  readonly threadId?: string;
}

/** One parameter of a command, as native slash-command UIs (Discord, Slack hints) need it. */
export interface CommandParamInfo {
  readonly name: string;
  /** `ticket` = a ticket number (`#1024` or `1024`); `text` = the rest of the line; `user` = a mention. */
  readonly kind: 'ticket' | 'text' | 'word' | 'user' | 'number' | 'choice';
  readonly required: boolean;
  readonly choices?: readonly string[];
  readonly description: string;
  /** `description` in each supported locale. */
  readonly localized?: Readonly<Partial<Record<Locale, string>>>;
}

/** A command as shown to platforms that register native commands. */
export interface CommandInfo {
  readonly name: string;
  /** Other words that run it (every locale's aliases), e.g. `认领` for `claim`. */
  readonly aliases?: readonly string[];
  readonly description: string;
  /** `description` in each supported locale. */
  readonly localized?: Readonly<Partial<Record<Locale, string>>>;
  readonly params: readonly CommandParamInfo[];
}

export interface TicketSuggestion {
  readonly number: number;
  /** Short label such as `#1024 Build fails on Node 20`. */
  readonly label: string;
}

export interface HealthEvent {
  readonly platform: Platform;
  readonly state: 'up' | 'down' | 'logged_out' | 'login_required' | 'error';
  /** Human-readable detail for logs and for the managers' alert. */
  readonly detail: string;
}

export interface MembershipChange {
  readonly platform: Platform;
  readonly chatId: string;
  readonly user: ChatUser;
  readonly change: 'joined' | 'left';
}

/**
 * What the rest of GroupDesk offers an adapter. Replies to an inbound message come back
 * through `ChatAdapter.send` with `replyToMessageId` set to that message's id (and
 * `visibleTo` set to the sender when only the caller should see them).
 */
export interface AdapterHost {
  /** Handles one inbound message; resolves when every reply to it has been handed to `send`. */
  handle(message: InboundMessage): Promise<void>;
  /** Commands to register natively, in the deployment's locale. */
  commands(): readonly CommandInfo[];
  /** Ticket numbers the given user may see from the given chat, for autocomplete. Never another customer's. */
  suggestTickets(query: {
    readonly platform: Platform;
    readonly chatId: string;
    readonly userId: string;
    readonly prefix: string;
  }): Promise<readonly TicketSuggestion[]>;
  /** Connection/login state changes (logged; logouts alert managers elsewhere). */
  reportHealth(event: HealthEvent): void;
  /** Someone joined or left a chat (used for optional membership sync). */
  membershipChanged(change: MembershipChange): Promise<void>;
}
