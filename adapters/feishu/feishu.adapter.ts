import * as lark from '@larksuiteoapi/node-sdk';
import type { AdapterHost, OutboundMessage, SentMessage } from '../../src/core/chat';
import type { ChatAdapter } from '../adapter';
import { RecentCache } from '../kit/cache';
import { ChatLanes } from '../kit/lanes';
import { consoleLogger, type Logger } from '../kit/logger';
import type { PacedSender } from '../kit/paced-sender';
import { CardBook } from './feishu.cards';
import type { FeishuConfig } from './feishu.config';
import { tryEphemeral } from './feishu.ephemeral';
import {
  cardActionToInbound,
  type FeishuSelf,
  type Mapped,
  type MappedReceive,
  receiveToInbound,
} from './feishu.mapper';
import { type FeishuPost, renderOutbound } from './feishu.render';
import { checked, requestUuid, sdkLogger } from './feishu.sdk';
import { type FeishuTiming, feishuSender } from './feishu.sender';
import { FeishuWebhook } from './feishu.webhook';

/** Options that are not deployment configuration. */
export interface FeishuAdapterOptions {
  readonly logger?: Logger;
  /** Send pacing; defaults: 200 ms per chat (5 per second), real reset seconds, 3 retries. */
  readonly timing?: Partial<FeishuTiming>;
  /** Clock for the callbacks' timestamp check (ms); `Date.now` by default. */
  readonly now?: () => number;
}

const MINUTE = 60_000;

/** What Feishu answers to a send (`im.v1.message.create`/`reply`). */
interface SendAnswer {
  code?: number;
  msg?: string;
  data?: { message_id?: string; root_id?: string; thread_id?: string };
}

/**
 * GroupDesk on Feishu/Lark through the official SDK: events over its long connection
 * (`ws`) or HTTP callbacks (`http`, checked in feishu.webhook.ts), `im.message.receive_v1`
 * for messages and `card.action.trigger` for button clicks, both dispatched by the SDK's
 * EventDispatcher; sends through the SDK's Client (which fetches and renews the
 * tenant_access_token), queued per chat. Every callback is answered before the desk works
 * on it: Feishu wants an answer within 3 seconds and redelivers otherwise.
 * See adapters/feishu/README.md for the app's set-up.
 */
export class FeishuAdapter implements ChatAdapter {
  readonly platform = 'feishu' as const;
  private readonly log: Logger;
  private readonly client: lark.Client;
  private self: FeishuSelf | undefined;
  private sender: PacedSender | undefined;
  private webhook: FeishuWebhook | undefined;
  private ws: lark.WSClient | undefined;
  private boundPort: number | undefined;
  /** Event ids and message ids seen lately: Feishu redelivers an event it thinks unanswered. */
  private readonly seen = new RecentCache<true>({ max: 20_000, ttlMs: 60 * MINUTE, order: 'insertion' });
  /** Thread root of recent inbound messages and of the bot's own sends. */
  private readonly threads = new RecentCache<string>({
    max: 20_000,
    ttlMs: 24 * 60 * MINUTE,
    order: 'insertion',
  });
  /** The cards the bot sent (the click callback names only the message and chat) and clicks on them. */
  private readonly cards = new CardBook();
  /** The desk's work after the answer, in arrival order per chat. */
  private readonly lanes = new ChatLanes((what, error) =>
    this.log.error(`handling Feishu ${what} failed`, { error: describe(error) }),
  );

  constructor(
    private readonly config: FeishuConfig,
    private readonly options: FeishuAdapterOptions = {},
  ) {
    this.log = options.logger ?? consoleLogger('feishu');
    this.client = new lark.Client({
      appId: config.appId,
      appSecret: config.appSecret,
      domain: config.domain,
      appType: lark.AppType.SelfBuild,
      logger: sdkLogger(this.log),
      // The SDK's debug and trace lines hold request bodies: customers' messages.
      loggerLevel: lark.LoggerLevel.info,
    });
  }

  /** The port the HTTP receiver is bound to (useful with port 0); undefined in ws mode. */
  get port(): number | undefined {
    return this.boundPort;
  }

