import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { AdapterHost, InboundMessage, OutboundMessage, SentMessage } from '../../src/core/chat';
import type { ChatAdapter } from '../adapter';
import { RecentCache } from '../kit/cache';
import { consoleLogger, type Logger } from '../kit/logger';
import { RateLimiter } from '../rate-limit';
import { OneBotActionError, OneBotClosedError, OneBotConnection } from './onebot.connection';
import { type Backoff, defaultBackoff, OneBotForwardDialer, redactUrl } from './onebot.forward';
import { OneBotReverseServer } from './onebot.reverse';
import { QqAccounts } from './qq.accounts';
import type { QqConfig } from './qq.config';
import { FirstAccount } from './qq.dedupe';
import { mapEvent } from './qq.mapper';
import { planSend } from './qq.outbound';

/** Test and deployment hooks beyond the environment keys. */
export interface QqAdapterOptions {
  readonly log?: Logger;
  /** Forward-mode reconnection delays (default: 1 s doubling to 30 s, with jitter). */
  readonly backoff?: Backoff;
  /** WebSocket ping interval for dead-peer detection (default 30 s; 0 disables). */
  readonly pingIntervalMs?: number;
  /** Pauses before retrying a failed send; its length is the number of retries (default [500, 2000]). */
  readonly retryDelaysMs?: readonly number[];
  /** Longest text per QQ message before splitting (default 1,500 characters). */
  readonly maxChunkLength?: number;
  /** How many (account, message id) pairs to remember for de-duplication (default 10,000). */
  readonly dedupeCapacity?: number;
}

const loginInfoSchema = z.object({
  user_id: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String),
  nickname: z.string().optional(),
});
const sentSchema = z.object({ message_id: z.union([z.number(), z.string()]).transform(String) });

const MAX_PAYLOAD = 16 * 1024 * 1024;
/** Recent (account, message id) pairs and group-message copies remembered for de-duplication. */
const DEDUPE_CAPACITY = 10_000;

/**
 * QQ through OneBot v11 (NapCat, LLBot …) over a reverse or forward WebSocket.
 * Inbound: group and private messages (both post formats), membership notices, heartbeats.
 * Outbound: `send_group_msg` / `send_private_msg` with segment arrays only, never CQ strings.
 */
export class QqAdapter implements ChatAdapter {
  readonly platform = 'qq' as const;
  private host: AdapterHost | undefined;
  private readonly log: Logger;
  private readonly accounts = new QqAccounts();
  private readonly live = new Set<OneBotConnection>();
  private readonly recent: RecentCache<true>;
  private readonly firstAccount: FirstAccount;
  private readonly offline = new Set<string>();
  private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
  private limiter: RateLimiter | undefined;
  private server: OneBotReverseServer | undefined;
  private dialer: OneBotForwardDialer | undefined;
  private firstAttempt: (() => void) | undefined;
  private forwardDownReported = false;
  private stopped = true;

  constructor(
    private readonly config: QqConfig,
    private readonly options: QqAdapterOptions = {},
  ) {
    this.log = options.log ?? consoleLogger('qq');
    this.recent = new RecentCache<true>({ max: options.dedupeCapacity ?? DEDUPE_CAPACITY });
    this.firstAccount = new FirstAccount(options.dedupeCapacity ?? DEDUPE_CAPACITY);
  }

  /** Reverse mode: the port actually bound (useful with ONEBOT_WS_PORT=0). */
  get port(): number | undefined {
    return this.server?.port;
  }

  /** QQ accounts with a live connection, oldest first. */
  connectedAccounts(): string[] {
    return this.accounts.list();
  }

  /** Resolves with the account once one (or the given one) is connected and identified. */
  async whenConnected(account?: string, timeoutMs = this.config.ONEBOT_ACTION_TIMEOUT_MS): Promise<string> {
    const connection = await this.accounts.acquire(account, timeoutMs);
    return connection.selfId ?? '';
  }

