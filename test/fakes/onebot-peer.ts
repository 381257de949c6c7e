import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A OneBot v11 implementation for tests, speaking the protocol on a real `ws` socket on
 * 127.0.0.1: `ReversePeer` dials in like NapCat's websocketClients, `ForwardPeer` serves
 * like NapCat's websocketServers. Both answer actions (get_login_info, send_*_msg by
 * default) and push events. Written from the OneBot v11 spec, sharing no code with the adapter.
 */

export interface ActionRequest {
  readonly action: string;
  readonly params: Record<string, unknown>;
  readonly echo: unknown;
}

/** How to answer one action: a response body, no answer at all, or dropping the socket. */
export type ActionReply =
  | {
      readonly status?: string;
      readonly retcode?: number;
      readonly data?: unknown;
      readonly message?: string;
    }
  | 'no-answer'
  | 'drop';
export type ActionHandler = (request: ActionRequest) => ActionReply | Promise<ActionReply>;

export interface Segment {
  readonly type: string;
  readonly data: Record<string, string>;
}

/** CQ escaping as OneBot clients do it for the `string` post format. */
export function toCqString(segments: readonly Segment[]): string {
  const text = (s: string) => s.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
  const param = (s: string) => text(s).replace(/,/g, '&#44;');
  return segments
    .map((s) =>
      s.type === 'text'
        ? text(s.data.text ?? '')
        : `[CQ:${s.type}${Object.entries(s.data)
            .map(([k, v]) => `,${k}=${param(v)}`)
            .join('')}]`,
    )
    .join('');
}

export interface GroupMessageInit {
  readonly messageId: number;
  readonly groupId?: number;
  readonly userId?: number;
  readonly segments: readonly Segment[];
  readonly format?: 'array' | 'string';
  readonly card?: string;
  readonly nickname?: string;
  readonly selfId?: string;
  /** Server timestamp in seconds (default 2026-01-01T00:00:00Z). */
  readonly time?: number;
}

abstract class PeerBase {
  readonly requests: ActionRequest[] = [];
  private readonly handlers = new Map<string, ActionHandler>();
  private waiters: Array<() => void> = [];
  private nextMessageId = 9000;

  constructor(
    readonly selfId: string,
    readonly nickname = 'DeskBot',
  ) {
    this.onAction('get_login_info', () => ({
      data: { user_id: Number(this.selfId), nickname: this.nickname },
    }));
    const sent = () => ({ data: { message_id: ++this.nextMessageId } });
    this.onAction('send_group_msg', sent);
    this.onAction('send_private_msg', sent);
  }

  /** Replaces how `action` is answered. */
  onAction(action: string, handler: ActionHandler): void {
    this.handlers.set(action, handler);
  }

  /** Requests received for `action`, in order. */
  /** Ticket numbers the desk acknowledged ("Ticket #N is open", en) to `groupId`. */
  acknowledged(groupId: number): number[] {
    return this.received('send_group_msg')
      .filter((r) => r.params.group_id === groupId)
      .flatMap((r) => [...JSON.stringify(r.params.message).matchAll(/Ticket #(\d+) is open/g)])
      .map((m) => Number(m[1]));
  }

  received(action: string): ActionRequest[] {
    return this.requests.filter((r) => r.action === action);
  }

  /** Resolves once `count` requests for `action` have arrived. */
  waitForRequests(action: string, count: number, ms = 5000): Promise<ActionRequest[]> {
    return this.waitUntil(() => this.received(action).length >= count, ms, `${count} ${action}`).then(() =>
      this.received(action),
    );
  }

  /** A group message event in the given post format. */
  groupMessage(init: GroupMessageInit): Record<string, unknown> {
    const format = init.format ?? 'array';
    return {
      time: init.time ?? 1_767_225_600,
      self_id: Number(init.selfId ?? this.selfId),
      post_type: 'message',
      message_type: 'group',
      sub_type: 'normal',
      message_id: init.messageId,
      group_id: init.groupId ?? 100200300,
      user_id: init.userId ?? 555001,
      message: format === 'array' ? init.segments : toCqString(init.segments),
      message_format: format,
      raw_message: toCqString(init.segments),
      font: 0,
      sender: {
        user_id: init.userId ?? 555001,
        nickname: init.nickname ?? 'alice',
        card: init.card ?? '',
        role: 'member',
      },
    };
  }

  /** A private (friend) message event in the given post format. */
  privateMessage(init: Omit<GroupMessageInit, 'groupId' | 'card'>): Record<string, unknown> {
    const format = init.format ?? 'array';
    return {
      time: init.time ?? 1_767_225_600,
      self_id: Number(init.selfId ?? this.selfId),
      post_type: 'message',
      message_type: 'private',
      sub_type: 'friend',
      message_id: init.messageId,
      user_id: init.userId ?? 555001,
      message: format === 'array' ? init.segments : toCqString(init.segments),
      message_format: format,
      raw_message: toCqString(init.segments),
      font: 0,
      sender: { user_id: init.userId ?? 555001, nickname: init.nickname ?? 'alice' },
    };
  }

  /** Sends one event (or any frame) on the current socket. */
  push(event: unknown): void {
    this.pushRaw(JSON.stringify(event));
  }

  pushRaw(frame: string): void {
    const socket = this.current();
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('peer has no open socket');
    socket.send(frame);
  }

  protected abstract current(): WebSocket | undefined;

  protected waitUntil(ready: () => boolean, ms: number, what: string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`peer: timed out waiting for ${what}`));
      }, ms);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  protected notify(): void {
    for (const check of [...this.waiters]) check();
  }

