/**
 * The outage harness: the real desk (createDesk, router, commands) on a real SQLite file
 * behind a wrapper that fails with the store's own STORE_UNAVAILABLE error while `down`.
 * The retry timer is fired by hand: each `retry()` is "its delay has passed". With `spool`,
 * the desk keeps its backlog in the data dir's outage spool, as main.ts does; a second world
 * on the same `dir` is the same deployment after a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { createDesk, type Desk } from '../../src/app';
import type { InboundMessage, OutboundMessage } from '../../src/core/chat';
import { ManualClock } from '../../src/core/clock';
import type { Logger } from '../../src/core/logger';
import type { Store } from '../../src/core/ports';
import { seedDemo } from '../../src/demo';
import type { OutageOptions, RetryTimers } from '../../src/router/outage';
import { FileSpool, spoolFileIn } from '../../src/spool/file-spool';
import { StoreError } from '../../src/store/errors';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../src/store/sqlite';

export const START = Date.parse('2026-11-23T02:00:00Z');
export const KEPT =
  'The desk is temporarily unavailable. Your message is kept and will be handled as soon as it is back.';
export const NOT_KEPT = /too many messages are already waiting: this one could not be kept/;

/** Retry timers fired by the test. */
export class ManualTimers implements RetryTimers {
  readonly due: Array<{ fire: () => void; ms: number }> = [];
  set(fire: () => void, ms: number): unknown {
    const timer = { fire, ms };
    this.due.push(timer);
    return timer;
  }
  clear(handle: unknown): void {
    this.due.splice(this.due.indexOf(handle as { fire: () => void; ms: number }) >>> 0, 1);
  }
}

/** The real store, failing with STORE_UNAVAILABLE on the listed methods (all of them by default) while down. */
export class Outage {
  down = false;
  failing: ReadonlySet<string> | 'all' = 'all';
  /** Calls that reached the real store. */
  calls = 0;
  /** Runs once, at the next call that reaches the real store. */
  beforeNextCall: (() => void) | undefined;
  wrap(inner: Store): Store {
    return new Proxy(inner, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.down && (this.failing === 'all' || this.failing.has(String(prop)))) {
            return Promise.reject(new StoreError('STORE_UNAVAILABLE', 'the database is away'));
          }
          this.calls += 1;
          const hook = this.beforeNextCall;
          this.beforeNextCall = undefined;
          hook?.();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

export interface World {
  readonly desk: Desk;
  readonly store: SqliteStore;
  readonly outage: Outage;
  readonly timers: ManualTimers;
  readonly errors: Array<{ message: string; fields?: Record<string, unknown> }>;
  /** What was logged at info and warn level. */
  readonly notes: Array<{ level: 'info' | 'warn'; message: string; fields?: Record<string, unknown> }>;
  /** Called with each message the bot sends, after it was sent. */
  onSend: ((message: OutboundMessage) => void) | undefined;
  /** The data dir (the SQLite file, the spool). */
  readonly dir: string;
  /** Texts the bot sent to a chat, in order. */
  said(chat: string): string[];
  say(who: string, chat: string, text: string, addressed?: boolean, messageId?: string): Promise<void>;
  /** Resolves once the bot has sent `count` messages to the chat. */
  sentTo(chat: string, count: number): Promise<void>;
  /** Fires the due retry and waits for what it set off. */
  retry(): Promise<void>;
  close(): Promise<void>;
  /** The process dies (kill -9): no stop(), no idle(); only the database connection goes. The dir stays. */
  drop(): Promise<void>;
}

export interface WorldOptions {
  readonly outage?: OutageOptions;
  readonly realTimers?: boolean;
  /** Another world's data dir: the same deployment after a restart (and no demo seeding). */
  readonly dir?: string;
  /** Keep the backlog in the data dir's outage spool, as main.ts does. */
  readonly spool?: boolean;
}

export async function world(options: WorldOptions = {}): Promise<World> {
  const { outage: outageOptions = {}, realTimers = false } = options;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'groupdesk-outage-'));
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    // Outage tests open several tickets for one person at one instant; merging such a burst
    // into one ticket (GROUPDESK_MERGE_SECONDS) is tested in test/e2e/conversation.test.ts.
    GROUPDESK_MERGE_SECONDS: '0',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../config'),
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const outage = new Outage();
  const timers = new ManualTimers();
  const sent: OutboundMessage[] = [];
  const errors: World['errors'] = [];
  const notes: World['notes'] = [];
  const waiters: Array<() => void> = [];
  const logger: Logger = {
    debug() {},
    info: (message, fields) => notes.push({ level: 'info', message, ...(fields && { fields }) }),
    warn: (message, fields) => notes.push({ level: 'warn', message, ...(fields && { fields }) }),
    error: (message, fields) => errors.push({ message, ...(fields && { fields }) }),
  };
  const desk = createDesk({
    config,
    store: outage.wrap(store),
    clock: new ManualClock(START),
    logger,
    messenger: {
      send: async (m) => {
        sent.push(m);
        for (const waiter of waiters.splice(0)) waiter();
        self.onSend?.(m);
        return { messageId: `out-${sent.length}` };
      },
    },
    outage: {
      ...(!realTimers && { timers }),
      ...(options.spool && { spool: new FileSpool({ file: spoolFileIn(dir), logger }) }),
      ...outageOptions,
    },
  });
  if (options.dir === undefined) await seedDemo(desk.services);
  let next = 0;
  const self: World = {
    desk,
    store,
    outage,
    timers,
    errors,
    notes,
    dir,
    onSend: undefined,
    said: (chat) => sent.filter((m) => m.chatId === chat).map((m) => m.text),
    async sentTo(chat, count) {
      while (sent.filter((m) => m.chatId === chat).length < count) {
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async say(who, chat, text, addressed = false, messageId = `m${++next}`) {
      const message: InboundMessage = {
        platform: 'console',
        chatId: chat,
        chatKind: 'group',
        messageId,
        sender: { id: who, name: who },
        text,
        mentions: [],
        addressed,
      };
      await desk.router.handle(message);
    },
    async retry() {
      const timer = timers.due.shift();
      if (timer === undefined) throw new Error('no retry is due');
      timer.fire();
      await desk.router.idle();
    },
    async close() {
      desk.router.stop();
      await desk.router.idle();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async drop() {
      await store.close();
    },
  };
  return self;
}
