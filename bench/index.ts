/**
 * `npm run bench`: prints one JSON line of figures. Not part of `npm test`: speed and
 * memory are measured here, never in unit tests. BENCH_MESSAGES sets the message count.
 */
import { benchCore } from './core.bench';
import { benchSla } from './sla.bench';

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 100_000);
  const inFlight = Number(process.argv[3] ?? 4);
  const core = await benchCore(messages, inFlight);
  const targets = {
    messagesPerSecond: core.messagesPerSecond >= 5000,
    p99Under5ms: core.p99Ms < 5,
    ratioAtMost10: core.ratioToRawInsert <= 10,
    rssUnder150MB: core.rssMb < 150,
  };
  process.stdout.write(`${JSON.stringify({ bench: 'core', node: process.version, ...core, targets })}\n`);
  if (process.env.BENCH_SKIP_SLA) return;
  // One scheduler tick with 1,000 reminders due, over 100,000 and 1,000,000 tickets.
  const sla = await benchSla();
  const slaTargets = {
    tickUnder50msAt1M: (sla.tick1mMs ?? Number.POSITIVE_INFINITY) < 50,
    tick1MAtMost1_5xTick100k: (sla.tick1mMs ?? Number.POSITIVE_INFINITY) <= 1.5 * (sla.tick100kMs ?? 0),
  };
  process.stdout.write(`${JSON.stringify({ bench: 'sla', ...sla, targets: slaTargets })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
