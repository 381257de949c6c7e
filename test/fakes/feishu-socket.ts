/**
 * The long-connection side of the fake Feishu open platform: the endpoint the SDK's
 * WSClient pulls (`POST /callback/ws/endpoint`) and the WebSocket it then opens, speaking
 * Feishu's frames: protobuf `Frame { SeqID=1, LogID=2, service=3, method=4 (0 control,
 * 1 data), headers=5 (repeated { key=1, value=2 }), payloadEncoding=6, payloadType=7,
 * payload=8, LogIDNew=9 }`. Pings are answered with pongs; events go out as data frames
 * with `type: event`; the client's answers (the same frame with a JSON payload) are kept.
 * The frames are encoded here by hand (varints and length-delimited fields), not by the SDK.
 */
import type { ServerResponse } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_ID, APP_SECRET, type FeishuPeer } from './feishu-peer';

export interface Frame {
  readonly seqId: number;
  readonly logId: number;
  readonly service: number;
  readonly method: number;
  readonly headers: Record<string, string>;
  readonly payload?: Buffer | undefined;
}

export class FeishuSocket {
  /** Frames the client sent that answer an event: their payload parsed. */
  readonly answers: Array<{ messageId: string; payload: unknown }> = [];
  pings = 0;
  /** Connections the client opened, in all. */
  connections = 0;
  private socket: WebSocket | undefined;
  private connectedWaiters: Array<() => void> = [];
  private answerWaiters: Array<{ count: number; resolve: () => void }> = [];
  private seq = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly peer: FeishuPeer,
  ) {
    wss.on('connection', (socket) => {
      this.connections += 1;
      this.socket = socket;
      socket.on('message', (data) => this.onFrame(decodeFrame(data as Buffer)));
      for (const w of this.connectedWaiters.splice(0)) w();
    });
    peer.routes.set('/callback/ws/endpoint', (raw, res) => this.endpoint(raw, res));
  }

  /** Adds the long connection to a running fake open platform (same host, as FEISHU_DOMAIN is one URL). */
  static attach(peer: FeishuPeer): FeishuSocket {
    return new FeishuSocket(new WebSocketServer({ server: peer.httpServer, path: '/ws' }), peer);
  }

  /** Resolves once a client is connected. */
  connected(): Promise<void> {
    if (this.socket !== undefined) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Resolves once the client has answered `count` event frames in all. */
  answered(count: number): Promise<void> {
    if (this.answers.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.answerWaiters.push({ count, resolve }));
  }

  /** Pushes one event (a v2 payload, as JSON) in a data frame. */
  push(payload: Record<string, unknown>, messageId = `frame_${++this.seq}`): void {
    if (this.socket === undefined) throw new Error('no client connected');
    this.socket.send(
      encodeFrame({
        seqId: this.seq,
        logId: this.seq,
        service: 1,
        method: 1,
        headers: { type: 'event', message_id: messageId, sum: '1', seq: '0', trace_id: `trace_${messageId}` },
        payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  }

  /** Drops the client's connection (it reconnects by itself). */
  drop(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onFrame(frame: Frame): void {
    if (frame.method === 0 && frame.headers.type === 'ping') {
      this.pings += 1;
      const pong = { PingInterval: 120, ReconnectCount: 0, ReconnectInterval: 120, ReconnectNonce: 0 };
      this.socket?.send(
        encodeFrame({ ...frame, headers: { type: 'pong' }, payload: Buffer.from(JSON.stringify(pong)) }),
      );
      return;
    }
    if (frame.method === 1) {
      this.answers.push({
        messageId: frame.headers.message_id ?? '',
        payload: frame.payload ? JSON.parse(frame.payload.toString('utf8')) : undefined,
      });
      const done = this.answerWaiters.filter((w) => this.answers.length >= w.count);
      this.answerWaiters = this.answerWaiters.filter((w) => this.answers.length < w.count);
      for (const w of done) w.resolve();
    }
  }

  private endpoint(raw: string, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'application/json' });
    const body = JSON.parse(raw || '{}') as { AppID?: string; AppSecret?: string };
    if (body.AppID !== APP_ID || body.AppSecret !== APP_SECRET)
      return void res.end(JSON.stringify({ code: 1000040345, msg: 'app secret invalid', data: {} }));
    const wsUrl = `${this.peer.url.replace(/^http/, 'ws')}/ws?device_id=dev1&service_id=1`;
    res.end(
      JSON.stringify({
        code: 0,
        msg: 'ok',
        data: {
          URL: wsUrl,
          ClientConfig: { PingInterval: 120, ReconnectCount: 0, ReconnectInterval: 120, ReconnectNonce: 0 },
        },
      }),
    );
  }
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

const field = (n: number, wire: number) => varint((n << 3) | wire);
const bytesField = (n: number, value: Buffer) => Buffer.concat([field(n, 2), varint(value.length), value]);

export function encodeFrame(f: Frame): Buffer {
  const parts = [
    field(1, 0),
    varint(f.seqId),
    field(2, 0),
    varint(f.logId),
    field(3, 0),
    varint(f.service),
    field(4, 0),
    varint(f.method),
  ];
  for (const [key, value] of Object.entries(f.headers))
    parts.push(
      bytesField(5, Buffer.concat([bytesField(1, Buffer.from(key)), bytesField(2, Buffer.from(value))])),
    );
  if (f.payload !== undefined) parts.push(bytesField(8, f.payload));
  return Buffer.concat(parts);
}

/** Reads the fields a frame can carry; unknown ones are skipped by their wire type. */
export function decodeFrame(buf: Buffer): Frame {
  const out = {
    seqId: 0,
    logId: 0,
    service: 0,
    method: 0,
    headers: {} as Record<string, string>,
    payload: undefined as Buffer | undefined,
  };
  const fields = readFields(buf);
  for (const [n, v] of fields) {
    if (n === 1) out.seqId = v as number;
    else if (n === 2) out.logId = v as number;
    else if (n === 3) out.service = v as number;
    else if (n === 4) out.method = v as number;
    else if (n === 5) {
      const h = new Map(readFields(v as Buffer).map(([k, x]) => [k, (x as Buffer).toString('utf8')]));
      out.headers[h.get(1) ?? ''] = h.get(2) ?? '';
    } else if (n === 8) out.payload = v as Buffer;
  }
  return out;
}

function readFields(buf: Buffer): Array<[number, number | Buffer]> {
  const fields: Array<[number, number | Buffer]> = [];
  let at = 0;
  const readVarint = () => {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = buf[at++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  };
  while (at < buf.length) {
    const tag = readVarint();
    const n = tag >> 3;
    const wire = tag & 7;
    if (wire === 0) fields.push([n, readVarint()]);
    else if (wire === 2) {
      const len = readVarint();
      fields.push([n, buf.subarray(at, at + len)]);
      at += len;
    } else if (wire === 5) at += 4;
    else if (wire === 1) at += 8;
    else throw new Error(`wire type ${wire} in a frame`);
  }
  return fields;
}