  /** Serves actions on one socket, the way a OneBot client does. */
  protected serve(socket: WebSocket): void {
    socket.on('message', async (raw) => {
      const request = JSON.parse(raw.toString()) as ActionRequest;
      this.requests.push(request);
      this.notify();
      const handler = this.handlers.get(request.action);
      const reply: ActionReply = handler
        ? await handler(request)
        : { status: 'failed', retcode: 1404, message: 'no such action' };
      if (reply === 'no-answer') return;
      if (reply === 'drop') {
        socket.terminate();
        return;
      }
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(
        JSON.stringify({
          status: reply.status ?? 'ok',
          retcode: reply.retcode ?? 0,
          data: reply.data ?? null,
          message: reply.message ?? '',
          echo: request.echo,
        }),
      );
    });
  }
}

export interface DialOptions {
  readonly selfId: string;
  readonly nickname?: string;
  /** Where the token goes: the Authorization header (default), the query string, or nowhere. */
  readonly tokenIn?: 'header' | 'query' | 'none';
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** A OneBot client in reverse mode: it dials GroupDesk, like NapCat's `websocketClients`. */
export class ReversePeer extends PeerBase {
  private closedWith: { code: number; reason: string } | undefined;

  private constructor(
    private readonly socket: WebSocket,
    selfId: string,
    nickname?: string,
  ) {
    super(selfId, nickname);
    socket.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.notify();
    });
    this.serve(socket);
  }

  /** Connects; rejects with `{ status }` in the message when the server refuses the upgrade. */
  static dial(url: string, options: DialOptions): Promise<ReversePeer> {
    const tokenIn = options.tokenIn ?? 'header';
    const target = new URL(url);
    if (tokenIn === 'query' && options.token !== undefined)
      target.searchParams.set('access_token', options.token);
    const headers: Record<string, string> = {
      'X-Self-ID': options.selfId,
      'X-Client-Role': 'Universal',
      'User-Agent': 'OneBot/11',
      ...(tokenIn === 'header' && options.token !== undefined
        ? { Authorization: `Bearer ${options.token}` }
        : {}),
      ...options.headers,
    };
    const socket = new WebSocket(target, { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new ReversePeer(socket, options.selfId, options.nickname)));
      socket.once('error', (error) => reject(error));
    });
  }

  /** Resolves with the close code once the adapter (or anyone) closes this socket. */
  async waitClosed(ms = 5000): Promise<{ code: number; reason: string }> {
    await this.waitUntil(() => this.closedWith !== undefined, ms, 'socket close');
    return this.closedWith!;
  }

  async close(): Promise<void> {
    if (this.closedWith) return;
    this.socket.close(1000, 'peer closing');
    await this.waitClosed().catch(() => this.socket.terminate());
  }

  protected current(): WebSocket {
    return this.socket;
  }
}

/** A OneBot client in forward mode: it serves WebSocket, like NapCat's `websocketServers`. */
export class ForwardPeer extends PeerBase {
  /** When false, new connections are refused with 503 (the client is "down"). */
  accepting = true;
  connections = 0;
  private readonly sockets = new Set<WebSocket>();
  private readonly http: Server;
  private readonly wss = new WebSocketServer({ noServer: true });

  private constructor(
    selfId: string,
    private readonly token: string,
    nickname?: string,
  ) {
    super(selfId, nickname);
    this.http = createServer((_q, response) => response.writeHead(426).end());
    this.http.on('upgrade', (request: IncomingMessage, socket, head) => {
      const status = !this.accepting ? 503 : this.authorised(request) ? 0 : 401;
      if (status !== 0) {
        socket.once('finish', () => socket.destroy());
        socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.sockets.add(ws);
        this.connections += 1;
        ws.on('close', () => this.sockets.delete(ws));
        this.serve(ws);
        this.notify();
      });
    });
  }

  static async listen(options: { selfId: string; token: string; nickname?: string }): Promise<ForwardPeer> {
    const peer = new ForwardPeer(options.selfId, options.token, options.nickname);
    await new Promise<void>((resolve) => peer.http.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/`;
  }

  /** Resolves once `count` connections have been accepted in total. */
  waitForConnections(count: number, ms = 5000): Promise<void> {
    return this.waitUntil(() => this.connections >= count, ms, `${count} connections`);
  }

  /** Kills every open socket without a closing handshake, like a crashed client. */
  dropAll(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  protected current(): WebSocket | undefined {
    let last: WebSocket | undefined;
    for (const socket of this.sockets) last = socket;
    return last;
  }

  private authorised(request: IncomingMessage): boolean {
    const query = new URL(request.url ?? '/', 'http://x').searchParams.get('access_token');
    return request.headers.authorization === `Bearer ${this.token}` || query === this.token;
  }
}
