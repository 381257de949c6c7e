import { randomBytes } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';

import type { Logger } from '../kit/logger';

/** The OneBot client answered an action with `status: "failed"` (or an unknown status). */
export class OneBotActionError extends Error {
  override readonly name = 'OneBotActionError';
  constructor(
    readonly action: string,
    readonly retcode: number,
    detail: string,
  ) {
    super(`OneBot action ${action} failed with retcode ${retcode}${detail ? `: ${detail}` : ''}`);
  }

  /**
   * 100 (bad parameters), 102 (invalid data) and 1404 (no such action) will fail the same way
   * again; anything else (103 execution failed, NapCat's 1200 …) may be transient.
   */
  get retryable(): boolean {
    return this.retcode !== 100 && this.retcode !== 102 && this.retcode !== 1404;
  }
}

/** The action got no answer in time. The client may still have executed it. */
export class OneBotTimeoutError extends Error {
  override readonly name = 'OneBotTimeoutError';
  constructor(
    readonly action: string,
    ms: number,
  ) {
    super(`OneBot action ${action} got no answer within ${ms} ms`);
  }
}

/** The socket closed (or was never open) before the action was answered. */
export class OneBotClosedError extends Error {
  override readonly name = 'OneBotClosedError';
  constructor(readonly action: string) {
    super(`OneBot connection closed before ${action} was answered`);
  }
}

export interface OneBotConnectionOptions {
  readonly actionTimeoutMs: number;
  readonly log: Logger;
  /** Called with every parsed frame that is not an action response (events). */
  readonly onEvent: (event: Record<string, unknown>, connection: OneBotConnection) => void;
  readonly onClose: (connection: OneBotConnection, code: number, reason: string) => void;
  /** Ping interval; a socket that misses a pong for a whole interval is terminated. 0 disables. */
  readonly pingIntervalMs?: number;
  /** For log lines: `reverse 12345` or the forward URL. */
  readonly label: string;
}

interface Pending {
  readonly action: string;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * One OneBot v11 "Universal" WebSocket: events arrive on it and actions go out on it as
 * `{action, params, echo}`, answered by `{status, retcode, data, echo}` with the same echo.
 * See https://github.com/botuniverse/onebot-11/blob/master/communication/ws.md
 */
export class OneBotConnection {
  /** The QQ account behind this socket, once known (X-Self-ID or get_login_info). */
  selfId: string | undefined;
  nickname: string | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly echoPrefix = randomBytes(4).toString('hex');
  private sequence = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private alive = true;
  private closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: OneBotConnectionOptions,
  ) {
    let markClosed: () => void = () => undefined;
    this.closedPromise = new Promise((resolve) => {
      markClosed = resolve;
    });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('error', (error) =>
      options.log.warn('OneBot socket error', { peer: options.label, error: error.message }),
    );
    socket.on('close', (code, reason) => {
      this.closed = true;
      if (this.pingTimer) clearInterval(this.pingTimer);
      for (const [echo, call] of this.pending) {
        clearTimeout(call.timer);
        this.pending.delete(echo);
        call.reject(new OneBotClosedError(call.action));
      }
      options.onClose(this, code, reason.toString());
      markClosed();
    });
    const interval = options.pingIntervalMs ?? 30_000;
    if (interval > 0) {
      this.pingTimer = setInterval(() => this.checkAlive(), interval);
      this.pingTimer.unref();
    }
  }

  get isOpen(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  get label(): string {
    return this.options.label;
  }

  /** Runs one action; resolves with its `data`. Rejects with one of the OneBot*Error classes. */
  call(
    action: string,
    params: Record<string, unknown> = {},
    timeoutMs = this.options.actionTimeoutMs,
  ): Promise<unknown> {
    if (!this.isOpen) return Promise.reject(new OneBotClosedError(action));
    const echo = `${this.echoPrefix}:${++this.sequence}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(echo);
        reject(new OneBotTimeoutError(action, timeoutMs));
      }, timeoutMs);
      this.pending.set(echo, { action, resolve, reject, timer });
      this.socket.send(JSON.stringify({ action, params, echo }), (error) => {
        if (!error) return;
        const call = this.pending.get(echo);
        if (!call) return;
        clearTimeout(call.timer);
        this.pending.delete(echo);
        call.reject(new OneBotClosedError(action));
      });
    });
  }

  /** Closes the socket (pending actions reject) and resolves once it is gone. */
  async close(code = 1000, reason = 'closing'): Promise<void> {
    if (!this.closed) {
      this.socket.close(code, reason);
      // A peer that never completes the closing handshake must not hold stop() for ws's 30 s.
      const force = setTimeout(() => this.socket.terminate(), 1000);
      await this.closedPromise;
      clearTimeout(force);
    }
  }

  private checkAlive(): void {
    if (!this.isOpen) return;
    if (!this.alive) {
      this.options.log.warn('OneBot peer missed a ping; dropping the connection', {
        peer: this.options.label,
      });
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  private receive(data: RawData, isBinary: boolean): void {
    this.alive = true;
    if (isBinary) {
      this.options.log.warn('dropped a binary OneBot frame', { peer: this.options.label });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      this.options.log.warn('dropped a OneBot frame that is not JSON', { peer: this.options.label });
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.options.log.warn('dropped a OneBot frame that is not an object', { peer: this.options.label });
      return;
    }
    const record = frame as Record<string, unknown>;
    if ('post_type' in record) {
      this.options.onEvent(record, this);
      return;
    }
    if ('echo' in record) {
      this.settle(record);
      return;
    }
    this.options.log.warn('dropped a OneBot frame that is neither event nor response', {
      peer: this.options.label,
    });
  }

  private settle(response: Record<string, unknown>): void {
    const echo = typeof response.echo === 'string' ? response.echo : undefined;
    const call = echo === undefined ? undefined : this.pending.get(echo);
    if (!call || echo === undefined) {
      this.options.log.debug('dropped a OneBot response nobody waits for', { peer: this.options.label });
      return;
    }
    clearTimeout(call.timer);
    this.pending.delete(echo);
    const retcode = typeof response.retcode === 'number' ? response.retcode : -1;
    // `async` (retcode 1) means accepted for later execution: as good as it gets.
    if (response.status === 'ok' || response.status === 'async') {
      call.resolve(response.data);
      return;
    }
    const detail = [response.wording, response.message, response.msg].find((v) => typeof v === 'string');
    call.reject(new OneBotActionError(call.action, retcode, typeof detail === 'string' ? detail : ''));
  }
}
