import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call or response_url post as the fake received it. */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`) or `response_url` for posts to a response URL. */
  readonly method: string;
  /** Form fields (JSON-looking values such as `blocks` parsed) or the JSON body. */
  readonly params: Record<string, unknown>;
  readonly headers: IncomingHttpHeaders;
  /** Path, for response_url posts (`/response/<id>`). */
  readonly path: string;
  readonly at: number;
  /** The JSON body the fake answered with (e.g. the `ts` it gave a posted message). */
  readonly answer: unknown;
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

/**
 * A local stand-in for Slack's Web API (`SLACK_API_URL=<apiUrl>`) and for response URLs.
 * Records every call; answers auth.test, chat.postMessage, chat.postEphemeral and
 * apps.connections.open like Slack does; tests can queue special answers (429s, errors).
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** What apps.connections.open returns as the WebSocket URL. */
  socketUrl = 'ws://127.0.0.1:1/';
  botToken = 'xoxb-test-token';
  appToken = 'xapp-1-test-token';
  private readonly queued = new Map<string, Answer[]>();
  private waiters: Array<() => boolean> = [];
  private tsCounter = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeSlackApi> {
    const server = createServer();
    const fake = new FakeSlackApi(server);
    server.on('request', (req, res) => {
      void readBody(req).then((raw) => {
        const answer = fake.record(req, raw);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Value for SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A response_url pointing at this fake. */
  responseUrl(id: string): string {
    return `${this.baseUrl}/response/${id}`;
  }

  /** The next `times` calls of `method` get this answer instead of the normal one. */
  answerNext(method: string, answer: Answer, times = 1): void {
    const list = this.queued.get(method) ?? [];
    for (let i = 0; i < times; i += 1) list.push(answer);
    this.queued.set(method, list);
  }

  /** The next call of `method` gets HTTP 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, seconds: number): void {
    this.answerNext(method, {
      status: 429,
      headers: { 'retry-after': String(seconds) },
      body: { ok: false },
    });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `count` calls of `method` have arrived (rejects after `ms`). */
  async waitForCalls(method: string, count: number, ms = 5000): Promise<RecordedCall[]> {
    const done = () => this.callsOf(method).length >= count;
    if (!done()) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`only ${this.callsOf(method).length}/${count} ${method} calls arrived`));
        }, ms);
        const check = () => {
          if (!done()) return false;
          clearTimeout(timer);
          resolve();
          return true;
        };
        this.waiters.push(check);
      });
    }
    return this.callsOf(method);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(req: IncomingMessage, raw: string): Answer {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isResponseUrl = path.startsWith('/response/');
    const method = isResponseUrl ? 'response_url' : path.replace(/^\/api\//, '');
    const params = isResponseUrl ? parseJson(raw) : parseForm(raw);
    const answer =
      this.queued.get(method)?.shift() ?? this.answer(method, params, req.headers.authorization ?? '');
    this.calls.push({ method, params, headers: req.headers, path, at: Date.now(), answer: answer.body });
    this.waiters = this.waiters.filter((check) => !check());
    return answer;
  }

  private answer(method: string, params: Record<string, unknown>, auth: string): Answer {
    const ok = (body: object): Answer => ({ status: 200, body: { ok: true, ...body } });
    if (method === 'response_url') return ok({});
    if (method === 'apps.connections.open') {
      if (auth !== `Bearer ${this.appToken}`)
        return { status: 200, body: { ok: false, error: 'invalid_auth' } };
      return ok({ url: this.socketUrl });
    }
    if (auth !== `Bearer ${this.botToken}`)
      return { status: 200, body: { ok: false, error: 'invalid_auth' } };
    switch (method) {
      case 'auth.test':
        return ok({ user_id: 'UBOT', user: 'groupdesk', bot_id: 'BBOT', team_id: 'T1', team: 'Vendor' });
      case 'chat.postMessage':
        return ok({ channel: params.channel, ts: this.nextTs(), message: { text: params.text } });
      case 'chat.postEphemeral':
        return ok({ message_ts: this.nextTs() });
      default:
        return { status: 200, body: { ok: false, error: 'unknown_method' } };
    }
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000${String(this.tsCounter).padStart(3, '0')}.000100`;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? parseJsonValue(value) : value;
  }
  return out;
}

function parseJson(raw: string): Record<string, unknown> {
  const value = parseJsonValue(raw);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : { raw };
}

function parseJsonValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
