import { randomUUID } from 'node:crypto';
import { TOPIC_ROBOT } from 'dingtalk-stream';
import type { AdapterHost, OutboundMessage, SentMessage } from '../../src/core/chat';
import { PlatformBusyError } from '../../src/core/errors';
import type { ChatAdapter } from '../adapter';
import { RecentCache } from '../kit/cache';
import { ChatLanes } from '../kit/lanes';
import { consoleLogger, errorFields, type Logger } from '../kit/logger';
import { PacedSender } from '../kit/paced-sender';
import { readAnswer } from './dingtalk.answers';
import type { DingtalkConfig } from './dingtalk.config';
import { robotToInbound, type SessionWebhook } from './dingtalk.mapper';
import { type DingtalkPost, renderOutbound } from './dingtalk.render';
import { type DWClientDownStream, StreamClient } from './dingtalk.stream';

export interface DingtalkTiming {
  /** Gap between two sends to one chat; DingTalk allows a robot 20 messages a minute per group. */
  readonly perChatMs: number;
  readonly retryUnitMs: number;
  readonly maxRetries: number;
  /** A session webhook is not used this close to its expiry (ms). */
  readonly webhookMarginMs: number;
}

export interface DingtalkAdapterOptions {
  readonly logger?: Logger;
  readonly timing?: Partial<DingtalkTiming>;
  readonly now?: () => number;
}

const MINUTE = 60_000;

/** DingTalk said "too fast": retry after `seconds` (or, for the webhook, take another route for a while). */
class RateLimited extends Error {
  constructor(
    readonly seconds: number,
    what: string,
    readonly webhookPauseMs?: number,
  ) {
    super(`${what} rate limited`);
  }
}

/** An answer that says the message was not posted (so another route may post it). */
class Refused extends Error {}

/** A wait longer than this (an IP block's minutes) is the outbox's to sit out, not the chat queue's. */
const LONGEST_QUEUED_WAIT_S = 60;

/**
 * GroupDesk on DingTalk through the official `dingtalk-stream` SDK: robot messages arrive
 * over Stream mode (a WebSocket the SDK opens after registering at the gateway, nothing
 * public to host) and each callback is acknowledged at once, before the desk works on it
 * (unacknowledged ones are pushed again). Replies go to the message's session webhook while
 * it is valid, else through the OpenAPI (`robot/groupMessages/send`, one-to-one
 * `robot/oToMessages/batchSend`) with an access token from `oauth2/accessToken`. Sends are
 * queued and paced per chat; "too fast" answers are retried after the wait, then handed
 * to the outbox as PlatformBusyError. See adapters/dingtalk/README.md.
 */
export class DingtalkAdapter implements ChatAdapter {
  readonly platform = 'dingtalk' as const;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly timing: DingtalkTiming;
  private client: StreamClient | undefined;
  private sender: PacedSender | undefined;
  private token: { value: string; expiresAt: number } | undefined;
  private tokenPending: Promise<string> | undefined;
  /** msgIds seen lately: DingTalk pushes a callback again when it missed the acknowledgement. */
  private readonly seen = new RecentCache<true>({ max: 20_000, ttlMs: 60 * MINUTE, order: 'insertion' });
  /** Chats whose session webhook route DingTalk throttled (errcode 130101): until when it is skipped. */
  private readonly webhookPaused = new RecentCache<number>({
    max: 20_000,
    ttlMs: 60 * MINUTE,
    order: 'insertion',
  });
  /** The latest session webhook of each chat. */
  private readonly webhooks = new RecentCache<SessionWebhook>({
    max: 20_000,
    ttlMs: 24 * 60 * MINUTE,
    order: 'insertion',
  });
  /** One-to-one conversations → the person's staff id (the OpenAPI sends to people, not conversations). */
  private readonly directPeople = new RecentCache<string>({
    max: 20_000,
    ttlMs: 7 * 24 * 60 * MINUTE,
    order: 'insertion',
  });
  private readonly lanes = new ChatLanes((what, error) =>
    this.log.error(`handling DingTalk ${what} failed`, errorFields(error)),
  );

  constructor(
    private readonly config: DingtalkConfig,
    options: DingtalkAdapterOptions = {},
  ) {
    this.log = options.logger ?? consoleLogger('dingtalk');
    this.now = options.now ?? Date.now;
    this.timing = {
      perChatMs: 3000,
      retryUnitMs: 1000,
      maxRetries: 3,
      webhookMarginMs: MINUTE,
      ...options.timing,
    };
  }

