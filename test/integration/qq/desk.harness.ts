/**
 * The whole desk (createDesk over a real SQLite file, real router and commands) with the
 * real QQ adapter, for end-to-end tests against the fake OneBot peers. ACME's group and
 * the staff group are bound on QQ; bob is an engineer, alice an ACME subscriber-to-be.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QqAdapter, type QqAdapterOptions } from '../../../adapters/qq/qq.adapter';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk, type DeskParts } from '../../../src/app';
import { ManualClock } from '../../../src/core/clock';
import { silentLogger } from '../../../src/core/logger';
import type { Ticket, TicketEvent } from '../../../src/core/model';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { type ActionRequest, type ForwardPeer, ReversePeer, type Segment } from '../../fakes/onebot-peer';
import { SettlingHost } from '../../fakes/settling-host';
import { type Cleanup, type LogLine, qqConfig, recordingLogger, TOKEN } from './helpers';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
export const START = Date.parse('2026-11-23T02:00:00Z');
export const BOT = '10001';
export const BOT2 = '10002';
export const ACME_GROUP = 100200300;
export const STAFF_GROUP = 100200400;
export const ALICE = 555001;
export const BOB = 700001;

export interface QqDesk {
  readonly clock: ManualClock;
  readonly store: SqliteStore;
  readonly desk: Desk;
  /** The running adapter (a new one after `restartAdapter`). */
  readonly adapter: QqAdapter;
  readonly host: SettlingHost;
  /** Stops the adapter and starts a fresh one (empty in-memory de-duplication), as a GroupDesk restart does. */
  restartAdapter(): Promise<QqAdapter>;
  readonly lines: LogLine[];
  /** Every ticket, lowest number first. */
  tickets(): Promise<Ticket[]>;
  events(ticket: number): Promise<TicketEvent[]>;
  /** The data directory (reopen it with `startQqDesk(…, { dir })`). */
  readonly dir: string;
  close(): Promise<void>;
}

/** How the desk itself is built: the outbox's timings, and a data directory to reopen. */
export interface DeskOptions {
  readonly outbox?: DeskParts['outbox'];
  /** An existing data directory: reopened as it is (nothing seeded), as a restarted GroupDesk. */
  readonly dir?: string;
  /** Leave the directory on close (to reopen it). */
  readonly keepDir?: boolean;
  readonly clock?: ManualClock;
}

