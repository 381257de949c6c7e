import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { RecentCache } from '../kit/cache';
import type { Logger } from '../kit/logger';

/** What the receiver checks requests against. */
export interface WebhookSecrets {
  readonly verificationToken: string;
  readonly encryptKey: string;
}

/** How far a request's timestamp may be from our clock (either way) before it is stale. */
export const MAX_SKEW_MS = 5 * 60_000;
/** Callback bodies are small JSON; anything larger is refused unread. */
const MAX_BODY = 1024 * 1024;

/** A callback that passed every check: the decrypted payload, for the SDK's dispatcher. */
export type VerifiedCallback = (payload: Record<string, unknown>) => Promise<unknown>;

/**
 * Feishu's HTTP callbacks (events and card actions), checked before anything reads them.
 * The SDK's own `adaptDefault` is not used: it answers 200 to a request that fails its
 * check, checks the signature over a re-serialised body rather than the bytes received,
 * never looks at the verification token or the timestamp, and cannot see a replay.
 * Here each request must carry `X-Lark-Signature` = hex SHA-256 of
 * `timestamp + nonce + encryptKey + raw body`, a timestamp within {@link MAX_SKEW_MS}, a
 * signature not seen before, and (after decryption with the SDK's AES cipher) the app's
 * verification token. The URL check (`url_verification`) is answered with its challenge
 * once it decrypts and carries the token. Refusals are 401s and a warning in the log.
 * See https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/encrypt-key-encryption-configuration-case.
 */
export class FeishuWebhook {
  private server: Server | undefined;
  private readonly cipher: AESCipher;
  /** Signatures of accepted requests, for as long as their timestamp would still pass. */
  private readonly signatures: RecentCache<true>;

  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly path: string,
    private readonly onCallback: VerifiedCallback,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.cipher = new AESCipher(secrets.encryptKey);
    this.signatures = new RecentCache({ max: 100_000, ttlMs: 2 * MAX_SKEW_MS, order: 'insertion', now });
  }

  /** Listens; resolves with the bound port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        this.logger.error('callback handling failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        if (!res.headersSent) answer(res, 500, { error: 'internal' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== this.path) return answer(res, 404, {});
    const raw = await readBody(req);
    if (raw === undefined) return this.refuse(res, 413, 'body too large');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return this.refuse(res, 400, 'body is not JSON');
    }
    if (typeof body.encrypt !== 'string') return this.refuse(res, 401, 'not encrypted (set an Encrypt Key)');
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(this.cipher.decrypt(body.encrypt)) as Record<string, unknown>;
    } catch {
      return this.refuse(res, 401, 'does not decrypt with FEISHU_ENCRYPT_KEY');
    }
    if (tokenOf(payload) !== this.secrets.verificationToken)
      return this.refuse(res, 401, 'wrong verification token');
    if (payload.type === 'url_verification') return answer(res, 200, { challenge: payload.challenge });
    const problem = this.signatureProblem(req, raw);
    if (problem !== undefined) return this.refuse(res, 401, problem);
    const result = await this.onCallback(payload);
    answer(res, 200, result ?? {});
  }

  private signatureProblem(req: IncomingMessage, raw: Buffer): string | undefined {
    const timestamp = header(req, 'x-lark-request-timestamp');
    const nonce = header(req, 'x-lark-request-nonce');
    const signature = header(req, 'x-lark-signature');
    if (timestamp === undefined || nonce === undefined || signature === undefined) return 'unsigned';
    const expected = createHash('sha256')
      .update(timestamp + nonce + this.secrets.encryptKey)
      .update(raw)
      .digest('hex');
    const given = Buffer.from(signature.toLowerCase(), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8')))
      return 'bad signature';
    const at = Number(timestamp) * 1000;
    if (!Number.isFinite(at) || Math.abs(this.now() - at) > MAX_SKEW_MS) return 'stale timestamp';
    if (!this.signatures.firstTime(expected, true)) return 'replayed request';
    return undefined;
  }

  private refuse(res: ServerResponse, status: number, why: string): void {
    this.logger.warn(`refused a Feishu callback: ${why}`);
    answer(res, status, { error: why });
  }
}

/** The verification token of a v2 (`header.token`) or v1 (`token`) payload. */
function tokenOf(payload: Record<string, unknown>): unknown {
  const header = payload.header as { token?: unknown } | undefined;
  return header?.token ?? payload.token;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
