/**
 * The outage spool on local disk (the BacklogSpool port of src/core/backlog.ts): an
 * append-only JSON-lines journal, by default `<GROUPDESK_DATA_DIR>/outage-spool.jsonl`,
 * mode 0600 — it holds customers' words.
 *
 *   {"kept":{"key":"…","claimed":false,"message":{…InboundMessage…}}}   kept (or its claimed flag changed)
 *   {"done":"…"}                                                          handled: never resumed
 *
 * Durability: each record is in the kernel (appendFileSync) before the sender is told
 * "kept", so it survives the process dying, kill -9 included. There is no fsync per record:
 * an OS crash or power loss may lose the last records (a rare event on top of an outage,
 * and an fsync per message would make an outage cost a disk flush per message).
 *
 * Bound: the journal never grows past `maxBytes` (64 MiB). An append that would pass it
 * rewrites the file with the live records only; when those alone would pass it, the message
 * is not spooled (kept in memory only, logged at error level). load() reads at most
 * `maxBytes`: a larger file (written by something else) is read up to the bound, set aside
 * as `<file>.oversize` for an operator, and its unread tail is logged as not resumed.
 *
 * Failures (disk full, EACCES) are logged at error level, never thrown: the backlog carries
 * on in memory. After a failed write the file may lack records or end in a torn line, so
 * the next write (or close) rewrites it whole from memory.
 */
