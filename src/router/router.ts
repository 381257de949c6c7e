/**
 * The router: drops duplicates, resolves speaker and place, parses a command (or hands a
 * plain message to the conversation rules), runs the checks as middleware — role, place,
 * plan — and then the handler. Replies are sent only after the handler's writes are durable.
 */
import { randomUUID } from 'node:crypto';
import type { CommandRegistry } from '../../commands/registry';
import type {
  CommandContext,
  CommandSpec,
  DeskServices,
  Place,
  ReplyOptions,
  Speaker,
} from '../../commands/types';
import type { KeptMessage } from '../core/backlog';
import type { ChatUser, InboundMessage } from '../core/chat';
import { isCodedError, isStoreUnavailable, UserError } from '../core/errors';
import type { Locale, Params, Translator } from '../core/i18n';
import { readerLocale } from '../core/locale';
import type { Logger } from '../core/logger';
import type { Person } from '../core/model';
import type { Messenger, Outbound } from '../core/ports';
import { cleanName, cleanText } from '../core/sanitise';
import { checkPlace, checkRoleAndPlan } from '../desk/admission';
import type { Formatter } from '../desk/format';
import { isStaff } from '../desk/roles';
import type { Delivery } from '../outbox/sender';
import { parseArgs } from './args';
import { commandContext } from './command-context';
import { adoptSpeaker, resolveContext } from './context';
import { handlePlainMessage } from './conversation';
import { chatOf, OutageKeeper, type OutageOptions } from './outage';
import { replyTo } from './reply';
import { SerialQueue } from './serial';
import type { ChatDoor, Turn } from './turn';

export type { Turn } from './turn';

/** Longest message GroupDesk accepts; a longer one gets a polite refusal and is not stored. */
export const MAX_INPUT_CHARS = 16_000;
const COMMAND = /^[/／]([\p{L}\p{N}_-]+)(?:\s+([\s\S]*))?$/u;
const HELP_WORDS = new Set(['help', 'menu', '帮助', '菜单', '命令']);
const COMMAND_NAME = /^[/／]([\p{L}\p{N}_-]+)(?:\s|$)/u;

export interface RouterDeps {
  readonly desk: DeskServices;
  readonly registry: CommandRegistry;
  readonly translator: Translator;
  /** The deployment's language: for readers (and groups) that chose none. */
  readonly locale: Locale;
  readonly messenger: Messenger;
  readonly logger: Logger;
  /** The retry queue for store outages (bound, backoff, timers, the spool that survives a restart). */
  readonly outage?: OutageOptions;
}

export class Router implements ChatDoor {
  private readonly queue = new SerialQueue();
  private readonly background = new Set<Promise<void>>();
  private readonly outage: OutageKeeper;
  readonly format: Formatter;

  constructor(private readonly deps: RouterDeps) {
    this.format = deps.desk.format;
    this.outage = new OutageKeeper(
      {
        inChat: (chat, task) => this.queue.run(chat, task),
        attempt: (item) => this.attempt(item),
        answerKept: (item, place, kept) => this.answerKept(item, place, kept),
        track: (work) => this.trackWork(work),
        store: deps.desk.store,
        logger: deps.logger,
      },
      deps.outage,
    );
  }

  /** Handles one inbound message; resolves after its replies were handed to the messenger. */
  handle(message: InboundMessage): Promise<void> {
    return this.queue.run(chatOf(message), () => this.process(message));
  }

  /** Resolves when every message received so far has been handled (or kept for a retry). */
  async idle(): Promise<void> {
    do {
      await this.queue.idle();
      await Promise.all([...this.background]);
      await this.deps.desk.outbox.idle();
    } while (this.background.size > 0);
  }

  /** Messages kept in memory during a store outage, waiting for a retry. */
  get kept(): number {
    return this.outage.size;
  }

  /** Puts back the messages spooled during an outage before a restart; before the adapters start. See OutageKeeper.resume. */
  resumeKept(): number {
    return this.outage.resume();
  }

  /** Retries the kept messages at once: after resumeKept(), once the adapters can deliver replies. */
  retryKept(): void {
    this.outage.retrySoon();
    // The adapters can deliver now: what the outbox kept before a restart goes out.
    this.deps.desk.outbox.start();
  }

  /** Stops the outage retry timer (messages still kept stay in the spool, or are logged as lost). */
  stop(): void {
    this.outage.stop();
    this.deps.desk.outbox.stop();
  }