  async start(host: AdapterHost): Promise<void> {
    if (this.client !== undefined) throw new Error('DingTalk adapter already started');
    this.sender = new PacedSender(
      {
        perKeyMs: this.timing.perChatMs,
        retryUnitMs: this.timing.retryUnitMs,
        maxRetries: this.timing.maxRetries,
      },
      (error) => (error instanceof RateLimited ? error.seconds : undefined),
      this.log,
      'DingTalk sender',
    );
    const client = new StreamClient(
      { clientId: this.config.clientId, clientSecret: this.config.clientSecret },
      this.config.apiBase,
      this.log,
    );
    this.client = client;
    client.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) =>
      this.onRobotMessage(host, frame),
    );
    try {
      await client.open();
      host.reportHealth({ platform: 'dingtalk', state: 'up', detail: 'Stream connection open' });
    } catch (error) {
      await this.stop();
      const detail = `Stream registration failed (check DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET and that the robot uses Stream mode): ${describe(error)}`;
      host.reportHealth({ platform: 'dingtalk', state: 'error', detail });
      throw new Error(detail, { cause: error });
    }
  }

  async stop(): Promise<void> {
    this.client?.disconnect();
    this.client = undefined;
    await this.lanes.idle();
    this.sender?.stop();
    this.sender = undefined;
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    const sender = this.sender;
    if (sender === undefined) throw new Error('DingTalk adapter is not running');
    const posts = renderOutbound(message);
    let first: SentMessage | undefined;
    for (const post of posts) {
      const sent = await sender.run(message.chatId, 'DingTalk send', () => this.deliver(message, post));
      first ??= sent;
    }
    return first!;
  }

  /** One post: the chat's session webhook while valid (not for staff-only answers), else the OpenAPI. */
  private async deliver(message: OutboundMessage, post: DingtalkPost): Promise<SentMessage> {
    if (message.visibleTo !== undefined) return this.openApiDirect(message.visibleTo, post);
    const hook = this.webhooks.get(message.chatId);
    const paused = (this.webhookPaused.get(message.chatId) ?? 0) > this.now();
    if (hook !== undefined && !paused && hook.expiresAt - this.timing.webhookMarginMs > this.now()) {
      try {
        return await this.viaWebhook(hook, post);
      } catch (error) {
        if (error instanceof RateLimited && error.webhookPauseMs !== undefined) {
          // The robot's webhook route is shut for a while: the OpenAPI now, and until then.
          this.webhookPaused.set(message.chatId, this.now() + error.webhookPauseMs);
          this.log.warn(
            `DingTalk session webhook throttled (130101); using the OpenAPI for ${error.webhookPauseMs / MINUTE} minutes`,
          );
        } else if (error instanceof Refused) {
          this.log.info(
            'DingTalk session webhook refused the message; sending through the OpenAPI',
            errorFields(error),
          );
          this.webhooks.set(message.chatId, { ...hook, expiresAt: 0 });
        } else throw error;
      }
    }
    if (message.chatKind === 'direct') {
      const person = this.directPeople.get(message.chatId);
      if (person === undefined)
        throw new Error(`no DingTalk user known for one-to-one chat ${message.chatId}`);
      return this.openApiDirect(person, post);
    }
    return this.openApiGroup(message.chatId, post);
  }

  private async viaWebhook(hook: SessionWebhook, post: DingtalkPost): Promise<SentMessage> {
    const body =
      post.kind === 'text'
        ? {
            msgtype: 'text',
            text: { content: post.content },
            at: { atUserIds: post.atUserIds, isAtAll: false },
          }
        : {
            msgtype: 'actionCard',
            actionCard: {
              title: post.title,
              text: post.text,
              btnOrientation: '0',
              btns: post.buttons.map((b) => ({ title: b.title, actionURL: b.url })),
            },
          };
    await this.call('session webhook', hook.url, body, {}, true);
    // The webhook answers no message id.
    return { messageId: `webhook:${randomUUID()}` };
  }

  private async openApiGroup(chatId: string, post: DingtalkPost): Promise<SentMessage> {
    return this.openApi('/v1.0/robot/groupMessages/send', { openConversationId: chatId }, post);
  }

  private async openApiDirect(userId: string, post: DingtalkPost): Promise<SentMessage> {
    return this.openApi('/v1.0/robot/oToMessages/batchSend', { userIds: [userId] }, post);
  }

  private async openApi(path: string, to: Record<string, unknown>, post: DingtalkPost): Promise<SentMessage> {
    const token = await this.accessToken();
    const answer = (await this.call(
      path,
      `${this.config.apiBase}${path}`,
      { robotCode: this.config.robotCode, ...to, ...templateOf(post) },
      { 'x-acs-dingtalk-access-token': token },
    )) as { processQueryKey?: string };
    if (!answer.processQueryKey) throw new Error(`${path} answered without a processQueryKey`);
    return { messageId: answer.processQueryKey };
  }

  /**
   * POSTs JSON and reads the answer (dingtalk.answers.ts): throws RateLimited for "too fast"
   * (PlatformBusyError at once for a wait of minutes), Refused for an answer that posted nothing.
   */
  private async call(
    what: string,
    url: string,
    body: unknown,
    headers: Record<string, string>,
    errcodeRequired = false,
  ): Promise<Record<string, unknown>> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const answer = readAnswer(res.status, res.headers.get('retry-after'), await res.text(), errcodeRequired);
    switch (answer.kind) {
      case 'ok':
        return answer.body;
      case 'throttled':
        if (answer.seconds > LONGEST_QUEUED_WAIT_S && answer.webhookPauseMs === undefined)
          throw new PlatformBusyError(
            `${what} blocked for ${answer.seconds}s`,
            answer.seconds * this.timing.retryUnitMs,
          );
        throw new RateLimited(answer.seconds, what, answer.webhookPauseMs);
      case 'refused':
        throw new Refused(`${what} ${answer.reason}`);
      case 'failed':
        throw new Error(`${what} ${answer.reason}`);
    }
  }

  /** The app's access token (valid 2 hours), renewed 5 minutes before it ends; one request at a time. */
  private async accessToken(): Promise<string> {
    if (this.token !== undefined && this.token.expiresAt - 5 * MINUTE > this.now()) return this.token.value;
    this.tokenPending ??= (async () => {
      try {
        const res = await fetch(`${this.config.apiBase}/v1.0/oauth2/accessToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appKey: this.config.clientId, appSecret: this.config.clientSecret }),
        });
        const body = (await res.json().catch(() => ({}))) as {
          accessToken?: string;
          expireIn?: number;
          message?: string;
        };
        if (res.status === 429) throw new RateLimited(1, 'oauth2/accessToken');
        if (!res.ok || !body.accessToken)
          throw new Error(`oauth2/accessToken answered ${res.status}: ${body.message ?? 'no accessToken'}`);
        this.token = { value: body.accessToken, expiresAt: this.now() + (body.expireIn ?? 7200) * 1000 };
        return body.accessToken;
      } finally {
        this.tokenPending = undefined;
      }
    })();
    return this.tokenPending;
  }

  /** Acknowledges the callback at once, then drops duplicates and queues the rest per chat. */
  private onRobotMessage(host: AdapterHost, frame: DWClientDownStream): void {
    const frameId = frame.headers?.messageId;
    if (frameId) this.client?.socketCallBackResponse(frameId, {});
    const mapped = robotToInbound(typeof frame.data === 'string' ? frame.data : '');
    if (!mapped.ok) {
      this.log.debug(`DingTalk callback dropped: ${mapped.reason}`);
      return;
    }
    const { message, webhook } = mapped.value;
    if (webhook !== undefined) this.webhooks.set(message.chatId, webhook);
    if (message.chatKind === 'direct') this.directPeople.set(message.chatId, message.sender.id);
    if (!this.seen.firstTime(message.messageId, true)) {
      this.log.debug(`duplicate DingTalk message ${message.messageId} dropped`);
      return;
    }
    this.lanes.run(message.chatId, `message ${message.messageId}`, () => host.handle(message));
  }
}

/** The OpenAPI's message templates (msgKey) and their parameters (msgParam, a JSON string). */
function templateOf(post: DingtalkPost): { msgKey: string; msgParam: string } {
  if (post.kind === 'text')
    return { msgKey: 'sampleText', msgParam: JSON.stringify({ content: post.content }) };
  const n = post.buttons.length;
  if (n <= 1) {
    const b = post.buttons[0];
    return {
      msgKey: 'sampleActionCard',
      msgParam: JSON.stringify({
        title: post.title,
        text: post.text,
        singleTitle: b?.title ?? '',
        singleURL: b?.url ?? '',
      }),
    };
  }
  const param: Record<string, string> = { title: post.title, text: post.text };
  post.buttons.forEach((b, i) => {
    param[`actionTitle${i + 1}`] = b.title;
    param[`actionURL${i + 1}`] = b.url;
  });
  return { msgKey: `sampleActionCard${n}`, msgParam: JSON.stringify(param) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