  async start(host: AdapterHost): Promise<void> {
    if (this.sender !== undefined) throw new Error('Feishu adapter already started');
    this.self = await this.identify(host);
    this.sender = feishuSender(
      { perChatMs: 200, retryUnitMs: 1000, maxRetries: 3, ...this.options.timing },
      this.log,
    );
    const dispatcher = this.dispatcher(this.self, host);
    try {
      if (this.config.mode === 'http') {
        this.webhook = new FeishuWebhook(
          this.config,
          this.config.path,
          (payload) => dispatcher.invoke(payload, { needCheck: false }),
          this.log,
          this.options.now,
        );
        this.boundPort = await this.webhook.listen(this.config.host, this.config.port);
        host.reportHealth({ platform: 'feishu', state: 'up', detail: `listening on port ${this.boundPort}` });
      } else {
        this.ws = this.longConnection(host);
        await this.ws.start({ eventDispatcher: dispatcher });
      }
    } catch (error) {
      await this.stop();
      host.reportHealth({ platform: 'feishu', state: 'error', detail: `start failed: ${describe(error)}` });
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.ws?.close({ force: true });
    this.ws = undefined;
    await this.webhook?.close();
    this.webhook = undefined;
    this.boundPort = undefined;
    await this.lanes.idle();
    this.sender?.stop();
    this.sender = undefined;
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    const sender = this.sender;
    if (sender === undefined) throw new Error('Feishu adapter is not running');
    await this.cards.updateAfter(message, this.client, sender, this.log);
    // For one person in a group: ephemeral cards, else (private answers) a message to them alone.
    const cards = await tryEphemeral(this.client, sender, message, this.log);
    if (cards !== undefined) {
      if ((message.buttons ?? []).length > 0) this.cards.sent(cards.at(-1)!, { chatKind: 'group' });
      return { messageId: cards[0]! };
    }
    const posts = renderOutbound(message);
    // Only the one person should read it: a message to them alone. This reaches people in
    // the app's availability range.
    if (message.visibleTo !== undefined) {
      return this.create(
        sender,
        posts,
        message.visibleTo,
        'open_id',
        'direct',
        false,
        message.idempotencyKey,
      );
    }
    const target = this.replyTarget(message);
    if (target !== undefined) return this.reply(sender, message, posts, target);
    return this.create(
      sender,
      posts,
      message.chatId,
      'chat_id',
      message.chatKind,
      message.startThread === true,
      message.idempotencyKey,
    );
  }

  /**
   * What to answer, and whether in a thread. Into a thread: the ticket's thread, the thread
   * of the message answered, or a new one on it when the desk opens one (a new ticket's
   * acknowledgement: the thread is the ticket). Any other answer quotes the message in the
   * chat's main flow: a thread per staff command would scatter the staff group.
   */
  private replyTarget(message: OutboundMessage): { id: string; inThread: boolean } | undefined {
    if (message.threadId !== undefined) return { id: message.threadId, inThread: true };
    const reply = message.replyToMessageId;
    // A card click is no message: the answer goes to the chat (the click's thread came as threadId).
    if (reply === undefined || reply.startsWith('card:')) return undefined;
    const known = this.threads.get(reply);
    if (known !== undefined) return { id: known, inThread: true };
    return { id: reply, inThread: message.startThread === true && message.chatKind === 'group' };
  }

  private async reply(
    sender: PacedSender,
    message: OutboundMessage,
    posts: FeishuPost[],
    target: { id: string; inThread: boolean },
  ): Promise<SentMessage> {
    let first: SentMessage | undefined;
    let index = 0;
    for (const post of posts) {
      const uuid = requestUuid(message.idempotencyKey, index++);
      const res = (await sender.run(message.chatId, 'im.v1.message.reply', async () =>
        checked(
          await this.client.im.v1.message.reply({
            path: { message_id: target.id },
            data: {
              msg_type: post.msg_type,
              content: post.content,
              reply_in_thread: target.inThread,
              ...(uuid !== undefined ? { uuid } : {}),
            },
          }),
        ),
      )) as SendAnswer;
      const id = res.data?.message_id;
      if (!id) throw new Error('im.v1.message.reply answered without a message_id');
      // A quote-reply has a root as well, but no thread: only a reply in thread is in one.
      const thread = target.inThread ? res.data?.root_id || target.id : undefined;
      if (thread !== undefined) this.threads.set(id, thread);
      const place =
        thread !== undefined
          ? { chatKind: message.chatKind, threadId: thread }
          : { chatKind: message.chatKind };
      if (post.msg_type === 'interactive') this.cards.sent(id, place, post.card);
      first ??= thread !== undefined ? { messageId: id, threadId: thread } : { messageId: id };
    }
    return first!;
  }

  private async create(
    sender: PacedSender,
    posts: FeishuPost[],
    receiveId: string,
    idType: 'chat_id' | 'open_id',
    chatKind: 'group' | 'direct',
    startThread: boolean,
    idempotencyKey: string | undefined,
  ): Promise<SentMessage> {
    let first: SentMessage | undefined;
    let index = 0;
    for (const post of posts) {
      const uuid = requestUuid(idempotencyKey, index++);
      const res = (await sender.run(receiveId, 'im.v1.message.create', async () =>
        checked(
          await this.client.im.v1.message.create({
            params: { receive_id_type: idType },
            data: {
              receive_id: receiveId,
              msg_type: post.msg_type,
              content: post.content,
              ...(uuid !== undefined ? { uuid } : {}),
            },
          }),
        ),
      )) as SendAnswer;
      const id = res.data?.message_id;
      if (!id) throw new Error('im.v1.message.create answered without a message_id');
      if (post.msg_type === 'interactive') this.cards.sent(id, { chatKind }, post.card);
      // A top-level message becomes a thread once replied to in thread: it is the thread's root.
      first ??= startThread ? { messageId: id, threadId: id } : { messageId: id };
    }
    return first!;
  }

  private dispatcher(self: FeishuSelf, host: AdapterHost): lark.EventDispatcher {
    const dispatcher = new lark.EventDispatcher({
      logger: sdkLogger(this.log),
      loggerLevel: lark.LoggerLevel.info,
    });
    dispatcher.register({
      'im.message.receive_v1': async (data: unknown) => {
        this.accept(host, receiveToInbound(data, self));
        return {};
      },
      'card.action.trigger': async (data: unknown) => {
        const mapped = cardActionToInbound(data, (id) => this.cards.placeOf(id));
        if (this.accept(host, mapped) && mapped.ok) this.cards.clicked(mapped.value.message);
        // An empty answer leaves the card as it is; the desk answers with messages.
        return {};
      },
    } as Parameters<lark.EventDispatcher['register']>[0]);
    return dispatcher;
  }

  /** Drops redeliveries (by event id, then message id) and queues the rest per chat; true if queued. */
  private accept(host: AdapterHost, mapped: Mapped<MappedReceive>): boolean {
    if (!mapped.ok) {
      this.log.debug(`Feishu event dropped: ${mapped.reason}`);
      return false;
    }
    const { eventId, message } = mapped.value;
    if (
      !this.seen.firstTime(`event:${eventId}`, true) ||
      !this.seen.firstTime(`message:${message.messageId}`, true)
    ) {
      this.log.debug(`duplicate Feishu event ${eventId} dropped`);
      return false;
    }
    if (message.threadId !== undefined) this.threads.set(message.messageId, message.threadId);
    this.lanes.run(message.chatId, `message ${message.messageId}`, () => host.handle(message));
    return true;
  }

  private longConnection(host: AdapterHost): lark.WSClient {
    const report = (state: 'up' | 'down' | 'error', detail: string) =>
      host.reportHealth({ platform: 'feishu', state, detail });
    return new lark.WSClient({
      appId: this.config.appId,
      appSecret: this.config.appSecret,
      domain: this.config.domain,
      logger: sdkLogger(this.log),
      loggerLevel: lark.LoggerLevel.info,
      onReady: () => report('up', 'long connection open'),
      onReconnecting: () => report('down', 'long connection lost; reconnecting'),
      onReconnected: () => report('up', 'long connection open again'),
      onError: (error) => report('error', `long connection failed: ${error.message}`),
    });
  }

  /** Who the bot is: its open_id tells its own mentions apart (GET /open-apis/bot/v3/info). */
  private async identify(host: AdapterHost): Promise<FeishuSelf> {
    try {
      const res = (await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })) as {
        code?: number;
        msg?: string;
        bot?: { open_id?: string; app_name?: string };
      };
      if (res.code !== 0 || !res.bot?.open_id)
        throw new Error(`bot/v3/info answered ${res.code}: ${res.msg}`);
      return { openId: res.bot.open_id, ...(res.bot.app_name ? { name: res.bot.app_name } : {}) };
    } catch (error) {
      const detail = `bot info failed (check FEISHU_APP_ID, FEISHU_APP_SECRET and that the app has a bot): ${describe(error)}`;
      host.reportHealth({ platform: 'feishu', state: 'error', detail });
      throw new Error(detail, { cause: error });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