  private async process(raw: InboundMessage): Promise<void> {
    const key = `${raw.platform}:${raw.account ?? ''}:${raw.chatId}:${raw.messageId}`;
    if (!raw.messageId || !raw.chatId || !raw.sender?.id) {
      this.deps.logger.warn('dropped a malformed inbound message', { platform: raw.platform });
      return;
    }
    if (this.outage.holds(key)) return; // a redelivery of a message kept for a retry
    const item: KeptMessage = { message: sanitise(raw), key, claimed: false };
    const chat = chatOf(raw);
    if (await this.outage.admit(chat, item)) return;
    const failed = await this.attempt(item);
    if (failed) await this.outage.keep(chat, item, failed.place);
  }

  /**
   * Handles one message and delivers its replies. When the store is unreachable nothing is
   * delivered (what the handler did so far is redone on the retry) and the place is returned.
   *
   * One unit of work (Store.unitOfWork) for a customer's words (a new ticket, a follow-up): the
   * inbound key, what the handler changed and the outbox rows of its acknowledgement and
   * announcements commit together, or — when the handler fails — none of them does. Only then
   * is anything sent. A command runs outside a unit: a unit holds the store's SAVEPOINT until it
   * ends, and commands may wait on the outside world (a tracker for /issue and /link, a
   * platform), which must never hold up every other group's messages.
   */
  private async attempt(item: KeptMessage): Promise<{ place?: Place } | undefined> {
    const { store, clock, outbox } = this.deps.desk;
    const { message, key } = item;
    let turn: Turn | undefined;
    let stored: { replies: Outbound[]; announcements: Outbound[] } | undefined;
    let claimedHere = false;
    const inUnit = !COMMAND.test(message.text);
    const run = <T>(work: () => Promise<T>): Promise<T> => (inUnit ? store.unitOfWork(work) : work());
    try {
      stored = await run(async () => {
        if (!item.claimed) {
          if (!(await store.claimInbound(key, clock.now()))) return undefined; // a redelivery: handled already
          item.claimed = true;
          claimedHere = true;
        }
        const { speaker, place } = await resolveContext(store, message);
        const current: Turn = {
          message,
          speaker,
          place,
          locale: this.readerOf(speaker, place),
          replies: [],
          after: [],
        };
        turn = current;
        try {
          await this.dispatch(current);
        } catch (error) {
          // A refusal is an answer: what was done before it stays, with the refusal.
          if (!(error instanceof UserError)) throw error;
          this.refuse(current, error);
        }
        const replies = await outbox.enqueue(current.replies);
        const announcements = await outbox.holding(() => this.runAll(current.after.splice(0)));
        return { replies, announcements };
      });
      if (stored === undefined) return undefined;
    } catch (error) {
      // A failed unit took its claim of the inbound key with it (where units are atomic).
      if (claimedHere && store.atomicUnits && inUnit) item.claimed = false;
      if (isStoreUnavailable(error)) {
        this.deps.logger.warn('store unavailable', { key, error: String(error) });
        return turn === undefined ? {} : { place: turn.place };
      }
      // Nothing of the failed unit was stored: nor are its replies sent.
      turn = {
        message,
        speaker: turn?.speaker ?? { role: 'unknown' },
        place: turn?.place ?? { kind: 'unbound' },
        locale: turn?.locale ?? this.deps.locale,
        replies: [],
        after: [],
      };
      await this.fail(turn, key, error);
      await this.deliver(turn);
      return undefined;
    }
    if (turn !== undefined) await this.deliverStored(stored.replies, stored.announcements);
    return undefined;
  }

  /** Delivers a committed unit's rows: the replies first (awaited), then the announcements in the background. */
  private async deliverStored(
    replies: readonly Outbound[],
    announcements: readonly Outbound[],
  ): Promise<void> {
    const { outbox } = this.deps.desk;
    // Announcements go to other chats: they must not hold up the next message in this one
    // (a rate-limited staff room would otherwise delay every customer's acknowledgement).
    if (replies.length > 0) this.logUndelivered(replies, await outbox.deliver(replies));
    if (announcements.length > 0) this.trackWork(outbox.deliver(announcements).then(() => undefined));
  }

  private logUndelivered(rows: readonly Outbound[], results: readonly Delivery[]): void {
    results.forEach((r, i) => {
      if (r.state === 'sent' || r.state === 'held') return;
      const reply = rows[i]!.message;
      this.deps.logger.warn('reply not delivered yet; the outbox keeps it', {
        platform: reply.platform,
        chatId: reply.chatId,
        error: r.error ?? 'waiting behind an earlier message',
      });
    });
  }

  /** Follow-up work in order, each failure logged (it never undoes the message's change). */
  private async runAll(tasks: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
    for (const task of tasks) {
      await task().catch((error: unknown) =>
        this.deps.logger.warn('follow-up work failed', { error: String(error) }),
      );
    }
  }

