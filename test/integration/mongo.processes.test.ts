/**
 * Two real GroupDesk processes (`src/main.ts`, as `npm start` runs it) on one MongoDB, each with
 * its own data dir, each dialling its own OneBot client (forward mode, a real WebSocket): every
 * message of a burst is delivered to both, one process is `kill -9`ed mid-burst and restarted.
 * Then two playground processes on one database move their clocks together: every SLA reminder
 * stage is delivered exactly once across the two. Runs whenever MONGODB_URI is set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { loadConfig } from '../../config/load';
import { createDesk } from '../../src/app';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { openMongoStore } from '../../src/store/mongo';
import { describeWithMongo, type MongoDatabase } from '../contract/mongo.suite';
import { ForwardPeer } from '../fakes/onebot-peer';

const ROOT = path.join(__dirname, '../..');
// tsx as a loader of the node process itself, so that SIGKILL kills the desk, not a wrapper.
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const TOKEN = 'two-processes-token';
const ACME_GROUP = 100200300;
const STAFF_GROUP = 100200400;
const BOB = 700001;
// A question and two details from each of 200 customers: 600 messages, each delivered to
// both processes. (FerretDB 1.24 on SQLite pushes down only `{ _id: <string> }` filters and
// scans the collection for every other query, so each message costs more as the data grows:
// more tickets would measure FerretDB's scans, not GroupDesk. Since every answer also goes
// through the outbox, whose rows those scans read too, details are filed at ~2 a second at
// first and ~0.2 a second after 800 of them on a 2-core machine: nine details — 2,000
// messages — and then four — 1,000 — no longer finished within the test's ten minutes.)
const CUSTOMERS = 200;
const DETAILS = 2;
const KILL_AFTER = 60;

// Set per test: describeWithMongo sets the suites' default, which is too short for these.
const LONG = 600_000;

/** The URI of `db` as a process sees it: the database name in the path. */
function uriOf(db: MongoDatabase): string {
  const url = new URL(db.uri);
  url.pathname = `/${db.dbName}`;
  return url.toString();
}

interface Desk {
  readonly child: ChildProcess;
  readonly output: string[];
  readonly exited: Promise<void>;
}

function startDesk(env: Record<string, string>, input?: string): Desk {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', GROUPDESK_LOCALE: 'en', GROUPDESK_LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  if (input !== undefined) child.stdin!.write(input);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output, exited };
}

async function stopDesk(desk: Desk | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (desk === undefined) return;
  if (desk.child.exitCode === null && desk.child.signalCode === null) desk.child.kill(signal);
  await desk.exited;
}

