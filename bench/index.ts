/**
 * `npm run bench`: prints one JSON line of figures. Not part of `npm test`: speed and
 * memory are measured here, never in unit tests. BENCH_MESSAGES sets the message count.
 */
import mongoose from 'mongoose';
import { mongoEnvSchema, openMongoStore } from '../src/store/mongo';
import { benchCore } from './core.bench';
import { benchOutbox } from './outbox.bench';
import { benchPlatforms } from './platforms.bench';
import { benchSearch } from './search.bench';
import { benchSla } from './sla.bench';
import { benchSoak } from './soak.bench';
import { benchStart } from './start.bench';
import { benchUpstream } from './upstream.bench';
import { benchViews } from './views.bench';
import { benchWeb } from './web.bench';

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 100_000);
  const inFlight = Number(process.argv[3] ?? 4);
  const core = await benchCore(messages, inFlight);
  const targets = {
    messagesPerSecond: core.messagesPerSecond >= 5000,
    p99Under5ms: core.p99Ms < 5,
    ratioAtMost10: core.ratioToRawInsert <= 10,
    rssUnder150MB: core.rssMb < 150,
    // Issue 15: a follow-up and a staff reply each at most 3× a raw insert.
    followUpAtMost3: core.followUpRatio <= 3,
    staffReplyAtMost3: core.staffReplyRatio <= 3,
  };
  process.stdout.write(`${JSON.stringify({ bench: 'core', node: process.version, ...core, targets })}\n`);
  // The outbox's share of the core figure (which includes it): its two rows per message alone.
  const outbox = await benchOutbox(Math.min(messages, 20_000), inFlight);
  const share = Math.round((outbox.perMessageUs / core.perMessageUs) * 1000) / 1000;
  process.stdout.write(`${JSON.stringify({ bench: 'outbox', ...outbox, shareOfCorePerMessage: share })}\n`);
  if (!process.env.BENCH_SKIP_PLATFORMS) {
    // The outbox through each real adapter to its local peer (platforms.bench.ts), pacing off.
    for (const figures of await benchPlatforms(Math.min(messages, 2000), inFlight)) {
      // Our path must never be what limits a platform: it must outrun the shipped per-chat pacing.
      const targets = {
        outrunsShippedPacing: figures.rowsPerSecond >= figures.chats * figures.pacedCeilingPerChat,
      };
      process.stdout.write(`${JSON.stringify({ bench: 'outbox-platform', ...figures, targets })}\n`);
    }
  }
  const { MONGODB_URI } = mongoEnvSchema.parse(process.env);
  if (MONGODB_URI !== undefined) {
    // The same loop on the MongoDB store, in a database of its own, dropped afterwards.
    // BENCH_MONGO_MESSAGES sets its count: FerretDB 1.x on SQLite scans a collection for every
    // query but `{ _id: <string> }`, so its figure falls as the tickets grow (1,000 messages: ~2 per second).
    const mongoMessages = Number(process.env.BENCH_MONGO_MESSAGES ?? 300);
    const dbName = `groupdesk_bench_${process.pid}`;
    const mongo = await benchCore(mongoMessages, inFlight, () =>
      openMongoStore({ uri: MONGODB_URI, dbName }),
    );
    const admin = await mongoose.createConnection(MONGODB_URI, { dbName }).asPromise();
    await admin.dropDatabase();
    await admin.close();
    const server = process.env.FERRETDB_BIN ? 'FerretDB (scripts/ferretdb.sh)' : 'MONGODB_URI';
    const { messagesPerSecond, p50Ms, p99Ms, ratioToRawInsert } = mongo;
    const figures = { messages: mongoMessages, inFlight, messagesPerSecond, p50Ms, p99Ms, ratioToRawInsert };
    process.stdout.write(`${JSON.stringify({ bench: 'core-mongo', server, ...figures })}\n`);
  }
  if (!process.env.BENCH_SKIP_VIEWS) {
    // Each view a person looks at, over 1,000,000 tickets, with its query plan (views.bench.ts).
    process.stdout.write(`${JSON.stringify({ bench: 'views', ...(await benchViews()) })}\n`);
  }
  if (!process.env.BENCH_SKIP_VIEWS && !process.env.BENCH_SKIP_SEARCH) {
    // /search over 100,000 and 1,000,000 tickets (search.bench.ts): a view too, so BENCH_SKIP_VIEWS skips it.
    for (const tickets of [100_000, 1_000_000]) {
      const search = await benchSearch(tickets);
      const queries = search.queries as Record<string, { p99Ms: number }>;
      const targets = { rareP99Under50ms: (queries.rare?.p99Ms ?? Number.POSITIVE_INFINITY) <= 50 };
      process.stdout.write(`${JSON.stringify({ bench: 'search', ...search, targets })}
`);
    }
  }
  if (!process.env.BENCH_SKIP_SOAK) {
    // A simulated day of 200 groups (soak.bench.ts): memory must stay flat after the warm-up.
    const soak = await benchSoak();
    const targets = { rssGrowthUnder10MB: soak.rssGrowthMb < 10 };
    process.stdout.write(`${JSON.stringify({ bench: 'soak', ...soak, targets })}\n`);
  }
  if (!process.env.BENCH_SKIP_UPSTREAM) {
    // The tickets linking one upstream issue at 50,000 tickets: indexed vs a scan (upstream.bench.ts).
    const { linked, scanned, ...upstream } = await benchUpstream(50_000);
    const targets = {
      sameAnswer: linked.join() === scanned.join(),
      indexedP99Under1ms: upstream.indexedP99Ms < 1,
    };
    process.stdout.write(
      `${JSON.stringify({ bench: 'upstream-links', ...upstream, linkedTickets: linked.length, targets })}\n`,
    );
  }
  if (!process.env.BENCH_SKIP_WEB) {
    // The web console's queue page at 1,000,000 tickets (10,000 active), over HTTP with a session (web.bench.ts).
    process.stdout.write(`${JSON.stringify({ bench: 'web', ...(await benchWeb()) })}\n`);
  }
  if (!process.env.BENCH_SKIP_START) {
    // `npm start` as a whole process to the playground prompt, bundle vs tsx (start.bench.ts).
    process.stdout.write(`${JSON.stringify({ bench: 'start', ...(await benchStart()) })}\n`);
  }
  if (process.env.BENCH_SKIP_SLA) return;
  // One scheduler tick with 1,000 reminders due, over 100,000 and 1,000,000 tickets.
  const sla = await benchSla();
  const slaTargets = {
    tickUnder50msAt1M: (sla.tick1mMs ?? Number.POSITIVE_INFINITY) < 50,
    tick1MAtMost1_5xTick100k: (sla.tick1mMs ?? Number.POSITIVE_INFINITY) <= 1.5 * (sla.tick100kMs ?? 0),
    threeMetricTickUnder50msAt1M: (sla.tick1mThreeMetricsMs ?? Number.POSITIVE_INFINITY) < 50,
    threeMetricTickAtMost1_2xOneMetric:
      (sla.tick1mThreeMetricsMs ?? Number.POSITIVE_INFINITY) <= 1.2 * (sla.tick1mMs ?? 0),
  };
  process.stdout.write(`${JSON.stringify({ bench: 'sla', ...sla, targets: slaTargets })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