/** Starts the desk and the QQ adapter (reverse by default; pass ONEBOT_MODE/URL for forward). */
export async function startQqDesk(
  env: Record<string, string> = {},
  options: QqAdapterOptions = {},
  desking: DeskOptions = {},
): Promise<QqDesk> {
  const dir = desking.dir ?? mkdtempSync(path.join(tmpdir(), 'groupdesk-qq-'));
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const clock = desking.clock ?? new ManualClock(START);
  const desk = createDesk({
    config,
    store,
    clock,
    logger: silentLogger,
    ...(desking.outbox !== undefined && { outbox: desking.outbox }),
  });
  const { directory } = desk.services;
  if (desking.dir === undefined) {
    await directory.addCustomer('acme', 'ACME Corp');
    await directory.addSubscription('acme', 'basic', 12);
    await directory.bindGroup('qq', String(ACME_GROUP), 'acme');
    await directory.bindGroup('qq', String(STAFF_GROUP), 'staff');
    await directory.setStaff('qq', String(BOB), 'engineer', 'bob');
  }

  const logger = recordingLogger();
  const host = new SettlingHost(desk.host);
  const startAdapter = async () => {
    const started = new QqAdapter(qqConfig(env), {
      log: logger.log,
      retryDelaysMs: [10, 50],
      backoff: () => 20,
      pingIntervalMs: 0,
      ...options,
    });
    desk.addAdapter(started); // replaces any previous QQ adapter for outbound delivery
    await started.start(host);
    return started;
  };
  let adapter: QqAdapter;
  try {
    adapter = await startAdapter();
  } catch (error) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    clock,
    store,
    desk,
    get adapter() {
      return adapter;
    },
    host,
    lines: logger.lines,
    tickets: () => store.queryTickets({ limit: 500 }).then((t) => t.sort((a, b) => a.number - b.number)),
    events: (ticket) => store.listEvents(ticket),
    async restartAdapter() {
      await adapter.stop();
      adapter = await startAdapter();
      return adapter;
    },
    dir,
    async close() {
      await adapter.stop();
      await desk.router.idle();
      desk.router.stop();
      await store.close();
      if (!desking.keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One group message as the fake client reports it. */
export interface Say {
  readonly id: number;
  readonly segments: readonly Segment[];
  readonly from?: number;
  readonly group?: number;
  readonly format?: 'array' | 'string';
  readonly card?: string;
}

/** `peer` delivers one group message; resolves once the desk has handled it (replies sent). */
export async function say(qq: QqDesk, peer: ReversePeer | ForwardPeer, m: Say): Promise<void> {
  const before = qq.host.handled.length;
  peer.push(
    peer.groupMessage({
      messageId: m.id,
      groupId: m.group ?? ACME_GROUP,
      userId: m.from ?? ALICE,
      segments: m.segments,
      format: m.format ?? 'array',
      card: m.card ?? (m.from === undefined || m.from === ALICE ? 'Alice (ACME)' : ''),
    }),
  );
  await qq.host.waitHandled(before + 1);
}

/** A raw event the test builds itself, e.g. a CQ string typed out by hand. */
export async function pushRaw(
  qq: QqDesk,
  peer: ReversePeer | ForwardPeer,
  event: Record<string, unknown>,
): Promise<void> {
  const before = qq.host.handled.length;
  peer.push(event);
  await qq.host.waitHandled(before + 1);
}

/** The acknowledgement text as the desk words it, for exact payload assertions. */
export async function ackText(qq: QqDesk, number: number): Promise<string> {
  const ticket = (await qq.store.getTicket(number))!;
  return qq.desk.translator.t('en', 'ticket.opened', {
    ticket: number,
    plan: 'Basic',
    hours: 24,
    due: qq.desk.router.format.time(ticket.dueAt!),
  });
}

export async function announcementText(
  qq: QqDesk,
  number: number,
  requester = 'Alice (ACME)',
): Promise<string> {
  const ticket = (await qq.store.getTicket(number))!;
  const body = qq.desk.translator.t('en', 'staff.new_ticket', {
    ticket: number,
    customer: 'ACME Corp',
    plan: 'Basic',
    category: 'consultation',
    priority: ticket.priority.toUpperCase(),
    due: qq.desk.router.format.time(ticket.dueAt!),
    subject: ticket.subject,
    requester,
  });
  return `${body}\n\nClaim: /claim #${number}\nResolve: /resolve #${number}`;
}

/** Texts of the customer messages filed on a ticket, in order. */
export async function customerMessages(qq: QqDesk, number: number): Promise<(string | undefined)[]> {
  return (await qq.events(number)).filter((e) => e.kind === 'customer_message').map((e) => e.text);
}

/** A desk in reverse mode, and a way for OneBot clients to dial in; all closed by `cleanup`. */
export async function reverseDesk(cleanup: Cleanup) {
  const qq = cleanup.add(await startQqDesk(), (d) => d.close());
  const url = `ws://127.0.0.1:${qq.adapter.port}/onebot/v11/ws`;
  const dial = async (selfId = BOT, nickname = 'DeskBot') => {
    const peer = await ReversePeer.dial(url, { selfId, nickname, token: TOKEN });
    cleanup.add(peer, (p) => p.close());
    await qq.adapter.whenConnected(selfId);
    return peer;
  };
  // Not a spread: that would freeze the `adapter` getter.
  return Object.assign(qq, { url, dial });
}

/** The params of every `action` the peers received for one target group or user, in order. */
export function sentTo(
  peers: readonly (ReversePeer | ForwardPeer)[],
  action: 'send_group_msg' | 'send_private_msg',
  target: number,
): ActionRequest['params'][] {
  const key = action === 'send_group_msg' ? 'group_id' : 'user_id';
  return peers
    .flatMap((p) => p.received(action))
    .filter((r) => r.params[key] === target)
    .map((r) => r.params);
}

/** Text segment helper for expected payloads. */
export const text = (value: string) => ({ type: 'text', data: { text: value } });
export const at = (qq: number | string) => ({ type: 'at', data: { qq: String(qq) } });
export const reply = (id: number | string) => ({ type: 'reply', data: { id: String(id) } });

/** The text of a send_group_msg payload (segments or a string), mentions and quotes left out. */
export function plain(params: Record<string, unknown>): string {
  const m = params.message;
  if (typeof m === 'string') return m;
  return (m as Array<{ type: string; data: { text?: string } }>)
    .filter((s) => s.type === 'text')
    .map((s) => s.data.text ?? '')
    .join('')
    .trim();
}
