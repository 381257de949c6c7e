import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A local Socket Mode peer: accepts the client's WebSocket, says `hello`, lets tests push
 * envelopes and collects what the client sends back (acks `{ envelope_id, payload }`).
 */
export class FakeSlackSocket {
  readonly received: Array<Record<string, unknown>> = [];
  private socket: WebSocket | undefined;
  private waiters: Array<() => boolean> = [];

  private constructor(private readonly server: WebSocketServer) {
    server.on('connection', (socket) => {
      this.socket = socket;
      socket.on('message', (data) => {
        this.received.push(JSON.parse(String(data)) as Record<string, unknown>);
        this.waiters = this.waiters.filter((check) => !check());
      });
      socket.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    });
  }

  static async start(): Promise<FakeSlackSocket> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new FakeSlackSocket(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  /** Sends one envelope (`events_api`, `slash_commands`, `interactive`) to the connected client. */
  push(envelope: Record<string, unknown>): void {
    if (this.socket === undefined) throw new Error('no Socket Mode client connected');
    this.socket.send(JSON.stringify(envelope));
  }

  /** Resolves with the first message from the client that has this envelope id. */
  waitForAck(envelopeId: string, ms = 5000): Promise<Record<string, unknown>> {
    const find = () => this.received.find((m) => m.envelope_id === envelopeId);
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${envelopeId}`)), ms);
      this.waiters.push(() => {
        const ack = find();
        if (ack === undefined) return false;
        clearTimeout(timer);
        resolve(ack);
        return true;
      });
    });
  }

  async close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