async function until(
  what: string,
  ready: () => boolean | Promise<boolean>,
  ms = 300_000,
  progress?: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) {
      const got = progress ? ` (got ${JSON.stringify(await progress())})` : '';
      throw new Error(`timed out waiting for ${what}${got}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Resolves once `count` has not changed for three seconds. */
async function settled(count: () => number | Promise<number>): Promise<void> {
  await until('the count to settle', async () => {
    const before = await count();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return (await count()) === before;
  });
}

const WOULD_RUN = [
  'two processes fed the same 600-message burst open one ticket per question, and lose nothing acknowledged when one is killed',
  'two playground processes moving their clocks together deliver each reminder stage exactly once',
];

describeWithMongo('two GroupDesk processes on one MongoDB', WOULD_RUN, (db) => {
  const dirs: string[] = [];
  const desks: Desk[] = [];
  const peers: ForwardPeer[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-proc-'));
    dirs.push(dir);
    return dir;
  };
  const track = (desk: Desk) => {
    desks.push(desk);
    return desk;
  };

  afterEach(async () => {
    for (const desk of desks.splice(0)) await stopDesk(desk, 'SIGKILL');
    for (const peer of peers.splice(0)) await peer.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function seedQq(): Promise<void> {
    const config = loadConfig({ GROUPDESK_LOCALE: 'en', GROUPDESK_CONFIG_DIR: path.join(ROOT, 'config') });
    const store = await openMongoStore(db);
    const desk = createDesk({ config, store, clock: new ManualClock(Date.now()), logger: silentLogger });
    const { directory } = desk.services;
    await directory.addCustomer('acme', 'ACME Corp');
    await directory.addSubscription('acme', 'basic', 12);
    await directory.bindGroup('qq', String(ACME_GROUP), 'acme');
    await directory.bindGroup('qq', String(STAFF_GROUP), 'staff');
    await directory.setStaff('qq', String(BOB), 'engineer', 'bob');
    desk.router.stop();
    await store.close();
  }

  it(
    WOULD_RUN[0]!,
    async () => {
      await seedQq();
      const peerA = await ForwardPeer.listen({ selfId: '10001', token: TOKEN });
      const peerB = await ForwardPeer.listen({ selfId: '10001', token: TOKEN });
      peers.push(peerA, peerB);
      const envFor = (peer: ForwardPeer, dir: string) => ({
        MONGODB_URI: uriOf(db),
        GROUPDESK_DATA_DIR: dir,
        ONEBOT_ACCESS_TOKEN: TOKEN,
        ONEBOT_MODE: 'forward',
        ONEBOT_WS_URL: peer.url,
        ONEBOT_SEND_INTERVAL_MS: '0',
      });
      const dirA = dataDir();
      let deskA = track(startDesk(envFor(peerA, dirA)));
      track(startDesk(envFor(peerB, dataDir())));
      await Promise.all([peerA.waitForConnections(1, 60_000), peerB.waitForConnections(1, 60_000)]);

      const message = (i: number, text: string, id: number) =>
        peerA.groupMessage({
          messageId: id,
          groupId: ACME_GROUP,
          userId: 600_000 + i,
          card: `customer ${i}`,
          segments: [
            { type: 'at', data: { qq: '10001' } },
            { type: 'text', data: { text } },
          ],
        });
      const toBoth = (event: Record<string, unknown>, withA: boolean) => {
        if (withA) peerA.push(event);
        peerB.push(event);
      };

      // Phase 1: one question per customer, delivered to both; A is killed mid-burst.
      let killedWhileInFlight = 0;
      let ackedByKilled = new Set<number>();
      for (let i = 0; i < CUSTOMERS; i += 1) {
        const aliveA = deskA.child.exitCode === null && deskA.child.signalCode === null;
        toBoth(message(i, `question ${i}: the build fails on step ${i}`, 1_000_000 + i), aliveA);
        if (i === KILL_AFTER) {
          await until(
            'A to acknowledge some tickets',
            () => peerA.acknowledged(ACME_GROUP).length > KILL_AFTER / 6,
          );
          killedWhileInFlight =
            i + 1 - peerA.acknowledged(ACME_GROUP).length - peerB.acknowledged(ACME_GROUP).length;
          await stopDesk(deskA, 'SIGKILL');
          ackedByKilled = new Set(peerA.acknowledged(ACME_GROUP)); // all the dead process got out
        }
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      deskA = track(startDesk(envFor(peerA, dirA)));
      await peerA.waitForConnections(2, 60_000);
      const store = await openMongoStore(db);
      const count = await countIn(db);
      try {
        await until('B to handle every question', async () => {
          return (await count('tickets')) >= CUSTOMERS - killedWhileInFlight;
        });
        await settled(() => peerA.acknowledged(ACME_GROUP).length + peerB.acknowledged(ACME_GROUP).length);
        const ackedBeforeDetails = [...peerA.acknowledged(ACME_GROUP), ...peerB.acknowledged(ACME_GROUP)];
        // Phase 2: the details, customer after customer, to both processes (A restarted).
        for (let d = 0; d < DETAILS; d += 1) {
          for (let i = 0; i < CUSTOMERS; i += 1)
            toBoth(message(i, `detail ${d} of ${i}: log attached`, 2_000_000 + d * CUSTOMERS + i), true);
          await new Promise((resolve) => setImmediate(resolve));
        }
        await until(
          'every detail to be filed',
          async () => (await count('events', DETAIL)) >= DETAILS * CUSTOMERS,
          300_000,
          () => count('events', DETAIL),
        );
        await settled(async () => count('events'));
        await settled(() => peerA.acknowledged(ACME_GROUP).length + peerB.acknowledged(ACME_GROUP).length);

        const tickets = await store.queryTickets({ limit: 5000 });
        const numbers = tickets.map((t) => t.number);
        const acked = [...peerA.acknowledged(ACME_GROUP), ...peerB.acknowledged(ACME_GROUP)];
        // Each detail filed once, one ticket per customer (a question lost with A opens its
        // ticket from the first detail).
        expect(await count('events', DETAIL)).toBe(DETAILS * CUSTOMERS);
        expect(tickets).toHaveLength(CUSTOMERS);
        expect(new Set(tickets.map((t) => t.requesterId)).size).toBe(CUSTOMERS);
        expect(new Set(numbers).size).toBe(numbers.length);
        // Nothing acknowledged lost, and each ticket acknowledged once across the two processes,
        // but for the crash window the outbox allows: an acknowledgement the killed process got
        // out, and died before recording, is sent again by the survivor. So a ticket acknowledged
        // twice must be one the killed process had acknowledged.
        expect(acked.filter((n) => !numbers.includes(n))).toEqual([]);
        const twice = [...new Set(acked.filter((n, i) => acked.indexOf(n) !== i))];
        expect(twice.filter((n) => !ackedByKilled.has(n))).toEqual([]);
        expect(acked.length).toBe(new Set(acked).size + twice.length);
        expect(ackedBeforeDetails.length).toBeGreaterThanOrEqual(CUSTOMERS - killedWhileInFlight);
        const lost = CUSTOMERS - ackedBeforeDetails.length;
        console.info(
          `two processes: ${(1 + DETAILS) * CUSTOMERS} messages x 2 deliveries, ${tickets.length} tickets, ` +
            `${numbers.length - new Set(numbers).size} duplicate numbers, ${lost} questions lost ` +
            `with the killed process (at most ${killedWhileInFlight} were in flight), ` +
            `${twice.length} acknowledged twice in the crash window`,
        );
      } finally {
        await store.close();
        await count.close();
      }
    },
    LONG,
  );

  it(
    WOULD_RUN[1]!,
    async () => {
      const uri = uriOf(db);
      // A first, so that it seeds the demo; B starts on a store that is not empty.
      const a = track(startDesk({ MONGODB_URI: uri, GROUPDESK_DATA_DIR: dataDir() }));
      const questions = Array.from({ length: 20 }, (_, i) => `/ticket question ${i}: the installer hangs\n`);
      a.child.stdin!.write(`${questions.join('')}:as erin\n:in globex\n${questions.join('')}`);
      const store = await openMongoStore(db);
      try {
        await until('40 tickets', async () => (await store.queryTickets({ limit: 100 })).length === 40);
        const b = track(startDesk({ MONGODB_URI: uri, GROUPDESK_DATA_DIR: dataDir() }));
        await until('B at its prompt', () => b.output.join('').includes('Now speaking as'));
        // Both move their clocks past every stage (50 %, 80 %, breach, repeats) at the same time,
        // and each step waits for both to finish sending: a lease is judged by the clock of the
        // one who finds it, so clocks a day apart would rightly take over each other's leases.
        for (const step of ['+7h', '+7h', '+7h', '+7h', '+1d', '+1d']) {
          a.child.stdin!.write(`:clock ${step}\n`);
          b.child.stdin!.write(`:clock ${step}\n`);
          await settled(() => remindersIn(a, b).length);
        }
        const sent = remindersIn(a, b);
        const tickets = (await store.queryTickets({ limit: 100 })).map((t) => t.number);
        // No stage delivered twice across the two, and every ticket's breach alert delivered to
        // the managers' group and the manager. (Warnings and repeat rounds are checked for
        // duplicates only: a process that lags a step behind sends the latest stage due and
        // skips the ones it superseded, as it should.)
        expect(tickets).toHaveLength(40);
        expect(sent.filter((key, i) => sent.indexOf(key) !== i)).toEqual([]);
        for (const number of tickets)
          for (const to of ['managers', 'dm:carol']) expect(sent).toContain(`#${number} breach to ${to}`);
        expect(sent.filter((key) => key.includes(' warning ')).length).toBeGreaterThanOrEqual(40);
        const byA = remindersIn(a).length;
        console.info(
          `two playgrounds: ${sent.length} reminder stages, ${byA} sent by A, ${sent.length - byA} by B`,
        );
      } finally {
        await store.close();
      }
    },
    LONG,
  );
});

