/**
 * A second process for sqlite.processes.test.ts (run with tsx). Modes:
 * - `race FILE N`: prints `ready`, waits for a line on stdin, then N times claims the
 *   inbound key `shared-i` and creates a ticket; prints one JSON line with the numbers
 *   it got and the keys it won.
 * - `ack FILE`: creates tickets one after another forever, printing `ack NUMBER` once
 *   each createTicket has resolved (i.e. is durable), until it is killed.
 */
import { createInterface } from 'node:readline';
import { openSqliteStore } from '../../src/store/sqlite';
import { event, newTicket } from './store.fixtures';

async function main(): Promise<void> {
  const [mode, file, count] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: sqlite.worker.ts race|ack FILE [N]');
  const store = openSqliteStore(file);
  if (mode === 'race') {
    process.stdout.write('ready\n');
    await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
    const numbers: number[] = [];
    const won: string[] = [];
    for (let i = 0; i < Number(count); i += 1) {
      if (await store.claimInbound(`shared-${i}`, i)) won.push(`shared-${i}`);
      numbers.push((await store.createTicket(newTicket({ sourceKey: `child-${i}` }), event())).ticket.number);
    }
    process.stdout.write(`${JSON.stringify({ numbers, won })}\n`);
    await store.close();
    process.exit(0);
  }
  for (let i = 0; ; i += 1) {
    const { ticket } = await store.createTicket(newTicket({ sourceKey: `ack-${i}` }), event());
    process.stdout.write(`ack ${ticket.number}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
