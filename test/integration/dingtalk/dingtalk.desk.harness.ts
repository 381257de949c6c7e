/**
 * The whole desk on DingTalk, in-process: createDesk over a real SQLite file, the real
 * router and commands, the real DingtalkAdapter and the real `dingtalk-stream` SDK talking
 * to the fake open platform (test/fakes/dingtalk-peer.ts) through DINGTALK_API_BASE.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DingtalkAdapter, type DingtalkTiming } from '../../../adapters/dingtalk/dingtalk.adapter';
import { dingtalkConfigSchema } from '../../../adapters/dingtalk/dingtalk.config';
import { loadConfig } from '../../../config/load';
import { createDesk, type Desk } from '../../../src/app';
import { ManualClock } from '../../../src/core/clock';
import type { Ticket } from '../../../src/core/model';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../../src/store/sqlite';
import { CLIENT_ID, CLIENT_SECRET, DingtalkPeer, type RobotMessageOptions } from '../../fakes/dingtalk-peer';
import { SettlingHost } from '../../fakes/settling-host';
import { LogLines } from '../feishu/feishu.desk.harness';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
const START = Date.parse('2026-11-23T02:00:00Z');

export const DT = {
  alice: 'alice01', // acme subscriber (staffId in ACME's organisation)
  bob: 'bob01', // engineer
  acme: 'cidAcmeGroup==',
  staff: 'cidStaffGroup==',
} as const;

export interface DingtalkDesk {
  readonly peer: DingtalkPeer;
  readonly desk: Desk;
  readonly store: SqliteStore;
  readonly clock: ManualClock;
  readonly host: SettlingHost;
  readonly log: LogLines;
  readonly adapter: DingtalkAdapter;
  /** `from` says `text` in `chat`, @mentioning the robot; resolves once the desk has handled it. */
  say(from: string, chat: string, text: string, options?: Partial<RobotMessageOptions>): Promise<string>;
  ticket(number: number): Promise<Ticket | undefined>;
  close(): Promise<void>;
}

export async function startDingtalkDesk(timing: Partial<DingtalkTiming> = {}): Promise<DingtalkDesk> {
  const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-dingtalk-'));
  const clock = new ManualClock(START);
  const peer = await DingtalkPeer.start(() => clock.now());
  const config = loadConfig({
    GROUPDESK_LOCALE: 'en',
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../../config'),
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const desk = createDesk({ config, store, clock, logger: new LogLines() });
  const { directory } = desk.services;
  await directory.addCustomer('acme', 'ACME Corp');
  await directory.addSubscription('acme', 'basic', 12);
  await directory.bindGroup('dingtalk', DT.acme, 'acme', 'acme-support');
  await directory.bindGroup('dingtalk', DT.staff, 'staff', 'support-staff');
  await directory.addSubscriber('dingtalk', DT.alice, 'acme', 'alice');
  await directory.setStaff('dingtalk', DT.bob, 'engineer', 'bob');
  const host = new SettlingHost(desk.host);
  const log = new LogLines();
  const adapter = new DingtalkAdapter(
    dingtalkConfigSchema.parse({
      DINGTALK_CLIENT_ID: CLIENT_ID,
      DINGTALK_CLIENT_SECRET: CLIENT_SECRET,
      DINGTALK_API_BASE: peer.url,
    }),
    { logger: log, timing: { perChatMs: 0, retryUnitMs: 20, ...timing }, now: () => clock.now() },
  );
  desk.addAdapter(adapter);
  await adapter.start(host);
  await peer.connected();
  return {
    peer,
    desk,
    store,
    clock,
    host,
    log,
    adapter,
    async say(from, chat, text, options = {}) {
      const before = host.handled.length;
      const data = peer.robotMessage({ conversationId: chat, staffId: from, text, ...options });
      const frame = peer.push(data);
      await peer.acked(frame);
      await host.waitHandled(before + 1);
      return String(data.msgId);
    },
    ticket: (n) => store.getTicket(n),
    async close() {
      await adapter.stop();
      await desk.router.idle();
      await peer.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
