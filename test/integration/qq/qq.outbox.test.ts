/**
 * Delivery you can trust (issue 22), through the real QQ adapter and a OneBot v11 client on a
 * real WebSocket: the client stops answering sends during a burst of customer messages and
 * engineer replies, then disconnects, then dials in again; and a restart with messages
 * waiting. Every acknowledgement, announcement and reply must arrive exactly once after the
 * reconnect, in order per chat. The manual clock moves the retry times; no test sleeps.
 */
import { ReversePeer } from '../../fakes/onebot-peer';
import {
  ACME_GROUP,
  ALICE,
  at,
  BOB,
  BOT,
  plain,
  type QqDesk,
  STAFF_GROUP,
  say,
  startQqDesk,
  text,
} from './desk.harness';
import { Cleanup, TOKEN } from './helpers';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const FAST = { ONEBOT_ACTION_TIMEOUT_MS: '300' };
const OUTBOX = { baseDelayMs: 50, maxDelayMs: 200, sendTimeoutMs: 1000, pollMs: 60_000 };
const CUSTOMERS = 80;
const REPLIES = 20;

/** What one client accepted, per group, in the order it accepted it. */
function accepted(peer: ReversePeer, group: number): string[] {
  return peer
    .received('send_group_msg')
    .filter((r) => r.params.group_id === group)
    .map((r) => plain(r.params));
}

/** Moves the clock past every retry time and lets the sender work until nothing is due. */
async function drain(qq: QqDesk): Promise<void> {
  for (let round = 0; round < 20 && (await qq.store.outboxDepth()).waiting > 0; round++) {
    qq.clock.advance(60_000);
    qq.desk.services.outbox.kick();
    await qq.desk.router.idle();
  }
}

/** Texts of a chat's rows in the order the outbox numbered them. */
async function queuedOrder(qq: QqDesk, group: number): Promise<string[]> {
  const rows = await qq.store.listOutbound({ chat: `qq:${group}`, limit: 500 });
  return rows.sort((a, b) => a.seq - b.seq).map((r) => r.message.text.trim());
}

async function dial(qq: QqDesk): Promise<ReversePeer> {
  const peer = await ReversePeer.dial(`ws://127.0.0.1:${qq.adapter.port}/onebot/v11/ws`, {
    selfId: BOT,
    nickname: 'DeskBot',
    token: TOKEN,
  });
  cleanup.add(peer, (p) => p.close());
  await qq.adapter.whenConnected(BOT);
  return peer;
}

test(`the client goes silent, then away, during ${CUSTOMERS} requests and ${REPLIES} replies: after it dials in again each arrives once, in order`, async () => {
  const started = Date.now();
  const qq = cleanup.add(await startQqDesk(FAST, {}, { outbox: OUTBOX }), (d) => d.close());
  const first = await dial(qq);
  first.onAction('send_group_msg', () => 'no-answer'); // connected, but sends are never answered
  for (let i = 0; i < CUSTOMERS; i++) {
    await say(qq, first, {
      id: 7000 + i,
      from: ALICE + i,
      segments: [at(BOT), text(` problem number ${i}`)],
    });
  }
  for (let i = 0; i < REPLIES; i++) {
    await say(qq, first, {
      id: 8000 + i,
      from: BOB,
      group: STAFF_GROUP,
      segments: [text(`/reply #${1001 + i} answer number ${i}`)],
    });
  }
  expect((await qq.store.queryTickets({ limit: 500 })).length).toBe(CUSTOMERS);
  const unanswered = first.received('send_group_msg').length;
  await first.close(); // and now it is gone altogether
  qq.clock.advance(60_000);
  qq.desk.services.outbox.kick();
  await qq.desk.router.idle();
  const waiting = (await qq.store.outboxDepth()).waiting;
  expect(waiting).toBe(2 * CUSTOMERS + 2 * REPLIES);

  const second = await dial(qq);
  await drain(qq);
  expect(await qq.store.outboxDepth()).toEqual({ waiting: 0 });

  const acme = accepted(second, ACME_GROUP);
  const staff = accepted(second, STAFF_GROUP);
  // Exactly once each: every acknowledgement and relayed reply in the customer group…
  for (let i = 0; i < CUSTOMERS; i++)
    expect(acme.filter((t) => t.startsWith(`Ticket #${1001 + i} is open`))).toHaveLength(1);
  for (let i = 0; i < REPLIES; i++)
    expect(acme.filter((t) => t.includes(`answer number ${i}`) && t.includes(`#${1001 + i}`))).toHaveLength(
      1,
    );
  // …every announcement and every "queued" confirmation in the staff group.
  for (let i = 0; i < CUSTOMERS; i++)
    expect(staff.filter((t) => t.startsWith(`New ticket #${1001 + i} `))).toHaveLength(1);
  expect(staff.filter((t) => t.includes('is recorded and queued: QQ is unreachable'))).toHaveLength(REPLIES);
  expect(acme).toHaveLength(CUSTOMERS + REPLIES);
  expect(staff).toHaveLength(CUSTOMERS + REPLIES);
  // In order per chat: as the outbox numbered them, which is the order they were written.
  expect(acme).toEqual(await queuedOrder(qq, ACME_GROUP));
  // (The adapter appends the buttons as text: compare first lines.)
  const firstLine = (t: string) => t.split('\n')[0];
  expect(staff.map(firstLine)).toEqual((await queuedOrder(qq, STAFF_GROUP)).map(firstLine));
  expect(acme.indexOf('Ticket #1001 is open')).toBeLessThan(
    acme.findIndex((t) => t.includes('answer number 0')),
  );

  const figures = {
    sent: 2 * CUSTOMERS + 2 * REPLIES,
    delivered: acme.length + staff.length,
    duplicates: acme.length + staff.length - new Set([...acme, ...staff]).size,
    unansweredAttemptsBeforeTheDrop: unanswered,
    wallMs: Date.now() - started,
  };
  console.log('outbox fault test (QQ silent then away):', JSON.stringify(figures));
  expect(figures.duplicates).toBe(0);
}, 20_000);