import {
  appendFileSync,
  chmodSync,
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { BacklogSpool, KeptMessage } from '../core/backlog';
import { type InboundMessage, PLATFORMS } from '../core/chat';
import type { Logger } from '../core/logger';

export const SPOOL_FILE_NAME = 'outage-spool.jsonl';
export const SPOOL_MAX_BYTES = 64 * 1024 * 1024;
const MODE = 0o600;

/** The spool's file inside GROUPDESK_DATA_DIR. */
export function spoolFileIn(dataDir: string): string {
  return path.join(dataDir, SPOOL_FILE_NAME);
}

const user = z.object({ id: z.string(), name: z.string().exactOptional() });
const inbound: z.ZodType<InboundMessage> = z.object({
  platform: z.enum(PLATFORMS),
  account: z.string().exactOptional(),
  chatId: z.string().min(1),
  chatKind: z.enum(['group', 'direct']),
  threadId: z.string().exactOptional(),
  messageId: z.string().min(1),
  sender: user,
  text: z.string(),
  mentions: z.array(user),
  addressed: z.boolean(),
  quotedMessageId: z.string().exactOptional(),
  quotedText: z.string().exactOptional(),
  chatTitle: z.string().exactOptional(),
  sentAt: z.number().exactOptional(),
  interaction: z.boolean().exactOptional(),
});
const kept = z.object({ key: z.string().min(1), claimed: z.boolean(), message: inbound });
const record = z.union([z.object({ kept }), z.object({ done: z.string().min(1) })]);

export interface FileSpoolOptions {
  readonly file: string;
  readonly logger: Logger;
  /** The journal's bound in bytes (default 64 MiB). */
  readonly maxBytes?: number;
}

export class FileSpool implements BacklogSpool {
  private readonly file: string;
  private readonly logger: Logger;
  private readonly maxBytes: number;
  /** The live records by key, in the order first kept (a Map keeps it): what a rewrite writes. */
  private readonly live = new Map<string, string>();
  private liveBytes = 0;
  /** The journal's size on disk. */
  private bytes = 0;
  /** A write failed: the file may lack records or end torn, so the next write rewrites it whole. */
  private dirty = false;
  private failures = 0;
  private refused = 0;
  /** The journal could not be read, or another process holds it: nothing is spooled. */
  private disabled = false;
  /** This process holds `<file>.lock`. */
  private locked = false;

  private get lockFile(): string {
    return `${this.file}.lock`;
  }

  constructor(options: FileSpoolOptions) {
    this.file = options.file;
    this.logger = options.logger;
    this.maxBytes = options.maxBytes ?? SPOOL_MAX_BYTES;
  }

  add(item: KeptMessage): void {
    if (this.disabled) return;
    const line = this.remember(item);
    if (line !== undefined) this.write(line);
  }

  remove(key: string): void {
    const line = this.live.get(key);
    if (this.disabled || line === undefined) return;
    this.live.delete(key);
    this.liveBytes -= byteLength(line);
    if (this.live.size === 0)
      this.rewrite(); // nothing is kept: the file goes
    else this.write(`${JSON.stringify({ done: key })}\n`);
  }

  load(): KeptMessage[] {
    if (!this.lock()) return [];
    let text: string | undefined;
    try {
      text = this.read();
    } catch (error) {
      this.disabled = true;
      this.logger.error('outage spool unreadable: left alone, and kept messages stay in memory only', {
        file: this.file,
        error: String(error),
      });
      return [];
    }
    const items = text === undefined ? [] : [...this.replay(text).values()];
    this.live.clear();
    this.liveBytes = 0;
    for (const item of items) this.remember(item);
    this.rewrite();
    return items;
  }

  close(): void {
    if (this.dirty && !this.disabled) this.rewrite();
    if (this.locked) rmSync(this.lockFile, { force: true });
    this.locked = false;
  }

  /**
   * Takes the spool for this process: `<file>.lock` holds the owner's pid. Another live
   * process holding it (two instances on one data dir) makes this one keep messages in
   * memory only, rather than resume, compact or remove that process's records; a lock
   * left by a process that died (kill -9) is taken over.
   */
  private lock(): boolean {
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          writeFileSync(this.lockFile, String(process.pid), { mode: MODE, flag: 'wx' });
          this.locked = true;
          this.makePrivate();
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const owner = Number.parseInt(readFileSync(this.lockFile, 'utf8'), 10);
        if (owner !== process.pid && isAlive(owner)) {
          this.disabled = true;
          this.logger.warn(
            'outage spool held by another process on this data dir: kept messages stay in memory only here',
            { file: this.file, owner },
          );
          return false;
        }
        rmSync(this.lockFile, { force: true }); // its owner is gone (or it is ours from an earlier run)
      }
    } catch (error) {
      this.logger.error('outage spool: could not take its lock; kept messages stay in memory only', {
        file: this.lockFile,
        error: String(error),
      });
    }
    this.disabled = true;
    return false;
  }

  /**
   * An existing journal is made 0600 whatever its mode (appends keep the mode a file was
   * created with, and a set-aside `.oversize` file keeps it too), logged once when changed.
   */
  private makePrivate(): void {
    try {
      const stats = statSync(this.file, { throwIfNoEntry: false });
      const mode = (stats?.mode ?? MODE) & 0o777;
      if (stats === undefined || !stats.isFile() || mode === MODE) return; // not a file: read() reports it
      chmodSync(this.file, MODE);
      this.logger.info('outage spool made private (mode 0600): it holds customers’ words', {
        file: this.file,
        mode: `0${mode.toString(8)}`,
      });
    } catch (error) {
      // Not ours to change (another owner): the spool still works; the operator should know.
      this.logger.warn('outage spool: could not make it private (mode 0600)', {
        file: this.file,
        error: String(error),
      });
    }
  }

  /** Takes the item's record into the live set; its line when it is new or changed and fits the bound. */
  private remember(item: KeptMessage): string | undefined {
    const line = `${JSON.stringify({ kept: { key: item.key, claimed: item.claimed, message: item.message } })}\n`;
    const previous = this.live.get(item.key);
    if (previous === line) return undefined;
    const liveBytes = this.liveBytes - byteLength(previous) + byteLength(line);
    if (liveBytes > this.maxBytes) {
      this.refused += 1;
      if (this.refused % 100 === 1) {
        this.logger.error('outage spool full: a kept message is in memory only (a restart would lose it)', {
          key: item.key,
          maxBytes: this.maxBytes,
          refusedSoFar: this.refused,
        });
      }
      return undefined;
    }
    this.live.set(item.key, line);
    this.liveBytes = liveBytes;
    return line;
  }

  /** The journal's text, at most maxBytes of it; undefined when there is none. */
  private read(): string | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let size: number;
    let buffer: Buffer;
    try {
      size = fstatSync(fd).size;
      buffer = Buffer.alloc(Math.min(size, this.maxBytes));
      for (let at = 0; at < buffer.length; ) {
        const got = readSync(fd, buffer, at, buffer.length - at, at);
        if (got === 0) break;
        at += got;
      }
    } finally {
      closeSync(fd);
    }
    if (size <= this.maxBytes) return buffer.toString('utf8');
    const aside = `${this.file}.oversize`;
    renameSync(this.file, aside);
    this.logger.error(
      'outage spool larger than its bound: only its start is resumed, the file is set aside',
      {
        file: aside,
        size,
        maxBytes: this.maxBytes,
      },
    );
    const text = buffer.toString('utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1); // the line the bound cut is not torn: it is unread
  }

  /** Applies the journal's records in order: what was kept and not done, in the order first kept. */
  private replay(text: string): Map<string, KeptMessage> {
    const items = new Map<string, KeptMessage>();
    const lines = text.split('\n');
    const torn = lines.pop(); // after the last newline: empty unless a crash cut the last write
    if (torn)
      this.logger.warn('outage spool: skipped a torn last record (cut off by a crash)', { file: this.file });
    lines.forEach((line, index) => {
      if (line === '') return;
      const parsed = record.safeParse(parseJson(line));
      if (!parsed.success) {
        this.logger.error('outage spool: skipped a record that is not a kept message', {
          file: this.file,
          line: index + 1,
        });
        return;
      }
      const value = parsed.data;
      if ('done' in value) items.delete(value.done);
      else if (items.has(value.kept.key)) items.get(value.kept.key)!.claimed = value.kept.claimed;
      else items.set(value.kept.key, value.kept);
    });
    return items;
  }

  private write(line: string): void {
    if (this.dirty || this.bytes + byteLength(line) > this.maxBytes) {
      this.rewrite();
      return;
    }
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      appendFileSync(this.file, line, { mode: MODE });
      this.bytes += byteLength(line);
    } catch (error) {
      this.failed(error);
    }
  }

  /** Replaces the journal by the live records (write a temporary file, rename it over); none: removes it. */
  private rewrite(): void {
    try {
      if (this.live.size === 0) {
        rmSync(this.file, { force: true });
      } else {
        const tmp = `${this.file}.tmp`;
        mkdirSync(path.dirname(this.file), { recursive: true });
        rmSync(tmp, { force: true }); // a leftover keeps its mode: start afresh
        writeFileSync(tmp, [...this.live.values()].join(''), { mode: MODE, flag: 'wx' });
        renameSync(tmp, this.file);
      }
      this.bytes = this.liveBytes;
      if (this.dirty)
        this.logger.warn('outage spool: writing again', { file: this.file, kept: this.live.size });
      this.dirty = false;
      this.failures = 0;
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    this.dirty = true;
    this.failures += 1;
    if (this.failures % 100 === 1) {
      this.logger.error('outage spool: could not write; kept messages are in memory only until it can', {
        file: this.file,
        error: String(error),
        failuresSoFar: this.failures,
      });
    }
  }
}

/**
 * The pid of the live process that holds the spool of `dataDir` (a running bot), if any:
 * `groupdesk restore` refuses to replace a database under it.
 */
export function spoolOwner(dataDir: string): number | undefined {
  let owner: number;
  try {
    owner = Number.parseInt(readFileSync(`${spoolFileIn(dataDir)}.lock`, 'utf8'), 10);
  } catch {
    return undefined;
  }
  return owner !== process.pid && isAlive(owner) ? owner : undefined;
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function byteLength(line: string | undefined): number {
  return line === undefined ? 0 : Buffer.byteLength(line);
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined; // not JSON: the schema refuses it, and the caller logs it
  }
}
