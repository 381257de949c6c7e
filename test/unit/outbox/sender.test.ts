/**
 * The outbox sender against a real SQLite store (in memory) and a manual clock: order per
 * chat, a stuck chat never holding up another, backoff honouring Retry-After, expiry with a
 * visible failure, restart from what the store holds, and the ticket-thread effect.
 */
import type { OutboundMessage, SentMessage } from '../../../src/core/chat';
import { ManualClock } from '../../../src/core/clock';
import { PlatformBusyError } from '../../../src/core/errors';
import { silentLogger } from '../../../src/core/logger';
import type { Messenger, Outbound } from '../../../src/core/ports';
import { OutboxSender, type OutboxSenderOptions } from '../../../src/outbox/sender';
import { openSqliteStore, type SqliteStore } from '../../../src/store/sqlite';
import { create, customer } from '../../contract/store.fixtures';

const T0 = Date.UTC(2026, 0, 5, 8);
const HOUR = 3_600_000;

/** A platform that accepts, or refuses while `down` says so. */
class Platform implements Messenger {
  readonly delivered: string[] = [];
  down: (m: OutboundMessage) => Error | undefined = () => undefined;
  private next = 1;
  async send(m: OutboundMessage): Promise<SentMessage> {
    const refusal = this.down(m);
    if (refusal) throw refusal;
    this.delivered.push(`${m.chatId}:${m.text}`);
    return { messageId: `sent-${this.next++}`, threadId: `thread-${m.chatId}` };
  }
}

const msg = (chatId: string, text: string): OutboundMessage => ({
  platform: 'qq',
  chatId,
  chatKind: 'group',
  text,
});
const item = (chatId: string, text: string) => ({ message: msg(chatId, text) });

describe('OutboxSender', () => {
  let store: SqliteStore;
  let clock: ManualClock;
  let platform: Platform;
  const failed: Outbound[] = [];
  const senders: OutboxSender[] = [];
  const sender = (options: Partial<OutboxSenderOptions> = {}) => {
    const s = new OutboxSender(
      {
        store,
        messenger: platform,
        clock,
        logger: silentLogger,
        onFailed: async (row) => void failed.push(row),
      },
      { expireMs: 24 * HOUR, random: () => 0, pollMs: 60_000, ...options },
    );
    senders.push(s);
    return s;
  };

  beforeEach(() => {
    store = openSqliteStore(':memory:');
    clock = new ManualClock(T0);
    platform = new Platform();
    failed.length = 0;
  });
  afterEach(async () => {
    for (const s of senders.splice(0)) s.stop();
    await store.close();
  });

  it('delivers each chat in order, and a chat whose platform refuses holds back only itself', async () => {
    platform.down = (m) => (m.chatId === 'G-DOWN' ? new Error('offline') : undefined);
    const s = sender();
    const results = await s.send([
      item('G1', 'a'),
      item('G-DOWN', 'x'),
      item('G1', 'b'),
      item('G-DOWN', 'y'),
    ]);
    expect(results.map((r) => r.state)).toEqual(['sent', 'queued', 'sent', 'queued']);
    expect(platform.delivered).toEqual(['G1:a', 'G1:b']);
    const waiting = await store.listOutbound({ states: ['queued'] });
    expect(waiting.map((r) => [r.message.text, r.attempts, r.nextAt])).toEqual([
      ['x', 1, T0 + 500], // base 1 s, jitter pinned to its lower half
      ['y', 0, T0],
    ]);
    // Back up: after the retry time both go, x before y.
    platform.down = () => undefined;
    clock.advance(500);
    s.kick('qq:G-DOWN');
    await s.idle();
    expect(platform.delivered).toEqual(['G1:a', 'G1:b', 'G-DOWN:x', 'G-DOWN:y']);
    expect(await store.outboxDepth()).toEqual({ waiting: 0 });
  });

  it('backs off exponentially, and never retries sooner than the platform asked (Retry-After)', async () => {
    let refusals = 0;
    platform.down = () => (refusals++ < 3 ? new Error('500') : undefined);
    const s = sender();
    const [row] = await s.enqueue([item('G1', 'a')]);
    const nextAt = async () => (await store.getOutbound(row!.id))!.nextAt;
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      s.kick('qq:G1');
      await s.idle();
      gaps.push((await nextAt()) - clock.now());
      clock.set(await nextAt());
    }
    expect(gaps).toEqual([500, 1000, 2000]);
    platform.down = () => new PlatformBusyError('429', 30_000);
    s.kick('qq:G1');
    await s.idle();
    const wait = (await nextAt()) - clock.now();
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(wait).toBeLessThanOrEqual(33_001);
    clock.advance(29_999);
    platform.down = () => undefined;
    s.kick('qq:G1');
    await s.idle();
    expect(platform.delivered).toEqual([]); // not before the platform said
    clock.set(await nextAt());
    s.kick('qq:G1');
    await s.idle();
    expect(platform.delivered).toEqual(['G1:a']);
  });

  it('gives up at expiry, tells onFailed once, and lets the chat move on', async () => {
    platform.down = (m) => (m.text === 'doomed' ? new Error('offline') : undefined);
    const s = sender({ expireMs: 10_000, maxDelayMs: 4000 });
    await s.send([item('G1', 'doomed'), item('G1', 'next')]);
    for (let i = 0; i < 10 && failed.length === 0; i++) {
      clock.advance(4000);
      s.kick('qq:G1');
      await s.idle();
    }
    // The head failed for good; the one behind it was sent as soon as the chat was free.
    expect(failed.map((r) => r.message.text)).toEqual(['doomed']);
    expect(platform.delivered).toEqual(['G1:next']);
    const [row] = await store.listOutbound({ states: ['failed'] });
    expect(row).toMatchObject({ state: 'failed', lastError: 'offline' });
    s.kick('qq:G1');
    await s.idle();
    expect(failed).toHaveLength(1);
  });

  it('gives private replies a short expiry (their platform tokens die)', async () => {
    const s = sender({ privateExpireMs: 10 * 60_000 });
    const [open, only] = await s.enqueue([
      item('G1', 'public'),
      { message: { ...msg('G1', 'private'), visibleTo: 'U1' } },
    ]);
    expect(open!.expiresAt).toBe(T0 + 24 * HOUR);
    expect(only!.expiresAt).toBe(T0 + 10 * 60_000);
  });

  it('resumes after a restart from what the store holds, sending each message once', async () => {
    platform.down = () => new Error('offline');
    const before = sender();
    await before.send([item('G1', '1'), item('G2', '2'), item('G1', '3')]);
    before.stop(); // the process ends with three messages waiting
    platform.down = () => undefined;
    clock.advance(HOUR);
    const after = sender();
    after.start();
    await after.idle();
    expect(platform.delivered.sort()).toEqual(['G1:1', 'G1:3', 'G2:2']);
    after.kick();
    await after.idle();
    expect(platform.delivered).toHaveLength(3);
  });

  it('makes the acknowledgement’s thread the ticket’s thread once the platform accepted it', async () => {
    await store.putCustomer(customer());
    const ticket = await create(store, { platform: 'qq', chatId: 'G1' });
    const s = sender();
    await s.send([
      { message: msg('G1', 'ack'), after: { kind: 'ticket-thread', ticketNumber: ticket.number } },
    ]);
    expect((await store.getTicket(ticket.number))?.threadId).toBe('thread-G1');
    expect((await store.findTicketByMessage('qq', 'G1', 'sent-1'))?.number).toBe(ticket.number);
  });
});