  async start(host: AdapterHost): Promise<void> {
    this.host = host;
    this.stopped = false;
    this.limiter = new RateLimiter({ perKeyMs: this.config.ONEBOT_SEND_INTERVAL_MS });
    if (this.config.ONEBOT_MODE === 'reverse') {
      this.server = new OneBotReverseServer({
        host: this.config.ONEBOT_WS_HOST,
        port: this.config.ONEBOT_WS_PORT,
        accessToken: this.config.ONEBOT_ACCESS_TOKEN,
        maxPayload: MAX_PAYLOAD,
        log: this.log,
        onSocket: (socket, selfId) => this.attach(socket, `reverse:${selfId}`, selfId),
      });
      const port = await this.server.listen();
      this.log.info('listening for OneBot clients', { host: this.config.ONEBOT_WS_HOST, port });
      return;
    }
    const url = this.config.ONEBOT_WS_URL;
    if (url === undefined) throw new Error('ONEBOT_WS_URL is required when ONEBOT_MODE=forward');
    const shown = redactUrl(url);
    const firstAttempt = new Promise<void>((resolve) => {
      this.firstAttempt = resolve;
    });
    this.dialer = new OneBotForwardDialer({
      url,
      accessToken: this.config.ONEBOT_ACCESS_TOKEN,
      handshakeTimeoutMs: this.config.ONEBOT_ACTION_TIMEOUT_MS,
      maxPayload: MAX_PAYLOAD,
      backoff: this.options.backoff ?? defaultBackoff,
      log: this.log,
      onOpen: (socket) => this.attach(socket, `forward:${shown}`, undefined),
      onDown: (detail) => {
        this.log.warn('OneBot forward connection down', { url: shown, detail });
        if (!this.forwardDownReported) this.health('down', `OneBot ${shown}: ${detail}`);
        this.forwardDownReported = true;
        this.settleFirstAttempt();
      },
    });
    // Resolve once the first attempt settles either way: a QQ client that is down must not
    // hold up the whole desk; sends wait for (or reject without) a connection meanwhile.
    this.dialer.start();
    await firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.settleFirstAttempt();
    this.dialer?.stop();
    this.dialer = undefined;
    this.limiter?.stop();
    this.accounts.clear('the QQ adapter stopped');
    for (const [timer, cancel] of this.sleeps) {
      clearTimeout(timer);
      cancel();
    }
    this.sleeps.clear();
    await Promise.all([...this.live].map((c) => c.close(1001, 'GroupDesk stopping')));
    await this.server?.close();
    this.server = undefined;
  }

  /**
   * Sends through the right account's connection, waiting up to ONEBOT_ACTION_TIMEOUT_MS for
   * one when none is up (then rejecting with QqNotConnectedError so that the caller retries
   * later). A dropped connection or a transient failure is retried; a timeout is not, because
   * the client may have posted the message already.
   */
  async send(message: OutboundMessage): Promise<SentMessage> {
    const limiter = this.limiter;
    if (!limiter || this.stopped) throw new Error('the QQ adapter is not running');
    if (message.platform !== 'qq') throw new Error(`the QQ adapter cannot send to ${message.platform}`);
    const { action, target, parts } = planSend(message, this.options.maxChunkLength ?? 1500);
    // The core uses '' for "no particular account": any connected one will do.
    const account = message.account === '' ? undefined : message.account;
    let failed = false;
    const key = `${account ?? '*'}:${action}:${target}`;
    // All parts are queued at once so that another message to this chat cannot slip between them.
    const sends = parts.map((params) =>
      limiter.run(key, async () => {
        if (failed) throw new Error('an earlier part of this message failed to send');
        try {
          return await this.perform(account, action, params);
        } catch (error) {
          failed = true;
          throw error;
        }
      }),
    );
    const results = await Promise.all(sends);
    const sent = sentSchema.safeParse(results[0]);
    if (!sent.success) this.log.warn('OneBot send answered without a message_id', { action, target });
    return { messageId: sent.success ? sent.data.message_id : '' };
  }

  private async perform(
    account: string | undefined,
    action: string,
    params: Record<string, unknown>,
  ): Promise<unknown> {
    const delays = this.options.retryDelaysMs ?? [500, 2000];
    for (let attempt = 0; ; attempt++) {
      const connection = await this.accounts.acquire(account, this.config.ONEBOT_ACTION_TIMEOUT_MS);
      try {
        return await connection.call(action, params);
      } catch (error) {
        const retryable =
          error instanceof OneBotClosedError || (error instanceof OneBotActionError && error.retryable);
        const delay = delays[attempt];
        if (!retryable || delay === undefined || this.stopped) throw error;
        this.log.warn('OneBot action failed; retrying', {
          action,
          attempt: attempt + 1,
          error: String(error),
        });
        await this.sleep(delay);
      }
    }
  }

  private attach(socket: WebSocket, label: string, headerSelfId: string | undefined): void {
    if (this.stopped) {
      socket.terminate();
      return;
    }
    const connection = new OneBotConnection(socket, {
      actionTimeoutMs: this.config.ONEBOT_ACTION_TIMEOUT_MS,
      log: this.log,
      label,
      ...(this.options.pingIntervalMs === undefined ? {} : { pingIntervalMs: this.options.pingIntervalMs }),
      onEvent: (event, from) => this.onEvent(event, from),
      onClose: (from, code, reason) => this.onClose(from, code, reason),
    });
    connection.selfId = headerSelfId;
    this.live.add(connection);
    void this.identify(connection, headerSelfId);
  }