/** The reminder stages the playgrounds printed, as `#ticket stage to group`: one line per delivery. */
function remindersIn(...desks: Desk[]): string[] {
  const stage = (line: string): string | undefined => {
    const to = /^\[([^\]]+)\]/.exec(line)?.[1] ?? '?';
    const warning = /Reminder: #(\d+) .* has used (\d+)%/.exec(line);
    if (warning) return `#${warning[1]} warning ${warning[2]} to ${to}`;
    const breach = /SLA breach: #(\d+) /.exec(line);
    if (breach) return `#${breach[1]} breach to ${to}`;
    const repeat = /Still no first response \(alert (\d+)\): #(\d+) /.exec(line);
    return repeat ? `#${repeat[2]} breach ${repeat[1]} to ${to}` : undefined;
  };
  return desks.flatMap((d) =>
    d.output
      .join('')
      .split('\n')
      .flatMap((line) => stage(line) ?? []),
  );
}

const DETAIL = { text: { $regex: '^detail ' } };

/** Counts documents in a collection of `db` on a connection of its own (cheap to poll). */
async function countIn(db: MongoDatabase) {
  const connection = await mongoose.createConnection(db.uri, { dbName: db.dbName }).asPromise();
  const count = (collection: string, filter: Record<string, unknown> = {}) =>
    connection.db!.collection(collection).countDocuments(filter);
  return Object.assign(count, { close: () => connection.close() });
}
