/**
 * A fake Feishu open platform on 127.0.0.1 for the real SDK: the tenant_access_token
 * endpoint, bot/v3/info, im.v1 message create and reply (threads included), ephemeral
 * cards (`/open-apis/ephemeral/v1/send`, refused on demand), card updates (PATCH of a
 * shared card: `update_multi` before and after, as Feishu requires), rate limits
 * on demand, and an event sender that encrypts and signs callbacks as Feishu does
 * (AES-256-CBC with the SHA-256 of the Encrypt Key, a random IV in front, base64; then
 * `X-Lark-Signature` = hex SHA-256 of timestamp + nonce + Encrypt Key + body).
 * Written from Feishu's documentation; no code of the SDK is used to make the requests.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const APP_ID = 'cli_a1b2c3d4e5f60718';
export const APP_SECRET = 'fake-app-secret';
export const VERIFICATION_TOKEN = 'v-token-0001';
export const ENCRYPT_KEY = 'encrypt-key-0001';
export const BOT_OPEN_ID = 'ou_bot';
const TENANT_TOKEN = 't-fake-tenant-token';

/** One call the SDK made to the fake. */
export interface FeishuCall {
  readonly method: 'create' | 'reply' | 'ephemeral';
  /** create: `receive_id_type`; reply: undefined. */
  readonly receiveIdType?: string;
  /** create: the chat or user; reply: the chat of the message replied to; ephemeral: the chat. */
  readonly to: string;
  /** ephemeral: the one person who sees it. */
  readonly visibleTo?: string;
  /** reply: the message replied to. */
  readonly replyTo?: string;
  readonly replyInThread?: boolean;
  readonly msgType: string;
  /** `content`, parsed. */
  readonly content: Record<string, unknown>;
  /** The message id the fake gave the sent message, and the thread root it landed in. */
  readonly messageId: string;
  readonly rootId?: string;
}

interface StoredMessage {
  readonly chatId: string;
  readonly rootId?: string;
}

/** A sent callback's HTTP answer. */
export interface Delivery {
  readonly status: number;
  readonly body: string;
}

/** How to (mis)sign a callback, for the refusal cases. */
export interface DeliverOptions {
  readonly timestamp?: number;
  readonly nonce?: string;
  readonly signature?: string;
  /** Encrypt and sign with another key (someone who does not know the app's). */
  readonly encryptKey?: string;
}

export class FeishuPeer {
  readonly calls: FeishuCall[] = [];
  /** How many token requests came in (the SDK caches the token). */
  tokenRequests = 0;
  /** Answers 429 to the next `n` sends, with this reset header. */
  private rateLimited: { count: number; resetSeconds: number; afterSends: number } = {
    count: 0,
    resetSeconds: 0,
    afterSends: 0,
  };
  /** Every create attempt as it came in (wall clock ms, its chat), answered 429 or not. */
  readonly attempts: Array<{ readonly wall: number; readonly to: string; readonly limited: boolean }> = [];
  readonly rateLimitedAnswers: number[] = [];
  /** Card updates (PATCH), in order: the card's message id and its new content, parsed. */
  readonly patches: Array<{ messageId: string; content: Record<string, unknown> }> = [];
  /** When set, ephemeral cards are refused with this code (e.g. the person left the group). */
  ephemeralRefusal: number | undefined;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly byUuid = new Map<string, unknown>();
  /** Calls with a uuid, as sent (the fake answers a repeat without posting again). */
  readonly uuids: string[] = [];
  private nextId = 0;
  /** The last callback sent, to replay byte for byte. */
  private last: { url: string; body: string; headers: Record<string, string> } | undefined;