  /** Asks the client who it is (get_login_info) and makes the connection usable for sends. */
  private async identify(connection: OneBotConnection, headerSelfId: string | undefined): Promise<void> {
    try {
      const info = loginInfoSchema.parse(await connection.call('get_login_info'));
      connection.nickname = info.nickname;
      if (headerSelfId !== undefined && info.user_id !== headerSelfId) {
        this.log.warn('X-Self-ID differs from get_login_info; using X-Self-ID', {
          headerSelfId,
          loginId: info.user_id,
        });
      }
      connection.selfId = headerSelfId ?? info.user_id;
    } catch (error) {
      if (headerSelfId === undefined) {
        // Forward mode learns its account only here: without it the socket is useless, so redial.
        this.log.error('get_login_info failed; dropping the connection', {
          peer: connection.label,
          error: String(error),
        });
        await connection.close(1011, 'get_login_info failed');
        return;
      }
      this.log.warn('get_login_info failed; relying on X-Self-ID', {
        selfId: headerSelfId,
        error: String(error),
      });
    }
    const account = connection.selfId;
    if (!connection.isOpen || this.stopped || account === undefined) return;
    const replaced = this.accounts.register(account, connection);
    if (replaced) {
      this.log.info('a newer connection replaces the old one', { account });
      void replaced.close(4000, 'replaced by a newer connection');
    }
    this.dialer?.markHealthy();
    this.forwardDownReported = false;
    this.offline.delete(account);
    const who = connection.nickname ? `${account} (${connection.nickname})` : account;
    this.log.info('QQ account connected', { account, peer: connection.label });
    this.health('up', `QQ account ${who} connected via ${connection.label}`);
    this.settleFirstAttempt();
  }

  private onClose(connection: OneBotConnection, code: number, reason: string): void {
    this.live.delete(connection);
    const account = connection.selfId;
    if (account === undefined || !this.accounts.unregister(account, connection) || this.stopped) return;
    this.log.warn('QQ account disconnected', { account, code, reason });
    // In forward mode the dialer may have reported this very drop already (its listener runs first).
    if (this.dialer && this.forwardDownReported) return;
    if (this.dialer) this.forwardDownReported = true;
    this.health('down', `QQ account ${account} disconnected (code ${code}${reason ? `, ${reason}` : ''})`);
  }

  private onEvent(event: Record<string, unknown>, connection: OneBotConnection): void {
    const mapped = mapEvent(event, {
      selfName: (id) => this.accounts.get(id)?.nickname,
      isOwnAccount: (id) => this.accounts.get(id) !== undefined,
    });
    const fromAccount =
      'selfId' in mapped ? mapped.selfId : mapped.kind === 'message' ? mapped.message.account : undefined;
    if (fromAccount !== undefined && connection.selfId !== undefined && fromAccount !== connection.selfId) {
      this.log.warn('dropped an event whose self_id does not match its connection', {
        peer: connection.label,
        selfId: fromAccount,
      });
      return;
    }
    switch (mapped.kind) {
      case 'message':
        this.deliver(mapped.message, mapped.copyKey);
        return;
      case 'membership':
        this.host?.membershipChanged(mapped.change).catch((error: unknown) => {
          this.log.error('membership handler failed', { error: String(error) });
        });
        return;
      case 'heartbeat': {
        const healthy = mapped.online && mapped.good;
        this.log.debug('OneBot heartbeat', {
          account: mapped.selfId,
          online: mapped.online,
          good: mapped.good,
        });
        // Report transitions only: a heartbeat every 30 s must not flood the managers' alerts.
        if (!healthy && !this.offline.has(mapped.selfId)) {
          this.offline.add(mapped.selfId);
          this.health(
            'down',
            `QQ account ${mapped.selfId} reports online=${mapped.online} good=${mapped.good}`,
          );
        } else if (healthy && this.offline.delete(mapped.selfId)) {
          this.health('up', `QQ account ${mapped.selfId} is back online`);
        }
        return;
      }
      case 'lifecycle':
        this.log.info('OneBot lifecycle event', { account: mapped.selfId, subType: mapped.subType });
        return;
      case 'ignored':
        this.log.debug('ignored a OneBot event', { reason: mapped.reason });
        return;
      case 'invalid':
        this.log.warn('dropped a malformed OneBot event', { peer: connection.label, reason: mapped.reason });
        return;
    }
  }

  private deliver(message: InboundMessage, copyKey: string | undefined): void {
    if (!this.recent.firstTime(`${message.account}:${message.messageId}`, true)) {
      this.log.debug('dropped a duplicate QQ message', {
        account: message.account,
        messageId: message.messageId,
      });
      return;
    }
    // Another of the desk's accounts in this group delivered the same message already.
    if (copyKey !== undefined && !this.firstAccount.claim(copyKey, message.account ?? '')) {
      this.log.debug("dropped another QQ account's copy of a group message", {
        account: message.account,
        messageId: message.messageId,
      });
      return;
    }
    this.host?.handle(message).catch((error: unknown) => {
      this.log.error('the host failed to handle a QQ message', {
        account: message.account,
        messageId: message.messageId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    });
  }

  private health(state: 'up' | 'down', detail: string): void {
    this.host?.reportHealth({ platform: 'qq', state, detail });
  }

  private settleFirstAttempt(): void {
    this.firstAttempt?.();
    this.firstAttempt = undefined;
  }

  /** A retry pause that stop() cuts short (rejecting, so the send fails rather than hangs). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, () => reject(new Error('the QQ adapter stopped')));
    });
  }
}
