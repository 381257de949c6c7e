import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../kit/logger';

/**
 * Constant-time token comparison. `timingSafeEqual` needs equal lengths, so both sides are
 * hashed first: the comparison then leaks neither the content nor the length of the secret.
 */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Tokens a OneBot client may present: `Authorization: Bearer …` and the `access_token` query parameter. */
export function presentedTokens(request: IncomingMessage): string[] {
  const tokens: string[] = [];
  const header = request.headers.authorization;
  const bearer = header === undefined ? null : /^Bearer\s+(.+)$/i.exec(header.trim());
  if (bearer?.[1] !== undefined) tokens.push(bearer[1]);
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams.get('access_token');
  if (query !== null) tokens.push(query);
  return tokens;
}

export interface ReverseServerOptions {
  readonly host: string;
  readonly port: number;
  readonly accessToken: string;
  readonly maxPayload: number;
  readonly log: Logger;
  /** A OneBot client passed the checks; `selfId` is its `X-Self-ID` header. */
  readonly onSocket: (socket: WebSocket, selfId: string) => void;
}

type Verdict =
  | { readonly ok: true; readonly selfId: string }
  | { readonly ok: false; readonly status: number; readonly why: string };

/**
 * Reverse WebSocket: GroupDesk listens and OneBot clients (NapCat, LLBot) dial in.
 * Checks run on the HTTP upgrade, before any WebSocket frame is accepted, so a refused
 * client never gets to push an event.
 * See https://github.com/botuniverse/onebot-11/blob/master/communication/ws-reverse.md
 */
export class OneBotReverseServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;

  constructor(private readonly options: ReverseServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
    this.http = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
      response.end('OneBot v11 reverse WebSocket endpoint: connect with a WebSocket client.\n');
    });
    this.http.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        resolve(this.port ?? this.options.port);
      });
    });
  }

  /** The bound port while listening. */
  get port(): number | undefined {
    const address = this.http.address();
    return typeof address === 'object' && address !== null ? (address as AddressInfo).port : undefined;
  }

  /** Stops listening. Accepted sockets are owned (and closed) by their connections. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.http.listening ? this.http.close(() => resolve()) : resolve(),
    );
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.options.log.debug('upgrade socket error', { error: error.message }));
    const verdict = this.check(request);
    if (!verdict.ok) {
      this.options.log.warn('refused a OneBot connection', {
        status: verdict.status,
        why: verdict.why,
        from: request.socket.remoteAddress,
      });
      const reason = verdict.status === 401 ? 'Unauthorized' : 'Bad Request';
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${verdict.status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.options.onSocket(ws, verdict.selfId));
  }

  private check(request: IncomingMessage): Verdict {
    const tokens = presentedTokens(request);
    if (tokens.length === 0) return { ok: false, status: 401, why: 'no access token' };
    // Compare every candidate so that timing does not tell which one was wrong.
    const matches = tokens.map((token) => tokenMatches(token, this.options.accessToken));
    if (!matches.includes(true)) return { ok: false, status: 401, why: 'wrong access token' };
    const selfId = request.headers['x-self-id'];
    if (typeof selfId !== 'string' || !/^\d{1,20}$/.test(selfId)) {
      return { ok: false, status: 400, why: 'missing or malformed X-Self-ID header' };
    }
    // Separate `API`/`Event` sockets would fight over the one connection per account.
    const role = request.headers['x-client-role'];
    if (typeof role === 'string' && role.toLowerCase() !== 'universal') {
      return { ok: false, status: 400, why: `X-Client-Role ${role} unsupported: use Universal` };
    }
    return { ok: true, selfId };
  }
}