  /** "Kept" once per message, or — past the retry queue's bound — honestly "not kept". */
  private async answerKept(item: KeptMessage, place: Place | undefined, kept: boolean): Promise<void> {
    // The store is unreachable, so the speaker's own choice is unknown: the group's language.
    const where = place ?? { kind: 'unbound' };
    const turn: Turn = {
      message: item.message,
      speaker: { role: 'unknown' },
      place: where,
      locale: this.readerOf({ role: 'unknown' }, where),
      replies: [],
      after: [],
    };
    if (!this.answers(turn)) return;
    const only = { private: item.message.interaction === true };
    this.reply(
      turn,
      this.t(turn.locale, kept ? 'error.store_unavailable' : 'error.store_unavailable_not_kept'),
      only,
    );
    // The store is away: the outbox cannot keep this answer, so it goes straight out, once.
    await this.sendDirectly(turn);
  }

  /**
   * Puts a turn's replies in the outbox, in order, and delivers them at once where their chat
   * is free (resolving after the first attempt), then schedules its follow-up work. For turns
   * outside a unit of work (an internal failure's answer). When the store is unreachable,
   * the replies go straight to the messenger, once, as before the outbox.
   */
  private async deliver(turn: Turn): Promise<void> {
    if (turn.replies.length > 0) {
      try {
        const rows = await this.deps.desk.outbox.enqueue(turn.replies);
        this.logUndelivered(rows, await this.deps.desk.outbox.deliver(rows));
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        await this.sendDirectly(turn);
      }
    }
    if (turn.after.length) this.track(turn.after);
  }

  private async sendDirectly(turn: Turn): Promise<void> {
    for (const { message: reply } of turn.replies) {
      try {
        await this.deps.messenger.send(reply);
      } catch (error) {
        this.deps.logger.warn('reply not delivered', {
          platform: reply.platform,
          chatId: reply.chatId,
          error: String(error),
        });
      }
    }
  }

  private track(tasks: ReadonlyArray<() => Promise<unknown>>): void {
    this.trackWork(this.runAll(tasks));
  }

  /** Background work that idle() waits for; its failure is logged, never unhandled. */
  private trackWork(work: Promise<void>): void {
    const run = work.catch((error: unknown) =>
      this.deps.logger.error('background work failed', { error: String(error) }),
    );
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }

  private async dispatch(turn: Turn): Promise<void> {
    const { text } = turn.message;
    if (turn.place.kind === 'unbound' && !this.isBind(text)) {
      // An unbound group is someone else's chat until a manager binds it (the bot may have been
      // added to any WeChat or QQ group): it answers /bind, and points to /bind when addressed.
      if (turn.message.addressed) this.reply(turn, this.t(turn.locale, 'group.unbound'));
      return;
    }
    if (text.length > MAX_INPUT_CHARS) {
      if (turn.message.addressed || COMMAND.test(text.slice(0, 64)) || turn.place.kind === 'customer') {
        const only = { private: staffInCustomerGroup(turn), refused: true };
        this.reply(turn, this.t(turn.locale, 'input.too_long', { max: MAX_INPUT_CHARS }), only);
      }
      return;
    }
    // "@bot help" / "@bot 帮助" without the slash is the same question as /help.
    const asked = turn.message.addressed && HELP_WORDS.has(text.trim().toLowerCase()) ? '/help' : text;
    const match = COMMAND.exec(asked);
    if (!match) return handlePlainMessage(this, turn);
    const spec = this.deps.registry.find(match[1]!);
    if (!spec) {
      const only = { private: staffInCustomerGroup(turn), refused: true };
      this.reply(turn, this.t(turn.locale, 'cmd.unknown', { command: match[1]! }), only);
      return;
    }
    await this.runCommand(turn, spec, match[2] ?? '', match[1]!);
  }

  /** `typed`: the command word as the speaker typed it; replies name it so. */
  private async runCommand(turn: Turn, spec: CommandSpec, rest: string, typed: string): Promise<void> {
    const { desk } = this.deps;
    checkPlace(desk, spec, turn.place, turn.locale, typed);
    if (turn.speaker.role === 'unknown' && spec.audience.includes('subscriber')) {
      this.adopt(turn, await adoptSpeaker(desk.directory, turn.message, turn.place, turn.speaker));
      // Still unknown in a customer group: a subscriber of another customer, not a stranger.
      if (turn.speaker.role === 'unknown' && turn.place.kind === 'customer' && turn.place.customerId)
        throw new UserError('customer.foreign_command', { command: typed });
    }
    await checkRoleAndPlan(desk, spec, turn.speaker.role, turn.place, turn.locale, typed);
    const rawArgs = parseArgs(spec.params, rest, turn.message.mentions, this.deps.translator);
    const { _extra: extra, ...args } = rawArgs;
    const parsed = spec.schema.safeParse(args);
    if (!parsed.success || extra !== undefined) {
      throw new UserError('cmd.bad_args', {
        usage: this.t(turn.locale, `cmd.${spec.name}.usage`),
        command: typed,
      });
    }
    await spec.run(this.context(turn, typed), parsed.data);
  }

