import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import type { Contact, Message, Room, Wechaty } from 'wechaty';
import { qrcodeValueToImageUrl, ScanStatus, WechatyBuilder } from 'wechaty';
import type {
  AdapterHost,
  ChatUser,
  HealthEvent,
  InboundMessage,
  MembershipChange,
  OutboundMessage,
  SentMessage,
} from '../../src/core/chat';
import type { ChatAdapter } from '../adapter';
import { RecentCache } from '../kit/cache';
import { consoleLogger, errorFields, type Logger } from '../kit/logger';
import { RateLimiter } from '../rate-limit';
import { splitText } from '../text';
import type { WechatConfig } from './wechat.config';
import { toInbound } from './wechat.mapper';
import { type Quote, QuotedTexts } from './wechat.quote';
import { contactTarget, roomTarget, withButtons } from './wechat.targets';

/** A Wechaty puppet instance (tests inject `wechaty-puppet-mock`). */
export type WechatyPuppet = Wechaty['puppet'];

export interface WechatAdapterOptions {
  /** GroupDesk's data dir; the Wechaty session file lives there as `<WECHATY_NAME>.memory-card.json`. */
  readonly dataDir: string;
  /** A ready-made puppet instead of the configured package (tests pass `wechaty-puppet-mock`). */
  readonly puppet?: WechatyPuppet;
  /** Where the adapter writes its log lines (English, for operators). */
  readonly logger?: Logger;
  /** Where the login QR code is drawn; the terminal's stderr by default. */
  readonly qrOutput?: { write(text: string): unknown };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * GroupDesk in WeChat through Wechaty: the bot is a member account of each customer's room.
 * Rooms are `group` chats, one-to-one chats are `direct`. Every send goes through a per-chat
 * and global rate limiter because WeChat bans accounts that send in bursts.
 * See https://wechaty.js.org/docs/api/wechaty
 */
export class WechatAdapter implements ChatAdapter {
  readonly platform = 'wechat' as const;
  private readonly log: Logger;
  private readonly seen = new RecentCache<true>({ max: 2000 });
  /** Recent room messages by text, for quotes (wechat.quote.ts). */
  private readonly quoted = new QuotedTexts(5000);
  /** Per-chat chains: Wechaty lookups are async, and messages of one chat must reach the router in order. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Per-chat order of outbound messages while their room/contact is being looked up. */
  private readonly sendOrder = new Map<string, Promise<unknown>>();
  private bot: Wechaty | undefined;
  private host: AdapterHost | undefined;
  private limiter: RateLimiter | undefined;
  private stopping = false;

  constructor(
    private readonly config: WechatConfig,
    private readonly options: WechatAdapterOptions,
  ) {
    this.log = options.logger ?? consoleLogger('wechat');
  }

  /** Starts the puppet. Resolves once it runs — logging in (QR scan) may come later, reported as health. */
  async start(host: AdapterHost): Promise<void> {
    if (this.bot) throw new Error('WeChat adapter already started');
    this.host = host;
    this.stopping = false;
    await mkdir(this.options.dataDir, { recursive: true });
    // An absolute name puts Wechaty's memory card (the login session) in the data dir, not the cwd.
    const name = path.resolve(this.options.dataDir, this.config.name);
    const bot = this.options.puppet
      ? WechatyBuilder.build({ name, puppet: this.options.puppet })
      : WechatyBuilder.build({
          name,
          puppet: this.config.puppet,
          puppetOptions: { ...this.config.puppetOptions },
        });
    this.limiter = new RateLimiter({
      perKeyMs: this.config.sendIntervalMs,
      globalMs: this.config.globalSendIntervalMs,
      // From the end of a send: a send the puppet is slow to deliver must not be followed at
      // once by the next, and the account never has two sends in flight.
      spacing: 'end',
    });
    this.listen(bot);
    this.bot = bot;
    try {
      await bot.start();
    } catch (err) {
      await this.stop();
      throw new Error(`WeChat puppet ${this.config.puppet} failed to start: ${errorText(err)}`, {
        cause: err,
      });
    }
    this.log.info('started', { puppet: this.options.puppet ? 'injected' : this.config.puppet });
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    const bot = this.bot;
    const limiter = this.limiter;
    if (!bot || !limiter || this.stopping) throw new Error('WeChat adapter is not running');
    if (message.platform !== 'wechat') throw new Error(`not a WeChat message: ${message.platform}`);
    // WeChat has no ephemeral messages: "only you" answers go to the person directly, never to the room.
    const direct = message.visibleTo !== undefined || message.chatKind === 'direct';
    const chatId = message.visibleTo ?? message.chatId;
    const mentions = direct ? [] : (message.mentions ?? []);
    // room.say() puts "@name " in front of the first part: keep room for it.
    const prefix = mentions.reduce((n, m) => n + (m.name ?? m.id).length + 2, 0);
    const max = Math.max(this.config.maxText - prefix, Math.floor(this.config.maxText / 2));
    const chunks = splitText(withButtons(message), max);
    // Resolve the room/contact now, but queue the parts only once it is known, so that the
    // limiter spaces the actual puppet calls; the order chain keeps concurrent sends to one
    // chat in call order and their parts together.
    const target = direct ? contactTarget(bot, chatId) : roomTarget(bot, chatId, mentions);
    target.catch(() => undefined); // awaited below, maybe after it settles: not an unhandled rejection
    const queued = (this.sendOrder.get(chatId) ?? Promise.resolve()).then(async () => {
      const resolved = await target;
      let failed = false;
      return chunks.map((chunk, i) =>
        limiter.run(chatId, async () => {
          if (failed) throw new Error('an earlier part of this message failed');
          try {
            return await resolved.say(chunk, i === 0);
          } catch (err) {
            failed = true;
            throw err;
          }
        }),
      );
    });
    const tail = queued.catch(() => undefined);
    this.sendOrder.set(chatId, tail);
    void tail.then(() => {
      if (this.sendOrder.get(chatId) === tail) this.sendOrder.delete(chatId);
    });
    const parts = await queued;
    const [first] = await Promise.all(parts);
    // Some puppets (the mock among them) do not return the id of a sent message. The id only
    // ties a sent message to a ticket for quotes, so a local one is an honest "unknown".
    return { messageId: first ?? `wechat-local-${randomUUID()}` };
  }

