import { DWClient, type DWClientDownStream } from 'dingtalk-stream';
import { consoleTo, outsideConsoleScope } from '../kit/console-scope';
import { joinArgs, type Logger } from '../kit/logger';

/**
 * The official SDK's Stream client (dingtalk-stream 2.1.5), with three changes made by
 * overriding its public methods rather than patching node_modules:
 * - `getEndpoint`: the SDK posts to the hard-coded https://api.dingtalk.com gateway; this
 *   posts the same registration (clientId, clientSecret, ua, subscriptions) to
 *   `${apiBase}/v1.0/gateway/connections/open`, so a proxy or the local fake can stand in.
 *   It relies on the SDK's private `dw_url` field, which `_connect` dials: pinned version.
 * - `onDownStream`: the SDK `JSON.parse`s every frame inside the socket's message listener,
 *   so one bad frame threw out of the listener; here it is logged and dropped.
 * - `connect`: the SDK's reconnect timer is not cancelled by `disconnect()`, and its next
 *   `_connect` clears the "user disconnected" flag: a stopped client came back. Here it stays stopped.
 * - Logging: the SDK takes no logger and prints to `console` ("connect success",
 *   "Disconnecting.", socket errors). Its entry points run in a console scope
 *   (adapters/kit/console-scope.ts), so those lines, and those of the socket events and
 *   reconnect timers started there, reach our logger; its debug lines (`printDebug`, which
 *   name the socket URL with its one-time ticket) go to debug with the ticket cut out.
 *   The listeners we register run outside the scope: the desk's own work prints as usual.
 */
export class StreamClient extends DWClient {
  private stopped = false;

  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly apiBase: string,
    private readonly log: Logger,
  ) {
    super({ ...opts, keepAlive: true, ua: 'groupdesk' });
  }

  /** What the SDK prints, to our logger. */
  private scoped<T>(fn: () => T): T {
    return consoleTo(this.log, '[dingtalk-sdk]', fn);
  }

  override printDebug(msg: object | string): void {
    const text = typeof msg === 'string' ? msg : joinArgs([msg]);
    this.log.debug(`[dingtalk-sdk] ${text.replace(/([?&]ticket=)[^&\s]+/g, '$1…')}`);
  }

  override registerCallbackListener(eventId: string, callback: (v: DWClientDownStream) => void): this {
    return super.registerCallbackListener(eventId, (frame) => outsideConsoleScope(() => callback(frame)));
  }

  override async getEndpoint(): Promise<this> {
    const res = await fetch(`${this.apiBase}/v1.0/gateway/connections/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        clientId: this.config.clientId,
        clientSecret: this.config.clientSecret,
        ua: this.config.ua,
        subscriptions: this.config.subscriptions,
      }),
    });
    const body = (await res.json().catch(() => ({}))) as {
      endpoint?: string;
      ticket?: string;
      message?: string;
    };
    if (!res.ok || !body.endpoint || !body.ticket)
      throw new Error(
        `gateway registration answered ${res.status}: ${body.message ?? 'no endpoint or ticket'}`,
      );
    (this as unknown as { dw_url: string }).dw_url =
      `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (error) {
      this.log.warn('DingTalk Stream frame dropped', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  override async connect(): Promise<void> {
    if (this.stopped) return;
    await this.scoped(() => super.connect());
    // A connect that finished after stop(): close what it opened.
    if (this.stopped) this.scoped(() => super.disconnect());
  }

  /**
   * Each socket the SDK opens starts a heartbeat interval without clearing the previous one,
   * and `disconnect()` clears only the last: after a reconnect, an interval outlived the
   * client and kept the process (and jest) alive. Cleared before every connect and on stop.
   */
  override async _connect(): Promise<void> {
    this.clearHeartbeat();
    await super._connect();
  }

  private clearHeartbeat(): void {
    const self = this as unknown as { heartbeatIntervallId?: NodeJS.Timeout | undefined };
    if (self.heartbeatIntervallId !== undefined) clearInterval(self.heartbeatIntervallId);
    self.heartbeatIntervallId = undefined;
  }

  /** Registers and opens the socket once, rejecting on failure (the SDK's `connect` retries forever). */
  async open(): Promise<void> {
    await this.getEndpoint();
    await this.scoped(() => this._connect());
  }

  override disconnect(): void {
    this.stopped = true;
    this.config.autoReconnect = false;
    this.scoped(() => super.disconnect());
    this.clearHeartbeat();
  }
}

export type { DWClientDownStream };
