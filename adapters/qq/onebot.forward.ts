import { WebSocket } from 'ws';
import type { Logger } from '../kit/logger';

/** Delay before reconnection attempt `attempt` (0-based) after a failure or a drop. */
export type Backoff = (attempt: number) => number;

/**
 * Capped exponential backoff with equal jitter: 1 s, 2 s, 4 s … up to 30 s, each drawn
 * between half and all of that value so that several GroupDesk instances do not retry in step.
 */
export const defaultBackoff: Backoff = (attempt) => {
  const ceiling = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 15));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
};

/** The URL without an `access_token` query parameter, for log lines and health details. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.searchParams.has('access_token')) parsed.searchParams.set('access_token', '***');
  return parsed.toString();
}

export interface ForwardDialerOptions {
  readonly url: string;
  readonly accessToken: string;
  readonly handshakeTimeoutMs: number;
  readonly maxPayload: number;
  readonly backoff: Backoff;
  readonly log: Logger;
  /** The socket is open; the owner wraps it and watches its `close`. */
  readonly onOpen: (socket: WebSocket) => void;
  /** An attempt failed or an open socket dropped; `retryInMs` says when the next attempt starts. */
  readonly onDown: (detail: string, retryInMs: number) => void;
}

/**
 * Forward WebSocket: GroupDesk dials the OneBot client's WebSocket server and keeps
 * redialling forever with capped backoff until `stop()`.
 * See https://github.com/botuniverse/onebot-11/blob/master/communication/ws.md
 */
export class OneBotForwardDialer {
  private socket: WebSocket | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: ForwardDialerOptions) {}

  /** Makes the first attempt; later attempts follow on their own. */
  start(): void {
    this.stopped = false;
    this.dial();
  }

  /** Call once a connection proved usable (logged in), so the next drop retries quickly again. */
  markHealthy(): void {
    this.attempt = 0;
  }

  /** Cancels any pending attempt and closes a socket that is still handshaking. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.socket && this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
    this.socket = undefined;
  }

  private dial(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const socket = new WebSocket(this.options.url, {
      headers: { Authorization: `Bearer ${this.options.accessToken}` },
      handshakeTimeout: this.options.handshakeTimeoutMs,
      maxPayload: this.options.maxPayload,
    });
    this.socket = socket;
    let failure = 'connection closed';
    socket.on('error', (error) => {
      failure = error.message;
      // A 401 will not heal by itself: say so louder than an ordinary network error.
      const refused = /\b40[13]\b/.test(error.message);
      this.options.log[refused ? 'error' : 'warn']('OneBot forward connection failed', {
        url: redactUrl(this.options.url),
        error: error.message,
        hint: refused ? 'check ONEBOT_ACCESS_TOKEN against the OneBot client token' : undefined,
      });
    });
    socket.once('open', () => {
      failure = 'connection dropped';
      this.options.onOpen(socket);
    });
    socket.once('close', (code) => {
      if (this.socket === socket) this.socket = undefined;
      if (this.stopped) return;
      const delay = Math.max(0, this.options.backoff(this.attempt++));
      this.options.onDown(`${failure} (code ${code}); retrying in ${delay} ms`, delay);
      this.timer = setTimeout(() => this.dial(), delay);
    });
  }
}
