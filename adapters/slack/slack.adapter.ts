import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { AdapterHost, OutboundMessage, SentMessage } from '../../src/core/chat';
import type { ChatAdapter } from '../adapter';
import { type Logger as CoreLogger, consoleLogger, levelledSdkLogger } from '../kit/logger';
import type { SlackConfig } from './slack.config';
import { type Interaction, SlackInbound } from './slack.inbound';
import { messageIdOf, type SlackReceiver, toPostMessageArgs, tsOfMessageId } from './slack.mapper';
import { renderOutbound, type SlackPost } from './slack.render';
import { type SenderTiming, SlackSender } from './slack.sender';
import { refuseFutureTimestamps } from './slack.timestamp';

/** Options that are not deployment configuration. */
export interface SlackAdapterOptions {
  /** Where the adapter, Bolt and the Slack clients log (the core Logger). */
  readonly logger?: CoreLogger;
  /** Send pacing; defaults: 1,000 ms per channel, real `Retry-After` seconds, 3 retries. */
  readonly timing?: Partial<SenderTiming>;
}

/** Bolt's (and @slack/logger's) level values. */
const BOLT_LEVELS = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
} as const;

/**
 * GroupDesk on Slack through Bolt: Events API over HTTP (signed requests) or Socket Mode,
 * one slash command and Block Kit buttons. Every request is acknowledged before any work;
 * the work then runs in order per channel, and its errors are logged, never thrown at Bolt.
 * See adapters/slack/README.md for set-up and slack.mapper.ts for the id formats.
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack' as const;
  private readonly logger: Logger;
  private readonly client: InstanceType<typeof webApi.WebClient>;
  private app: App | undefined;
  private socket: SocketModeReceiver | undefined;
  private sender: SlackSender | undefined;
  private host: AdapterHost | undefined;
  private words: ReadonlySet<string> | undefined;
  private self: SlackReceiver | undefined;
  private boundPort: number | undefined;
  private readonly inbound: SlackInbound;

  constructor(
    private readonly config: SlackConfig,
    private readonly options: SlackAdapterOptions = {},
  ) {
    const target = options.logger ?? consoleLogger('slack');
    // Bolt and the Slack clients log at INFO: their DEBUG output includes request bodies,
    // i.e. customers' messages. The adapter's own lines pass through; the target filters.
    this.logger = levelledSdkLogger(target, 'slack', BOLT_LEVELS);
    const own = levelledSdkLogger(target, 'slack', BOLT_LEVELS, 'debug');
    this.inbound = new SlackInbound(own, config.command);
    this.client = new webApi.WebClient(config.botToken, this.clientOptions());
  }

  /** The port the HTTP receiver is bound to (useful with port 0); undefined in Socket Mode. */
  get port(): number | undefined {
    return this.boundPort;
  }

  async start(host: AdapterHost): Promise<void> {
    if (this.app !== undefined) throw new Error('Slack adapter already started');
    this.host = host;
    this.self = await this.identify(host);
    this.sender = new SlackSender(
      { perChannelMs: 1000, retryAfterUnitMs: 1000, maxRateLimitRetries: 3, ...this.options.timing },
      this.inbound.logger,
    );
    const app = this.createApp(this.self);
    this.inbound.attach(app, this.self, host);
    this.app = app;
    try {
      if (this.config.mode === 'http') {
        const server = await app.start({ port: this.config.port, host: this.config.host });
        this.boundPort = (server.address() as AddressInfo).port;
        host.reportHealth({ platform: 'slack', state: 'up', detail: `listening on port ${this.boundPort}` });
      } else {
        await app.start();
      }
    } catch (error) {
      this.app = undefined;
      this.socket = undefined;
      this.sender.stop();
      this.sender = undefined;
      host.reportHealth({ platform: 'slack', state: 'error', detail: `start failed: ${describe(error)}` });
      throw error;
    }
  }

  async stop(): Promise<void> {
    const app = this.app;
    if (app === undefined) return;
    this.app = undefined;
    try {
      // Bolt's SocketModeReceiver.stop() does not wait for the socket to close: wait here.
      if (this.socket !== undefined) await this.socket.client.disconnect();
      else await app.stop();
    } catch (error) {
      this.logger.warn(`stopping the receiver failed: ${describe(error)}`);
    }
    this.socket = undefined;
    this.boundPort = undefined;
    await this.inbound.drain();
    this.sender?.stop();
    this.sender = undefined;
  }

  async send(message: OutboundMessage): Promise<SentMessage> {
    const sender = this.sender;
    if (sender === undefined) throw new Error('Slack adapter is not running');
    const posts = renderOutbound(message, {
      slashCommand: this.config.command,
      commandWords: this.commandWords(),
    });
    const reply = message.replyToMessageId;
    const interaction = reply !== undefined ? this.inbound.interaction(reply) : undefined;
    const visibleTo = message.visibleTo ?? privateToCaller(message, interaction);
    if (visibleTo !== undefined) {
      return this.sendEphemeral(sender, { ...message, visibleTo }, posts, interaction);
    }
    const threadTs = message.threadId ?? this.replyThread(message, interaction);
    let first: SentMessage | undefined;
    for (const post of posts) {
      const res = await sender.run(message.chatId, 'chat.postMessage', () =>
        this.client.chat.postMessage(toPostMessageArgs(message, post, threadTs)),
      );
      if (res.ts === undefined) throw new Error('chat.postMessage answered without a ts');
      // A top-level post starts its own thread: later replies go there.
      first ??= {
        messageId: messageIdOf(res.channel ?? message.chatId, res.ts),
        threadId: threadTs ?? res.ts,
      };
    }
    return first!;
  }

  private async sendEphemeral(
    sender: SlackSender,
    message: OutboundMessage,
    posts: SlackPost[],
    interaction: Interaction | undefined,
  ): Promise<SentMessage> {
    const user = message.visibleTo!;
    // Only into a thread that exists: an ephemeral message cannot start one.
    const reply = message.replyToMessageId;
    const threadTs = message.threadId ?? (reply !== undefined ? this.inbound.threadOf(reply) : undefined);
    let sent = 0;
    if (
      interaction !== undefined &&
      interaction.userId === user &&
      interaction.channelId === message.chatId
    ) {
      // response_url works even where the bot is not a channel member; postEphemeral does not.
      try {
        for (const post of posts) {
          await sender.run(message.chatId, 'response_url', () =>
            interaction.respond({ response_type: 'ephemeral', replace_original: false, ...post }),
          );
          sent += 1;
        }
        return { messageId: `ephemeral:${randomUUID()}` };
      } catch (error) {
        if (sent > 0) throw error;
        this.logger.warn(`response_url failed (${describe(error)}); falling back to chat.postEphemeral`);
      }
    }
    let messageId: string | undefined;
    for (const post of posts) {
      const res = await sender.run(message.chatId, 'chat.postEphemeral', () =>
        this.client.chat.postEphemeral({
          channel: message.chatId,
          user,
          text: post.text,
          ...(post.blocks !== undefined ? { blocks: post.blocks } : {}),
          ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
        }),
      );
      messageId ??= res.message_ts
        ? messageIdOf(message.chatId, res.message_ts)
        : `ephemeral:${randomUUID()}`;
    }
    return { messageId: messageId! };
  }

  /** Where a reply without an explicit thread goes: the thread of what it answers. */
  private replyThread(message: OutboundMessage, interaction: Interaction | undefined): string | undefined {
    const reply = message.replyToMessageId;
    if (reply === undefined) return undefined;
    if (interaction !== undefined) {
      return interaction.channelId === message.chatId ? interaction.replyThread : undefined;
    }
    const known = this.inbound.threadOf(reply);
    if (known !== undefined) return known;
    // In a channel, answering a top-level message opens its thread (the thread is the ticket).
    return message.chatKind === 'group' ? tsOfMessageId(reply, message.chatId) : undefined;
  }

  private async identify(host: AdapterHost): Promise<SlackReceiver> {
    try {
      const auth = await this.client.auth.test();
      if (!auth.user_id || !auth.team_id) throw new Error('auth.test answered without user_id/team_id');
      return {
        botUserId: auth.user_id,
        teamId: auth.team_id,
        ...(auth.user ? { botName: auth.user } : {}),
        ...(auth.bot_id ? { botId: auth.bot_id } : {}),
      };
    } catch (error) {
      const detail = `auth.test failed (check SLACK_BOT_TOKEN): ${describe(error)}`;
      host.reportHealth({ platform: 'slack', state: 'error', detail });
      throw new Error(detail, { cause: error });
    }
  }

  private createApp(self: SlackReceiver): App {
    const common = {
      token: this.config.botToken,
      botUserId: self.botUserId,
      ...(self.botId !== undefined ? { botId: self.botId } : {}),
      // identify() already ran auth.test; Bolt need not repeat it.
      tokenVerificationEnabled: false,
      convoStore: false as const,
      logger: this.logger,
      clientOptions: this.clientOptions(),
    };
    let app: App;
    if (this.config.mode === 'http') {
      const receiver = new HTTPReceiver({ signingSecret: this.config.signingSecret, logger: this.logger });
      receiver.requestListener = refuseFutureTimestamps(receiver.requestListener, () =>
        this.logger.warn('refused a request timestamped more than five minutes ahead'),
      );
      app = new App({ ...common, receiver });
    } else {
      this.socket = new SocketModeReceiver({
        appToken: this.config.appToken,
        logger: this.logger,
        // Its own options object: the Socket Mode client writes its retry policy into it.
        installerOptions: { clientOptions: this.config.apiUrl ? { slackApiUrl: this.config.apiUrl } : {} },
      });
      this.watchSocket(this.socket);
      app = new App({ ...common, socketMode: true, receiver: this.socket });
    }
    return app;
  }

  private watchSocket(receiver: SocketModeReceiver): void {
    const report = (state: 'up' | 'down', detail: string) =>
      this.host?.reportHealth({ platform: 'slack', state, detail });
    receiver.client.on('connected', () => report('up', 'Socket Mode connected'));
    receiver.client.on('reconnecting', () => report('down', 'Socket Mode connection lost; reconnecting'));
  }

  private clientOptions() {
    return {
      ...(this.config.apiUrl !== undefined ? { slackApiUrl: this.config.apiUrl } : {}),
      logger: this.logger,
      // 429s are retried by SlackSender after Retry-After; the client's default would instead
      // pause every call and retry for about 30 minutes.
      rejectRateLimitedCalls: true,
      // Network errors and 5xx: a few quick retries, then fail so the caller learns of it.
      retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4000, randomize: true },
      timeout: 15_000,
    };
  }

  /** GroupDesk's command names and aliases, for rewriting `/claim` to `/gd claim` in what we post. */
  private commandWords(): ReadonlySet<string> {
    if (!this.words) {
      const commands = this.host?.commands() ?? [];
      this.words = new Set(
        commands.flatMap((c) => [c.name, ...(c.aliases ?? [])].map((w) => w.toLowerCase())),
      );
    }
    return this.words;
  }
}

/**
 * Whom an answer to a slash command or a button click is for when the desk did not say.
 * Nobody but its author sees a slash command or a click, so an answer out of the blue would
 * puzzle the channel: it goes to the author alone (ephemeral). Two answers are meant for the
 * channel and stay public: one that mentions people (in a customer's channel the desk names
 * the speaker, and the answer — "#12 is now yours, bob" — is the customer's notice too) and
 * one that opens a thread (a new ticket's acknowledgement, which becomes the ticket's thread).
 */
function privateToCaller(message: OutboundMessage, interaction: Interaction | undefined): string | undefined {
  if (interaction === undefined || interaction.channelId !== message.chatId) return undefined;
  if (message.startThread === true || (message.mentions ?? []).length > 0) return undefined;
  return interaction.userId;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
