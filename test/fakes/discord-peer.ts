import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local stand-in for Discord's REST API and gateway, enough for discord.js 14 to log in,
 * receive dispatches, reconnect and resume, and for tests to assert the REST calls made.
 * https://discord.com/developers/docs/events/gateway
 */

export interface RestCall {
  readonly method: string;
  /** Path after `/api/v10`, e.g. `/channels/1/messages`. */
  readonly path: string;
  readonly query: string;
  readonly body: Record<string, unknown> | undefined;
  readonly auth: string | undefined;
}

export interface PeerGuild {
  readonly id: string;
  readonly channels: ReadonlyArray<{ id: string; name: string; type?: number }>;
  readonly threads?: ReadonlyArray<{ id: string; name: string; parentId: string }>;
}

interface Dispatch {
  readonly op: 0;
  readonly t: string;
  readonly s: number;
  readonly d: unknown;
}

let nextId = 900_000_000_000_000_000n;
/** A fresh snowflake-shaped id. */
export const snowflake = (): string => String(nextId++);

export const userJson = (id: string, username: string, bot = false) => ({
  id,
  username,
  discriminator: '0',
  global_name: null,
  avatar: null,
  bot,
});

export class DiscordPeer extends EventEmitter {
  readonly calls: RestCall[] = [];
  readonly history: Dispatch[] = [];
  readonly sessionId = 'session-1';
  /** On resume, replay this many already-delivered events too (real gateways may overlap). */
  resumeOverlap = 0;
  /** What the last resume sent again. */
  replayed: readonly Dispatch[] = [];
  /** Channels deleted on the fake Discord: posting to one answers 404 Unknown Channel (10003). */
  readonly deletedChannels = new Set<string>();
  private seq = 0;
  private socket: WebSocket | undefined;
  private live = false;
  private readonly threadByMessage = new Map<string, string>();
  private readonly threadParents = new Map<string, string>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  private constructor(
    readonly options: {
      botId: string;
      applicationId: string;
      guilds: readonly PeerGuild[];
      /** Sent in Hello; Discord uses about 41 s, tests that exercise heartbeats use less. */
      heartbeatMs?: number;
    },
  ) {
    super();
    this.http = createServer((req, res) => void this.onRest(req, res));
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  static async start(options: DiscordPeer['options']): Promise<DiscordPeer> {
    const peer = new DiscordPeer(options);
    peer.http.listen(0, '127.0.0.1');
    await once(peer.http, 'listening');
    return peer;
  }

  private get origin(): string {
    return `127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** The value for DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://${this.origin}/api`;
  }

  /** Sends a dispatch now, or keeps it for replay while the client is away. */
  dispatch(t: string, d: unknown): void {
    const payload: Dispatch = { op: 0, t, s: ++this.seq, d };
    this.history.push(payload);
    if (this.live) this.socket?.send(JSON.stringify(payload));
  }

  /** The thread started on a message, if any. */
  threadOf(messageId: string): string | undefined {
    return this.threadByMessage.get(messageId);
  }

  /** The channel a thread started here belongs to. */
  parentOf(threadId: string): string | undefined {
    return this.threadParents.get(threadId);
  }

  /** Asks the client to reconnect (op 7); it will come back with a Resume. */
  requestReconnect(): void {
    this.live = false;
    this.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** Closes the gateway connection with a close code, as Discord does on fatal errors. */
  closeGateway(code: number): void {
    this.live = false;
    this.socket?.close(code);
  }

  /** Resolves with the first recorded call (past or future) that matches. */
  async waitForCall(match: (call: RestCall) => boolean, ms = 5000): Promise<RestCall> {
    const found = this.calls.find(match);
    if (found) return found;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), ms);
    try {
      for (;;) {
        const [call] = (await once(this, 'rest', { signal: controller.signal })) as [RestCall];
        if (match(call)) return call;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    this.live = false;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatMs ?? 45_000 } }));
    ws.on('message', (raw) => {
      const { op, d } = JSON.parse(String(raw)) as { op: number; d: { seq?: number } | null };
      if (op === 1) ws.send(JSON.stringify({ op: 11 }));
      if (op === 2) this.identify();
      if (op === 6) this.resume(ws, d?.seq ?? 0);
      this.emit('gateway', op);
    });
  }

  private identify(): void {
    const { botId, applicationId, guilds } = this.options;
    this.live = true;
    this.dispatch('READY', {
      v: 10,
      user: userJson(botId, 'GroupDesk', true),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: this.sessionId,
      resume_gateway_url: `ws://${this.origin}/resume`,
      application: { id: applicationId, flags: 0 },
      shard: [0, 1],
    });
    for (const guild of guilds) this.dispatch('GUILD_CREATE', this.guildJson(guild));
  }

  private resume(ws: WebSocket, seq: number): void {
    this.replayed = this.history.filter((p) => p.s > seq - this.resumeOverlap);
    for (const payload of this.replayed) ws.send(JSON.stringify(payload));
    this.live = true;
    ws.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
  }

  private guildJson(guild: PeerGuild) {
    return {
      id: guild.id,
      name: `guild ${guild.id}`,
      unavailable: false,
      owner_id: this.options.botId,
      member_count: 2,
      roles: [{ id: guild.id, name: '@everyone', permissions: '0', position: 0, color: 0, flags: 0 }],
      channels: guild.channels.map((c) => ({ id: c.id, name: c.name, type: c.type ?? 0, position: 0 })),
      threads: (guild.threads ?? []).map((t) => this.threadJson(t.id, t.parentId, t.name, guild.id)),
      members: [],
      emojis: [],
      stickers: [],
      features: [],
      joined_at: new Date(0).toISOString(),
    };
  }

  private threadJson(id: string, parentId: string, name: string, guildId: string) {
    const metadata = { archived: false, auto_archive_duration: 10080, archive_timestamp: '', locked: false };
    return { id, type: 11, guild_id: guildId, parent_id: parentId, name, thread_metadata: metadata };
  }

  private messageJson(channelId: string, body: Record<string, unknown> | undefined) {
    return {
      ...body,
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      author: userJson(this.options.botId, 'GroupDesk', true),
      content: body?.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
    };
  }

  private async onRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += String(chunk);
    const url = new URL(req.url ?? '/', 'http://peer');
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, '');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const call = {
      method: req.method ?? 'GET',
      path,
      query: url.search,
      body,
      auth: req.headers.authorization,
    };
    this.calls.push(call);
    this.emit('rest', call);
    const [status, answer] = this.route(call);
    if (answer === undefined) {
      res.writeHead(status).end(); // a 204 with a JSON content-type crashes discord.js
    } else {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    }
  }

  private route({ method, path, body, auth }: RestCall): [number, unknown] {
    const open = path.startsWith('/interactions/') || path.startsWith('/webhooks/');
    if (!open && auth !== 'Bot test-token') return [401, { message: '401: Unauthorized', code: 0 }];
    for (const [verb, pattern, answer] of this.routes) {
      const match = verb === method ? pattern.exec(path) : null;
      if (match) return answer(match.slice(1), body);
    }
    return [404, { message: '404: Not Found', code: 0 }];
  }

  private readonly routes: Array<
    [string, RegExp, (ids: string[], body: RestCall['body']) => [number, unknown]]
  > = [
    [
      'GET',
      /^\/gateway\/bot$/,
      () => {
        const limit = { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 };
        return [200, { url: `ws://${this.origin}`, shards: 1, session_start_limit: limit }];
      },
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages$/,
      ([channelId = ''], body) =>
        this.deletedChannels.has(channelId)
          ? [404, { message: 'Unknown Channel', code: 10003 }]
          : [200, this.messageJson(channelId, body)],
    ],
    [
      'POST',
      /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
      ([channelId = '', messageId = ''], body) => {
        if (this.threadByMessage.has(messageId)) {
          return [400, { message: 'A thread has already been created for this message', code: 160004 }];
        }
        const guildId = this.options.guilds.find((g) => g.channels.some((c) => c.id === channelId))?.id ?? '';
        const thread = this.threadJson(snowflake(), channelId, String(body?.name), guildId);
        this.threadByMessage.set(messageId, thread.id);
        this.threadParents.set(thread.id, channelId);
        return [201, thread];
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)$/,
      ([channelId = '']) => {
        const parentId = this.threadParents.get(channelId);
        const guild = this.options.guilds.find((g) =>
          g.channels.some((c) => c.id === (parentId ?? channelId)),
        );
        const channel = guild?.channels.find((c) => c.id === channelId);
        if (guild && parentId) return [200, this.threadJson(channelId, parentId, 'ticket', guild.id)];
        if (guild && channel) return [200, { ...channel, type: channel.type ?? 0, guild_id: guild.id }];
        return [404, { message: 'Unknown Channel', code: 10003 }];
      },
    ],
    [
      'GET',
      /^\/channels\/(\d+)\/messages\/(\d+)$/,
      ([channelId = '', messageId = '']) => {
        const threadId = this.threadByMessage.get(messageId);
        const message = { ...this.messageJson(channelId, {}), id: messageId };
        return [200, threadId ? { ...message, thread: { id: threadId, type: 11 } } : message];
      },
    ],
    [
      'POST',
      /^\/users\/@me\/channels$/,
      (_, body) => [
        200,
        { id: snowflake(), type: 1, recipients: [userJson(String(body?.recipient_id), 'someone')] },
      ],
    ],
    ['POST', /^\/interactions\/\d+\/[^/]+\/callback$/, () => [204, undefined]],
    ['DELETE', /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, () => [204, undefined]],
    [
      'PATCH',
      /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/,
      (_, body) => [200, this.messageJson('0', body)],
    ],
    ['POST', /^\/webhooks\/\d+\/[^/]+$/, (_, body) => [200, this.messageJson('0', body)]],
    [
      'PUT',
      /^\/applications\/\d+(?:\/guilds\/\d+)?\/commands$/,
      (_, body) => [200, (body as unknown as object[]).map((c) => ({ ...c, id: snowflake() }))],
    ],
  ];
}