  context(turn: Turn, command = ''): CommandContext {
    return commandContext(this, turn, command);
  }

  get translator(): Translator {
    return this.deps.translator;
  }

  /** Text in `locale`: the turn's (`turn.locale`) for the speaker, another audience's for anyone else. */
  t(locale: Locale, key: string, params?: Params): string {
    return this.deps.translator.t(locale, key, params);
  }

  /** The language a speaker reads here: their own, else the group's, else the deployment's. */
  readerOf(speaker: Speaker, place: Place): Locale {
    return readerLocale(this.deps.locale, speaker.person, place.group);
  }

  /** Sets the turn's speaker (an unknown speaker just registered) and their language with it. */
  adopt(turn: Turn, speaker: Speaker): void {
    turn.speaker = speaker;
    turn.locale = this.readerOf(speaker, turn.place);
  }

  get desk(): DeskServices {
    return this.deps.desk;
  }

  /** The deployment's language (`GROUPDESK_LOCALE`). */
  get defaultLocale(): Locale {
    return this.deps.locale;
  }

  reply(turn: Turn, text: string, asked: ReplyOptions = {}): void {
    const { message, after } = replyTo(turn.message, turn.place, text, asked);
    turn.replies.push({ message, ...(after ? { after } : {}) });
  }

  /**
   * A refusal is for the caller alone where the platform can say so privately (interactions),
   * and always for staff in a customer's group: "already claimed by someone else" or a
   * mistyped /reply is the engineer's business, not the customer's.
   */
  private refuse(turn: Turn, error: UserError): void {
    this.reply(turn, this.t(turn.locale, error.key, error.params), this.privately(turn));
  }

  private privately(turn: Turn): ReplyOptions {
    return { private: turn.message.interaction === true || staffInCustomerGroup(turn), refused: true };
  }

  private async fail(turn: Turn, key: string, error: unknown): Promise<void> {
    if (error instanceof UserError) {
      this.refuse(turn, error);
      return;
    }
    // Let a redelivery (or the next attempt) handle the message again.
    await this.deps.desk.store.releaseInbound(key).catch(() => undefined);
    const answer = this.answers(turn);
    const ref = randomUUID().slice(0, 8);
    this.deps.logger.error('message handling failed', {
      ref,
      code: isCodedError(error) ? error.code : 'unknown',
      stack: error instanceof Error ? error.stack : String(error),
    });
    if (answer) this.reply(turn, this.t(turn.locale, 'error.internal', { ref }), this.privately(turn));
  }

  /**
   * Whether a failure is answered. Unbound (or not yet known, when the store failed first):
   * chatter that did not address the bot gets no answer, so that an outage does not make
   * the bot talk in every group.
   */
  private answers(turn: Turn): boolean {
    return turn.place.kind !== 'unbound' || turn.message.addressed || this.isBind(turn.message.text);
  }

  /** `/bind …` (or an alias): the one command an unbound group may use. */
  private isBind(text: string): boolean {
    const name = COMMAND_NAME.exec(text)?.[1];
    return name !== undefined && this.deps.registry.find(name)?.name === 'bind';
  }
}

/** Staff speaking in a customer's group: what the bot answers only them is theirs alone. */
function staffInCustomerGroup(turn: Turn): boolean {
  return turn.place.kind === 'customer' && turn.message.chatKind === 'group' && isStaff(turn.speaker.role);
}

/**
 * Everything a platform sends that another person may read, through the core's one
 * sanitiser (src/core/sanitise.ts): the text on its lines, names and the chat title on one.
 */
function sanitise(message: InboundMessage): InboundMessage {
  const text = cleanText(String(message.text ?? '')).trim();
  const mentions = Array.isArray(message.mentions) ? message.mentions.map(cleanUser) : [];
  const { chatTitle, quotedText } = message;
  return {
    ...message,
    text,
    sender: cleanUser(message.sender),
    mentions,
    ...(typeof chatTitle === 'string' ? { chatTitle: cleanName(chatTitle) } : {}),
    ...(typeof quotedText === 'string' ? { quotedText: cleanText(quotedText) } : {}),
  };
}

function cleanUser(user: ChatUser): ChatUser {
  if (typeof user.name !== 'string') return user;
  const name = cleanName(user.name);
  // A name of nothing but invisible characters is no name: the id stands in, as for none.
  return name ? { ...user, name } : { id: user.id };
}

export type { Person };