  /** Further endpoints by path (the long connection's), answered before any token check. */
  readonly routes = new Map<string, (raw: string, res: ServerResponse) => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly now: () => number,
  ) {}

  static async start(now: () => number = Date.now): Promise<FeishuPeer> {
    let peer: FeishuPeer | undefined;
    const server = createServer((req, res) => {
      void peer!.serve(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    peer = new FeishuPeer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, now);
    return peer;
  }

  /** The HTTP server, for a WebSocket server to share. */
  get httpServer(): Server {
    return this.server;
  }

  /** Remembers a message people sent (so replies to it find its chat and thread). */
  known(messageId: string, chatId: string, rootId?: string): void {
    this.messages.set(messageId, rootId !== undefined ? { chatId, rootId } : { chatId });
  }

  /**
   * The next `count` sends are answered 429 with `x-ogw-ratelimit-reset: resetSeconds`;
   * with `afterSends`, only once that many more sends have been accepted.
   */
  rateLimit(count: number, resetSeconds: number, afterSends = 0): void {
    this.rateLimited = { count, resetSeconds, afterSends: this.calls.length + afterSends };
  }

  /** Texts (text messages) and card texts the bot sent, with where they went. */
  sent(): Array<FeishuCall & { text: string; buttons: Array<{ label: string; command: string }> }> {
    return this.calls.map((c) => ({ ...c, ...readable(c) }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Encrypts, signs and posts one callback payload (v2 schema) to the app's request URL. */
  async deliver(
    url: string,
    payload: Record<string, unknown>,
    options: DeliverOptions = {},
  ): Promise<Delivery> {
    const key = options.encryptKey ?? ENCRYPT_KEY;
    const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(payload), key) });
    const timestamp = String(Math.floor((options.timestamp ?? this.now()) / 1000));
    const nonce = options.nonce ?? randomBytes(8).toString('hex');
    const signature =
      options.signature ??
      createHash('sha256')
        .update(timestamp + nonce + key + body)
        .digest('hex');
    const headers = {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signature,
    };
    this.last = { url, body, headers };
    return post(url, body, headers);
  }

  /** The headers of the last callback sent. */
  lastHeaders(): Record<string, string> {
    if (this.last === undefined) throw new Error('nothing sent yet');
    return { ...this.last.headers };
  }

  /** Sends the last callback again, byte for byte (a replay by someone who recorded it). */
  replay(): Promise<Delivery> {
    if (this.last === undefined) throw new Error('nothing to replay');
    return post(this.last.url, this.last.body, this.last.headers);
  }

  /** The `im.message.receive_v1` payload of a text message. */
  messageEvent(m: {
    eventId: string;
    messageId: string;
    from: string;
    chatId: string;
    text: string;
    chatType?: 'group' | 'p2p';
    mentions?: Array<{ key: string; openId: string; name: string }>;
    rootId?: string;
    threadId?: string;
    token?: string;
    /** Another message type (image, file, …) with its content; `text` is then unused. */
    type?: string;
    content?: Record<string, unknown>;
  }): Record<string, unknown> {
    this.known(m.messageId, m.chatId, m.rootId);
    return {
      schema: '2.0',
      header: {
        event_id: m.eventId,
        token: m.token ?? VERIFICATION_TOKEN,
        create_time: String(this.now()),
        event_type: 'im.message.receive_v1',
        tenant_key: 'tenant',
        app_id: APP_ID,
      },
      event: {
        sender: {
          sender_id: { open_id: m.from, union_id: `on_${m.from}` },
          sender_type: 'user',
          tenant_key: 'tenant',
        },
        message: {
          message_id: m.messageId,
          ...(m.rootId !== undefined ? { root_id: m.rootId, parent_id: m.rootId } : {}),
          ...(m.threadId !== undefined ? { thread_id: m.threadId } : {}),
          create_time: String(this.now()),
          chat_id: m.chatId,
          chat_type: m.chatType ?? 'group',
          message_type: m.type ?? 'text',
          content: JSON.stringify(m.content ?? { text: m.text }),
          mentions: (m.mentions ?? []).map((x) => ({
            key: x.key,
            id: { open_id: x.openId, union_id: `on_${x.openId}` },
            name: x.name,
            tenant_key: 'tenant',
          })),
        },
      },
    };
  }

  /** The `card.action.trigger` payload of a click on button `index` of card message `messageId`. */
  cardClick(m: { eventId: string; messageId: string; index: number; from: string }): Record<string, unknown> {
    const call = this.calls.find((c) => c.messageId === m.messageId && c.msgType === 'interactive');
    if (call === undefined) throw new Error(`no card ${m.messageId}`);
    const actions = (
      this.card(m.messageId)!.elements as Array<{ tag: string; actions?: Array<{ value: unknown }> }>
    ).find((e) => e.tag === 'action')?.actions;
    const button = actions?.[m.index];
    if (button === undefined) throw new Error(`card ${m.messageId} has no button ${m.index}`);
    return {
      schema: '2.0',
      header: {
        event_id: m.eventId,
        token: VERIFICATION_TOKEN,
        create_time: String(this.now()),
        event_type: 'card.action.trigger',
        tenant_key: 'tenant',
        app_id: APP_ID,
      },
      event: {
        operator: { open_id: m.from, union_id: `on_${m.from}`, tenant_key: 'tenant' },
        token: 'c-card-token',
        action: { tag: 'button', value: button.value },
        host: 'im_message',
        context: {
          open_message_id: m.messageId,
          open_chat_id: this.messages.get(m.messageId)?.chatId ?? call.to,
        },
      },
    };
  }

  /** A card as it shows now: as sent, or as last updated. */
  card(messageId: string): Record<string, unknown> | undefined {
    const patched = this.patches.findLast((p) => p.messageId === messageId);
    return patched?.content ?? this.calls.find((c) => c.messageId === messageId)?.content;
  }

  /** The card of `messageId` as a person reads it now. */
  cardNow(messageId: string): ReturnType<typeof readable> & { notes: string[] } {
    const content = this.card(messageId) ?? {};
    const notes = ((content.elements ?? []) as Array<{ tag: string; elements?: Array<{ content: string }> }>)
      .filter((e) => e.tag === 'note')
      .map((e) => (e.elements ?? []).map((x) => x.content).join(' '));
    return { ...readable({ msgType: 'interactive', content }), notes };
  }

  /** PATCH of a card: only of a shared card the bot sent, still shared after the update. */
  private patch(messageId: string, body: Record<string, unknown>, json: Answer): void {
    const call = this.calls.find((c) => c.messageId === messageId);
    if (call === undefined) return void json(400, { code: 230011, msg: 'The message is recalled.' });
    if (call.method === 'ephemeral' || call.msgType !== 'interactive')
      return void json(400, { code: 230001, msg: 'only shared cards can be updated' });
    const content = JSON.parse(String(body.content)) as Record<string, unknown>;
    const shared = (c: Record<string, unknown> | undefined) =>
      (c?.config as { update_multi?: unknown } | undefined)?.update_multi === true;
    if (!shared(this.card(messageId)) || !shared(content))
      return void json(400, { code: 230099, msg: 'update_multi must be true before and after' });
    this.patches.push({ messageId, content });
    json(200, { code: 0, msg: 'success', data: {} });
  }

  /** An ephemeral card: the card as an object (not a JSON string), to one person in a group. */
  private ephemeral(body: Record<string, unknown>, json: Answer): void {
    const { chat_id: chat, open_id: openId, msg_type: msgType, card } = body;
    if (typeof chat !== 'string' || !chat.startsWith('oc_') || typeof openId !== 'string')
      return void json(400, { code: 99992402, msg: 'field validation failed' });
    if (msgType !== 'interactive' || typeof card !== 'object' || card === null)
      return void json(400, { code: 99992402, msg: 'only interactive cards' });
    if (this.ephemeralRefusal !== undefined)
      return void json(400, { code: this.ephemeralRefusal, msg: 'ephemeral card refused' });
    const messageId = `om_eph_${++this.nextId}`;
    this.messages.set(messageId, { chatId: chat });
    this.calls.push({
      method: 'ephemeral',
      to: chat,
      visibleTo: openId,
      msgType: 'interactive',
      content: card as Record<string, unknown>,
      messageId,
    });
    json(200, { code: 0, msg: 'ok', data: { message_id: messageId } });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const route = this.routes.get(url.pathname);
    if (route !== undefined) return route(raw, res);
    if (url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      this.tokenRequests += 1;
      const body = JSON.parse(raw || '{}') as { app_id?: string; app_secret?: string };
      if (body.app_id !== APP_ID || body.app_secret !== APP_SECRET)
        return json(200, { code: 10014, msg: 'app secret invalid' });
      return json(200, { code: 0, msg: 'ok', tenant_access_token: TENANT_TOKEN, expire: 7200 });
    }
    if (req.headers.authorization !== `Bearer ${TENANT_TOKEN}`)
      return json(401, { code: 99991663, msg: 'Invalid access token for authorization' });
    if (req.method === 'GET' && url.pathname === '/open-apis/bot/v3/info')
      return json(200, {
        code: 0,
        msg: 'ok',
        bot: { open_id: BOT_OPEN_ID, app_name: 'GroupDesk', activate_status: 2 },
      });
    const patched = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patched)
      return this.patch(patched[1]!, JSON.parse(raw || '{}') as Record<string, unknown>, json);
    if (req.method === 'POST' && url.pathname === '/open-apis/ephemeral/v1/send')
      return this.ephemeral(JSON.parse(raw || '{}') as Record<string, unknown>, json);
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(url.pathname);
    const create = url.pathname === '/open-apis/im/v1/messages';
    if (req.method !== 'POST' || (!reply && !create)) return json(404, { code: 404, msg: 'not found' });
    const limited = this.rateLimited.count > 0 && this.calls.length >= this.rateLimited.afterSends;
    const to = String((JSON.parse(raw || '{}') as { receive_id?: unknown }).receive_id ?? '');
    this.attempts.push({ wall: Date.now(), to, limited });
    if (limited) {
      this.rateLimited.count -= 1;
      this.rateLimitedAnswers.push(this.now());
      return json(
        429,
        { code: 99991400, msg: 'request trigger frequency limit' },
        { 'x-ogw-ratelimit-limit': '5', 'x-ogw-ratelimit-reset': String(this.rateLimited.resetSeconds) },
      );
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    // At most one message per uuid (Feishu keeps them an hour): the same answer again.
    const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
    if (uuid !== undefined) this.uuids.push(uuid);
    const earlier = uuid !== undefined ? this.byUuid.get(uuid) : undefined;
    if (earlier !== undefined) return json(200, earlier);
    const answer = (data: unknown) => {
      if (uuid !== undefined) this.byUuid.set(uuid, data);
      json(200, data);
    };
    const messageId = `om_bot_${++this.nextId}`;
    const content = JSON.parse(String(body.content)) as Record<string, unknown>;
    if (create) {
      const receiveIdType = url.searchParams.get('receive_id_type') ?? '';
      const to = String(body.receive_id);
      this.messages.set(messageId, { chatId: to });
      this.calls.push({
        method: 'create',
        receiveIdType,
        to,
        msgType: String(body.msg_type),
        content,
        messageId,
      });
      return answer({
        code: 0,
        msg: 'success',
        data: { message_id: messageId, chat_id: to, msg_type: body.msg_type },
      });
    }
    const parent = this.messages.get(reply![1]!);
    if (parent === undefined)
      return json(400, { code: 230011, msg: 'The message was withdrawn or not found.' });
    const inThread = body.reply_in_thread === true;
    const rootId = parent.rootId ?? reply![1]!;
    this.messages.set(messageId, { chatId: parent.chatId, rootId });
    this.calls.push({
      method: 'reply',
      to: parent.chatId,
      replyTo: reply![1]!,
      replyInThread: inThread,
      msgType: String(body.msg_type),
      content,
      messageId,
      rootId,
    });
    return answer({
      code: 0,
      msg: 'success',
      data: {
        message_id: messageId,
        root_id: rootId,
        parent_id: reply![1],
        ...(inThread ? { thread_id: `omt_${rootId}` } : {}),
        chat_id: parent.chatId,
      },
    });
  }
}

/** Answers a JSON body with a status. */
type Answer = (status: number, body: unknown) => void;

/** A sent message as a person reads it: a text message's text, or a card's text and buttons. */
function readable(c: Pick<FeishuCall, 'msgType' | 'content'>): {
  text: string;
  buttons: Array<{ label: string; command: string }>;
} {
  if (c.msgType === 'text') return { text: String(c.content.text), buttons: [] };
  const elements = (c.content.elements ?? []) as Array<Record<string, unknown>>;
  const text = elements
    .filter((e) => e.tag === 'div')
    .map((e) => String((e.text as { content: string }).content))
    .join('\n');
  const actions = (elements.find((e) => e.tag === 'action')?.actions ?? []) as Array<{
    text: { content: string };
    value: { groupdesk: string };
  }>;
  return { text, buttons: actions.map((a) => ({ label: a.text.content, command: a.value.groupdesk })) };
}

function encrypt(plain: string, key: string): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Delivery> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, body: await res.text() };
}

async function readAll(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  return raw;
}
