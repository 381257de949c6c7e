/**
 * A whole desk on an in-memory SQLite store with a ManualClock and a recording (or
 * failing) messenger, seeded with the demo data: what the SLA tests drive.
 */
import path from 'node:path';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk, type DeskParts } from '../../../src/app';
import type { InboundMessage, OutboundMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import type { Logger } from '../../../src/core/logger';
import type { Plan } from '../../../src/core/plans';
import type { Messenger, SlaStore, Store } from '../../../src/core/ports';
import type { SlaRules } from '../../../src/core/sla/rules';
import { seedDemo } from '../../../src/demo';
import { openSqliteStore } from '../../../src/store/sqlite';

/** Monday 2026-11-23 10:00 in Asia/Shanghai (02:00 UTC). */
export const MONDAY_10 = Date.parse('2026-11-23T02:00:00Z');
export const MIN = 60_000;
export const HOUR = 3_600_000;

export interface RecordingMessenger extends Messenger {
  readonly sent: OutboundMessage[];
  /** Every send attempt, failed ones included. */
  readonly attempts: OutboundMessage[];
  /** Makes the next `n` sends to `chatId` (any when omitted) reject. */
  failNext(n: number, chatId?: string): void;
  /** Makes the next send to `chatId` never answer (a platform that hangs). */
  hangNext(chatId: string): void;
  /** `[where] text` lines, as the console shows them; `where` is `dm:<id>` for direct messages. */
  lines(): string[];
}

export function recordingMessenger(): RecordingMessenger {
  const sent: OutboundMessage[] = [];
  const attempts: OutboundMessage[] = [];
  let failures: Array<string | undefined> = [];
  const hangs: string[] = [];
  return {
    sent,
    attempts,
    failNext(n, chatId) {
      failures = [...failures, ...Array.from({ length: n }, () => chatId)];
    },
    hangNext(chatId) {
      hangs.push(chatId);
    },
    async send(message) {
      attempts.push(message);
      const hang = hangs.indexOf(message.chatId);
      if (hang >= 0) {
        hangs.splice(hang, 1);
        return new Promise<never>(() => {});
      }
      const i = failures.findIndex((c) => c === undefined || c === message.chatId);
      if (i >= 0) {
        failures.splice(i, 1);
        throw new Error('platform down');
      }
      sent.push(message);
      return { messageId: `m${sent.length}` };
    },
    lines: () => sent.map((m) => `[${m.chatKind === 'direct' ? `dm:${m.chatId}` : m.chatId}] ${m.text}`),
  };
}

/** What the SLA tests read besides the desk: the store and its reminder ledger. */
export type DeskStore = Store & SlaStore & { close(): Promise<void> };

export interface SlaDesk {
  readonly desk: Desk;
  readonly store: DeskStore;
  readonly clock: ManualClock;
  readonly messenger: RecordingMessenger;
  readonly logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
  /** Says `text` as `speaker` in `chatId` (console platform) and waits for every reply and announcement. */
  say(speaker: string, chatId: string, text: string): Promise<void>;
  /** Moves the clock and runs one scheduler tick; returns the lines sent meanwhile. */
  advance(ms: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface SlaDeskOptions {
  readonly now?: number;
  readonly rules?: (rules: SlaRules) => SlaRules;
  /** Plan id → calendar id. */
  readonly calendars?: Readonly<Record<string, string>>;
  /** Plan id → fields to change on that plan (targets, priority factors). */
  readonly plans?: Readonly<Record<string, Partial<Plan>>>;
  readonly parts?: Partial<DeskParts>;
  /** Opens the store instead (MongoDB); the desk closes it. */
  readonly open?: () => Promise<DeskStore>;
  /** A SQLite file shared with other desks (another process's store on it); default: in memory. */
  readonly file?: string;
  /** Prefix of this desk's inbound message ids: two desks on one file are two processes, not redeliveries. */
  readonly name?: string;
  /** Seed the demo data (default); off for a second desk on a seeded file. */
  readonly seed?: boolean;
  /** Send the daily digest (off by default: most tests are about one kind of reminder). */
  readonly digest?: boolean;
}

export async function slaDesk(options: SlaDeskOptions = {}): Promise<SlaDesk> {
  const base = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../../config'),
    GROUPDESK_CACHE_TTL_MS: '0',
  });
  const calendars = options.calendars ?? {};
  const rules = { ...base.sla, digest: { ...base.sla.digest, enabled: options.digest ?? false } };
  const config = {
    ...base,
    sla: options.rules ? options.rules(rules) : rules,
    plans: {
      ...base.plans,
      plans: base.plans.plans.map((p) => ({
        ...p,
        ...(calendars[p.id] ? { calendar: calendars[p.id] } : {}),
        ...options.plans?.[p.id],
      })),
    },
  };
  const store: DeskStore = options.open ? await options.open() : openSqliteStore(options.file ?? ':memory:');
  const clock = new ManualClock(options.now ?? MONDAY_10);
  const messenger = recordingMessenger();
  const logs: SlaDesk['logs'] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    logs.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: () => {}, info: log('info'), warn: log('warn'), error: log('error') };
  const desk = createDesk({ config, store, clock, logger, messenger, ...options.parts });
  if (options.seed ?? true) await seedDemo(desk.services);
  let counter = 0;
  return {
    desk,
    store,
    clock,
    messenger,
    logs,
    async say(speaker, chatId, text) {
      const message: InboundMessage = {
        platform: 'console',
        chatId,
        chatKind: chatId === speaker ? 'direct' : 'group',
        messageId: `${options.name ?? ''}in-${++counter}`, // distinct per process on a shared file
        sender: { id: speaker, name: speaker },
        text: text.replace(/^@bot\s+/, ''),
        mentions: [...text.matchAll(/@(\w+)/g)]
          .filter((m) => m[1] !== 'bot')
          .map((m) => ({ id: m[1]!, name: m[1]! })),
        addressed: text.startsWith('@bot'),
      };
      await desk.router.handle(message);
      await desk.router.idle(); // the staff announcement follows the reply, in the background
    },
    async advance(ms) {
      const before = messenger.sent.length;
      clock.advance(ms);
      await desk.sla.scheduler!.tick(clock.now());
      return messenger.lines().slice(before);
    },
    close: () => store.close(),
  };
}
