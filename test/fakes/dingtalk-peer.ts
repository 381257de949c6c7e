/**
 * A fake DingTalk open platform on 127.0.0.1, for the real `dingtalk-stream` SDK and the
 * adapter: the Stream gateway registration (`POST /v1.0/gateway/connections/open`, which
 * answers the WebSocket endpoint and a one-time ticket), the Stream WebSocket itself
 * (callbacks go out as `{specVersion, type: CALLBACK, headers, data}` frames as DingTalk
 * sends them; the client's acknowledgements are kept), the token endpoint
 * (`POST /v1.0/oauth2/accessToken`), session webhooks that expire, and the OpenAPI sends
 * (`robot/groupMessages/send`, `robot/oToMessages/batchSend`). Every send is recorded;
 * `failNext` makes a route answer 429, 5xx or an error code.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export const CLIENT_ID = 'dingfakeclientid';
export const CLIENT_SECRET = 'fake-client-secret';
export const BOT_ID = '$:LWCP_v1:$robot';

export type Route = 'gateway' | 'token' | 'webhook' | 'openapi';

export interface Sent {
  readonly via: 'webhook' | 'group' | 'direct';
  /** The conversation (webhook, group) or the user ids (direct). */
  readonly to: string;
  readonly kind: 'text' | 'actionCard';
  readonly text: string;
  readonly atUserIds: readonly string[];
  readonly buttons: readonly { title: string; url: string }[];
  readonly at: number;
}

export interface Failure {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** A place in the failure queue that lets its request through (failAfter). */
const PASS: Failure = { status: 200 };

export interface RobotMessageOptions {
  readonly msgId?: string;
  readonly conversationId: string;
  readonly group?: boolean;
  readonly staffId?: string;
  readonly senderId?: string;
  readonly nick?: string;
  readonly text?: string;
  readonly msgtype?: string;
  readonly content?: unknown;
  readonly atUsers?: readonly { dingtalkId?: string; staffId?: string }[];
  /** How long the message's session webhook stays valid (ms); DingTalk gives about 90 minutes. */
  readonly webhookTtlMs?: number;
}

let seq = 0;

export class DingtalkPeer {
  readonly sent: Sent[] = [];
  /** Every acknowledgement frame the client sent, parsed. */
  readonly acks: Array<{ messageId: string; data: unknown }> = [];
  /** Each request per route, in order, with the fake clock's time. */
  readonly requests: Array<{ route: Route; at: number; wall: number; to: string; failed: boolean }> = [];
  tokensIssued = 0;
  private readonly failures = new Map<Route, Failure[]>();
  private readonly tickets = new Set<string>();
  private readonly tokens = new Set<string>();
  private socket: WebSocket | undefined;
  private connectWaiters: Array<() => void> = [];
  private ackWaiters: Array<() => boolean> = [];

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly now: () => number,
  ) {}