test('a restart with messages waiting: the reopened desk delivers them all, none twice', async () => {
  const qq = await startQqDesk(FAST, {}, { outbox: OUTBOX, keepDir: true });
  let closed = false;
  cleanup.add(qq, (d) => (closed ? undefined : d.close()));
  const first = await dial(qq);
  first.onAction('send_group_msg', () => ({ status: 'failed', retcode: 1200, message: 'offline' }));
  for (let i = 0; i < 25; i++)
    await say(qq, first, { id: 7100 + i, from: ALICE + i, segments: [at(BOT), text(` restart ${i}`)] });
  const waiting = (await qq.store.outboxDepth()).waiting;
  expect(waiting).toBe(50);
  await first.close();
  await qq.close(); // the process ends with 50 messages waiting
  closed = true;

  const again = cleanup.add(
    await startQqDesk(FAST, {}, { outbox: OUTBOX, dir: qq.dir, clock: qq.clock }),
    (d) => d.close(),
  );
  const peer = await dial(again);
  again.clock.advance(60_000);
  again.desk.router.retryKept(); // what main.ts calls once the adapters are up: starts the sender
  await again.desk.router.idle();
  await drain(again);
  const acme = accepted(peer, ACME_GROUP);
  const staff = accepted(peer, STAFF_GROUP);
  expect(acme).toHaveLength(25);
  expect(staff).toHaveLength(25);
  expect(new Set(acme).size).toBe(25);
  expect(new Set(staff).size).toBe(25);
  expect(acme).toEqual(await queuedOrder(again, ACME_GROUP));
  console.log(
    'outbox fault test (restart):',
    JSON.stringify({
      waiting,
      delivered: acme.length + staff.length,
      duplicates: 50 - new Set([...acme, ...staff]).size,
    }),
  );
}, 20_000);

test("/history shows each relayed reply's delivery state: queued while QQ is away, delivered after", async () => {
  const qq = cleanup.add(await startQqDesk(FAST, {}, { outbox: OUTBOX }), (d) => d.close());
  const first = await dial(qq);
  await say(qq, first, { id: 7200, from: ALICE, segments: [at(BOT), text(' the build fails')] });
  await drain(qq);
  first.onAction('send_group_msg', () => ({ status: 'failed', retcode: 1200, message: 'offline' }));
  await say(qq, first, {
    id: 7201,
    from: BOB,
    group: STAFF_GROUP,
    segments: [text('/reply #1001 clear the cache')],
  });
  await say(qq, first, { id: 7202, from: BOB, group: STAFF_GROUP, segments: [text('/history #1001')] });
  await first.close();

  const second = await dial(qq);
  await drain(qq);
  await say(qq, second, { id: 7203, from: BOB, group: STAFF_GROUP, segments: [text('/history #1001')] });
  await drain(qq);
  const replyLines = accepted(second, STAFF_GROUP)
    .filter((t) => t.startsWith('#1001'))
    .map((t) => t.split('\n').find((line) => line.includes('→ customer: clear the cache')));
  expect(replyLines).toEqual([
    expect.stringMatching(/clear the cache \(queued: not delivered yet, retrying\)$/),
    expect.stringMatching(/clear the cache \(delivered\)$/),
  ]);
  expect(accepted(second, ACME_GROUP).filter((t) => t.includes('clear the cache'))).toHaveLength(1);
}, 20_000);