  /** Stops the puppet and the send queue; queued sends reject. Nothing of the adapter keeps running. */
  async stop(): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    this.stopping = true;
    this.limiter?.stop();
    try {
      await bot.stop(); // the puppet emits `logout` while stopping: ignored because `stopping` is set
    } catch (err) {
      this.log.warn('stopping Wechaty failed', errorFields(err));
    }
    await Promise.allSettled([...this.chains.values()]);
    this.bot = undefined;
    this.limiter = undefined;
  }

  private listen(bot: Wechaty): void {
    bot.on('scan', (qrcode: string, status: ScanStatus) => this.onScan(qrcode, status));
    bot.on('login', (user: Contact) => {
      this.log.info('logged in', { user: user.name(), id: user.id });
      this.health('up', `logged in as ${user.name()}`);
    });
    bot.on('logout', (user: Contact, reason?: string) => {
      if (this.stopping) return;
      this.log.warn('logged out', { user: user.name(), reason });
      this.health('logged_out', `WeChat account ${user.name()} logged out${reason ? `: ${reason}` : ''}`);
    });
    bot.on('error', (err: Error) => {
      this.log.error('Wechaty error', errorFields(err));
      if (!this.stopping) this.health('error', errorText(err));
    });
    bot.on('message', (msg: Message) => this.onMessage(msg));
    bot.on('room-join', (room: Room, invitees: Contact[]) => this.onMembership(room, invitees, 'joined'));
    bot.on('room-leave', (room: Room, leavers: Contact[]) => this.onMembership(room, leavers, 'left'));
  }

  private onScan(qrcode: string, status: ScanStatus): void {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
      this.log.info('login QR code status', { status: ScanStatus[status] });
      return;
    }
    const imageUrl = qrcodeValueToImageUrl(qrcode);
    const out = this.options.qrOutput ?? process.stderr;
    qrcodeTerminal.generate(qrcode, { small: true }, (art) => out.write(`${art}\n`));
    this.log.info('scan the QR code with the WeChat account to log in', { qrcode, imageUrl });
    this.health('login_required', `scan the QR code to log in: ${imageUrl}`);
  }

  private onMessage(msg: Message): void {
    if (this.stopping) return;
    try {
      if (msg.self()) return; // our own sends echo back as messages
      if (!this.seen.firstTime(msg.id, true)) {
        this.log.debug('duplicate message dropped', { messageId: msg.id });
        return;
      }
      this.serialise(msg.room()?.id ?? msg.talker().id, () => this.deliver(msg));
    } catch (err) {
      this.log.error('could not read a WeChat message', { messageId: msg.id, ...errorFields(err) });
    }
  }

  private async deliver(msg: Message): Promise<void> {
    const bot = this.bot;
    const host = this.host;
    if (!bot || !host || this.stopping) return;
    const result = await toInbound(msg, bot.currentUser);
    if (result.kind === 'drop') {
      this.log.debug('message dropped', { messageId: msg.id, reason: result.reason });
      return;
    }
    await host.handle(this.linkQuote(result.message, result.quote, result.shown));
  }

  /**
   * Names the message a quote quotes, when it is a recent message of the same room (a
   * customer's question an engineer answers under a quote), and remembers this one.
   */
  private linkQuote(message: InboundMessage, quote: Quote | undefined, shown: string): InboundMessage {
    const quotedId = quote ? this.quoted.find(message.chatId, quote.text) : undefined;
    this.quoted.remember(message.chatId, shown, message.messageId);
    return quotedId === undefined ? message : { ...message, quotedMessageId: quotedId };
  }

  private onMembership(room: Room, people: readonly Contact[], change: MembershipChange['change']): void {
    const bot = this.bot;
    const host = this.host;
    if (!bot || !host || this.stopping) return;
    const selfId = bot.isLoggedIn ? bot.currentUser.id : undefined;
    if (people.some((p) => p.id === selfId)) this.log.warn(`the bot ${change} a room`, { room: room.id });
    if (!this.config.syncMembers) {
      this.log.debug('membership change ignored (WECHAT_SYNC_MEMBERS is off)', { room: room.id, change });
      return;
    }
    this.serialise(room.id, async () => {
      for (const person of people) {
        if (person.id === selfId) continue; // the router must never make the bot a subscriber
        const name = person.name();
        const user: ChatUser = name ? { id: person.id, name } : { id: person.id };
        await host.membershipChanged({ platform: 'wechat', chatId: room.id, user, change });
      }
    });
  }

  /** Runs `work` after the earlier work of the same chat; a failure is logged, never thrown. */
  private serialise(key: string, work: () => Promise<void>): void {
    const next = (this.chains.get(key) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      this.log.error('handling a WeChat event failed', { chat: key, ...errorFields(err) });
    });
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private health(state: HealthEvent['state'], detail: string): void {
    this.host?.reportHealth({ platform: 'wechat', state, detail });
  }
}