  static async start(now: () => number = Date.now): Promise<DingtalkPeer> {
    const wss = new WebSocketServer({ noServer: true });
    let peer: DingtalkPeer | undefined;
    const server = createServer((req, res) => void peer!.route(req, res));
    peer = new DingtalkPeer(server, wss, now);
    server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/connect' || !peer!.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => peer!.attach(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Once `after` more requests to `route` have come in, the `count` after them get `failure`. */
  failAfter(route: Route, after: number, failure: Failure, count = 1): void {
    const list = this.failures.get(route) ?? [];
    for (let i = 0; i < after; i++) list.push(PASS);
    this.failNext(route, failure, count);
  }

  /** The next `count` requests to `route` get `failure` instead. */
  failNext(route: Route, failure: Failure, count = 1): void {
    const list = this.failures.get(route) ?? [];
    for (let i = 0; i < count; i++) list.push(failure);
    this.failures.set(route, list);
  }

  connected(): Promise<void> {
    if (this.socket !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** A robot callback's data, as DingTalk sends it for a message that @mentions the robot. */
  robotMessage(o: RobotMessageOptions): Record<string, unknown> {
    seq += 1;
    const group = o.group ?? true;
    const createAt = this.now();
    const webhookToken = randomUUID();
    const expiresAt = createAt + (o.webhookTtlMs ?? 90 * 60_000);
    return {
      msgId: o.msgId ?? `msg${seq}`,
      msgtype: o.msgtype ?? 'text',
      ...(o.msgtype === undefined || o.msgtype === 'text' ? { text: { content: ` ${o.text ?? ''}` } } : {}),
      ...(o.content !== undefined ? { content: o.content } : {}),
      conversationId: o.conversationId,
      conversationType: group ? '2' : '1',
      ...(group ? { conversationTitle: `group ${o.conversationId}`, isInAtList: true } : {}),
      senderId: o.senderId ?? `$:LWCP_v1:$${o.staffId ?? 'outsider'}`,
      ...(o.staffId !== undefined ? { senderStaffId: o.staffId } : {}),
      senderNick: o.nick ?? o.staffId ?? 'someone',
      senderCorpId: 'dingcorp',
      chatbotCorpId: 'dingcorp',
      chatbotUserId: BOT_ID,
      robotCode: CLIENT_ID,
      isAdmin: false,
      atUsers: [{ dingtalkId: BOT_ID }, ...(o.atUsers ?? [])],
      createAt,
      sessionWebhook: `${this.url}/robot/sendBySession?session=${webhookToken}&conversation=${encodeURIComponent(o.conversationId)}&expires=${expiresAt}`,
      sessionWebhookExpiredTime: expiresAt,
    };
  }

  /** Pushes a robot callback frame; returns the frame's messageId (what the ack names). */
  push(data: Record<string, unknown>, frameId = `frame-${++seq}`): string {
    this.frame({
      specVersion: '1.0',
      type: 'CALLBACK',
      headers: {
        appId: 'fakeapp',
        connectionId: 'conn-1',
        contentType: 'application/json',
        messageId: frameId,
        time: String(this.now()),
        topic: '/v1.0/im/bot/messages/get',
      },
      data: JSON.stringify(data),
    });
    return frameId;
  }

  /** Sends any frame, or raw text, down the Stream socket. */
  frame(frame: unknown): void {
    if (this.socket === undefined) throw new Error('no Stream client connected');
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves once an acknowledgement for `frameId` has arrived. */
  acked(frameId: string, ms = 5000): Promise<void> {
    const seen = () => this.acks.some((a) => a.messageId === frameId);
    if (seen()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${frameId}`)), ms);
      this.ackWaiters.push(() => {
        if (!seen()) return false;
        clearTimeout(timer);
        resolve();
        return true;
      });
    });
  }

  /** Stream sockets open now. */
  clients(): number {
    return [...this.wss.clients].filter((ws) => ws.readyState === ws.OPEN).length;
  }

  /** Drops the Stream connection, as the server does on a deploy. */
  dropConnection(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private attach(ws: WebSocket): void {
    this.socket = ws;
    ws.on('message', (raw) => {
      try {
        const frame = JSON.parse(String(raw)) as { headers?: { messageId?: string }; data?: string };
        const messageId = frame.headers?.messageId;
        if (messageId === undefined) return;
        this.acks.push({ messageId, data: frame.data ? JSON.parse(frame.data) : undefined });
        this.ackWaiters = this.ackWaiters.filter((done) => !done());
      } catch {
        // Not an acknowledgement.
      }
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined;
    });
    for (const w of this.connectWaiters.splice(0)) w();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return answer(res, 400, { code: 'InvalidParameter', message: 'body is not JSON' });
    }
    const route: Route | undefined =
      url.pathname === '/v1.0/gateway/connections/open'
        ? 'gateway'
        : url.pathname === '/v1.0/oauth2/accessToken'
          ? 'token'
          : url.pathname === '/robot/sendBySession'
            ? 'webhook'
            : url.pathname.startsWith('/v1.0/robot/')
              ? 'openapi'
              : undefined;
    if (route === undefined || req.method !== 'POST') return answer(res, 404, { code: 'NotFound' });
    const failure = this.failures.get(route)?.shift();
    const failed = failure !== undefined && failure !== PASS;
    const to = String(body.openConversationId ?? '');
    this.requests.push({ route, at: this.now(), wall: Date.now(), to, failed });
    if (failed) return answer(res, failure.status, failure.body ?? {}, failure.headers);
    switch (route) {
      case 'gateway': {
        if (body.clientId !== CLIENT_ID || body.clientSecret !== CLIENT_SECRET)
          return answer(res, 401, { code: 'Unauthorized', message: 'clientId or clientSecret wrong' });
        const ticket = randomUUID();
        this.tickets.add(ticket);
        return answer(res, 200, { endpoint: `${this.url.replace('http', 'ws')}/connect`, ticket });
      }
      case 'token': {
        if (body.appKey !== CLIENT_ID || body.appSecret !== CLIENT_SECRET)
          return answer(res, 400, { code: 'invalidClientIdOrSecret', message: 'wrong appKey or appSecret' });
        const token = `token-${++this.tokensIssued}`;
        this.tokens.add(token);
        return answer(res, 200, { accessToken: token, expireIn: 7200 });
      }
      case 'webhook': {
        if (Number(url.searchParams.get('expires')) <= this.now())
          return answer(res, 200, { errcode: 300001, errmsg: 'session webhook expired' });
        const to = url.searchParams.get('conversation') ?? '';
        const msg = body as {
          msgtype?: string;
          text?: { content?: string };
          at?: { atUserIds?: string[]; isAtAll?: boolean };
          actionCard?: { text?: string; btns?: { title: string; actionURL: string }[] };
        };
        if (msg.at?.isAtAll) throw new Error('the adapter asked to notify everyone');
        this.record({
          via: 'webhook',
          to,
          kind: msg.msgtype === 'actionCard' ? 'actionCard' : 'text',
          text: msg.text?.content ?? markdownToText(msg.actionCard?.text ?? ''),
          atUserIds: msg.at?.atUserIds ?? [],
          buttons: (msg.actionCard?.btns ?? []).map((b) => ({ title: b.title, url: b.actionURL })),
        });
        return answer(res, 200, { errcode: 0, errmsg: 'ok' });
      }
      case 'openapi': {
        const token = req.headers['x-acs-dingtalk-access-token'];
        if (typeof token !== 'string' || !this.tokens.has(token))
          return answer(res, 401, { code: 'InvalidAuthentication', message: 'token invalid' });
        if (body.robotCode !== CLIENT_ID)
          return answer(res, 400, { code: 'invalidParameter', message: 'robotCode' });
        const param = JSON.parse(String(body.msgParam ?? '{}')) as Record<string, string>;
        const key = String(body.msgKey);
        const buttons: { title: string; url: string }[] = [];
        if (key === 'sampleActionCard')
          buttons.push({ title: param.singleTitle ?? '', url: param.singleURL ?? '' });
        for (let i = 1; param[`actionTitle${i}`] !== undefined; i++)
          buttons.push({ title: param[`actionTitle${i}`]!, url: param[`actionURL${i}`] ?? '' });
        const direct = url.pathname === '/v1.0/robot/oToMessages/batchSend';
        if (!direct && url.pathname !== '/v1.0/robot/groupMessages/send') return answer(res, 404, {});
        this.record({
          via: direct ? 'direct' : 'group',
          to: direct ? (body.userIds as string[]).join(',') : String(body.openConversationId),
          kind: key.startsWith('sampleActionCard') ? 'actionCard' : 'text',
          text: key === 'sampleText' ? (param.content ?? '') : markdownToText(param.text ?? ''),
          atUserIds: [],
          buttons,
        });
        return answer(res, 200, { processQueryKey: `pqk-${++seq}` });
      }
    }
  }

  private record(s: Omit<Sent, 'at'>): void {
    this.sent.push({ ...s, at: this.now() });
  }
}

/** What a reader sees of DingTalk markdown that holds only escaped text: escapes and entities undone. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/ {2}\n/g, '\n')
    .replace(/\\([\\`*_[\]#|~])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
