/**
 * The running bot's local control channel: a Unix domain socket in the data directory
 * (`control.sock`, mode 0600 inside the 0700 data dir, so only the bot's own user can
 * connect), created at start and removed at stop. The admin CLI asks the bot through it to do
 * what would otherwise mean opening the bot's SQLite file from a second process, which can
 * wedge the bot's writer (libsql 0.5, docs/operations.md).
 *
 * Protocol: one connection, one request, one answer; each a single line of JSON. A request
 * longer than `MAX_REQUEST_BYTES`, not JSON, or not one of `controlRequestSchema` gets an
 * `{ ok: false, error }` answer and the connection is closed; the bot carries on.
 */
import { chmodSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../core/logger';

export const MAX_REQUEST_BYTES = 64 * 1024;

/** Where the bot of `dataDir` listens. */
export function controlSocketIn(dataDir: string): string {
  return path.join(dataDir, 'control.sock');
}

export const controlRequestSchema = z.discriminatedUnion('command', [
  /** A snapshot of the bot's database into `target` (absolute, must not exist). */
  z.object({ command: z.literal('backup'), target: z.string().min(1).max(4096) }).strict(),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

/** Why the bot did not do what was asked: `bad_request`, `too_large`, or a handler's own reason. */
export type ControlAnswer =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: string; readonly target?: string; readonly detail?: string };

export type ControlHandler = (request: ControlRequest) => ControlAnswer | Promise<ControlAnswer>;

export interface ControlServer {
  readonly file: string;
  close(): Promise<void>;
}

/**
 * Listens on `controlSocketIn(dataDir)`, replacing a stale socket file a dead bot left behind.
 * A socket another live process still answers on is left alone (a second bot on the same data
 * dir, itself a mistake the outage spool's lock reports): this process then has no channel.
 */
export async function startControlServer(
  dataDir: string,
  handle: ControlHandler,
  logger: Pick<Logger, 'warn' | 'error'>,
): Promise<ControlServer> {
  const file = controlSocketIn(dataDir);
  if (await answers(file)) {
    logger.warn('control socket: another process listens on it; this one opens none', { file });
    return { file, close: async () => undefined };
  }
  rmSync(file, { force: true });
  const server: Server = createServer((socket) => serve(socket, handle, logger));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(file, 0o600);
  server.on('error', (error) => logger.error('control socket failed', { file, error: String(error) }));
  return {
    file,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(file, { force: true });
    },
  };
}

/** Whether something accepts connections on `file` (a stale socket file refuses them). */
function answers(file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(file);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function serve(socket: Socket, handle: ControlHandler, logger: Pick<Logger, 'warn' | 'error'>): void {
  let buffered = '';
  let done = false;
  const answer = (reply: ControlAnswer) => {
    done = true;
    socket.end(`${JSON.stringify(reply)}\n`);
  };
  const refuse = (error: 'bad_request' | 'too_large', detail: string) => {
    logger.warn('control socket: request refused', { error, detail });
    answer({ ok: false, error, detail });
  };
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy()); // the client went away: nothing to answer
  socket.on('data', (chunk: string) => {
    if (done) return;
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (Buffer.byteLength(end < 0 ? buffered : buffered.slice(0, end)) > MAX_REQUEST_BYTES) {
      refuse('too_large', `a request is at most ${MAX_REQUEST_BYTES} bytes`);
      return;
    }
    if (end < 0) return;
    let json: unknown;
    try {
      json = JSON.parse(buffered.slice(0, end));
    } catch {
      refuse('bad_request', 'not JSON');
      return;
    }
    const parsed = controlRequestSchema.safeParse(json);
    if (!parsed.success) {
      refuse(
        'bad_request',
        parsed.error.issues.map((i) => `${i.path.join('.') || '.'}: ${i.message}`).join('; '),
      );
      return;
    }
    done = true;
    Promise.resolve()
      .then(() => handle(parsed.data))
      .then(answer, (error: unknown) => {
        logger.error('control socket: request failed', {
          command: parsed.data.command,
          error: String(error),
        });
        answer({ ok: false, error: 'failed', detail: String(error) });
      });
  });
}

/** The bot did not answer in time, or there is no channel to ask it through. */
export class ControlUnavailable extends Error {
  constructor(
    readonly reason: 'timeout' | 'no_channel',
    readonly file: string,
  ) {
    super(`control socket ${reason}: ${file}`);
    this.name = 'ControlUnavailable';
  }
}

/**
 * Sends `request` to the bot of `dataDir` and returns its answer. A socket not there yet (the
 * bot is starting) is retried for two seconds; no answer within `timeoutMs` is a timeout.
 */
export async function askBot(
  dataDir: string,
  request: ControlRequest,
  timeoutMs: number,
): Promise<ControlAnswer> {
  const file = controlSocketIn(dataDir);
  const deadline = Date.now() + timeoutMs;
  const connectBy = Date.now() + Math.min(2000, timeoutMs);
  for (;;) {
    try {
      return await once(file, `${JSON.stringify(request)}\n`, deadline);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof ControlUnavailable) throw error;
      if ((code === 'ENOENT' || code === 'ECONNREFUSED') && Date.now() < connectBy) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      throw new ControlUnavailable('no_channel', file);
    }
  }
}

function once(file: string, line: string, deadline: number): Promise<ControlAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(file);
    let text = '';
    let connected = false;
    const timer = setTimeout(
      () => {
        socket.destroy();
        reject(new ControlUnavailable('timeout', file));
      },
      Math.max(0, deadline - Date.now()),
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(connected ? new ControlUnavailable('no_channel', file) : error);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      connected = true;
      socket.write(line);
    });
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', fail);
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(text.trim()) as ControlAnswer);
      } catch {
        reject(new ControlUnavailable('no_channel', file));
      }
    });
  });
}
