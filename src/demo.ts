/**
 * The playground's demo data, seeded into an empty store: two customers on different
 * plans with their groups, a staff channel, a community group and one person per role.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DIRECT } from '../adapters/console/console.mapper';
import type { DeskServices } from '../commands/types';
import type { Store } from './core/ports';

export async function seedDemo(desk: DeskServices): Promise<boolean> {
  const { store, directory } = desk;
  if ((await store.listCustomers()).length > 0) return false;
  await directory.addCustomer('acme', 'ACME Corp');
  await directory.addSubscription('acme', 'basic', 12);
  await directory.addCustomer('globex', 'Globex');
  await directory.addSubscription('globex', 'enterprise', 12);
  await directory.bindGroup('console', 'acme', 'acme', 'acme');
  await directory.bindGroup('console', 'globex', 'globex', 'globex');
  await directory.bindGroup('console', 'staff', 'staff', 'staff');
  await directory.bindGroup('console', 'managers', 'managers', 'managers');
  await directory.bindGroup('console', 'community', 'community', 'community');
  await directory.addSubscriber('console', 'alice', 'acme', 'alice');
  await directory.addSubscriber('console', 'erin', 'globex', 'erin');
  await directory.setStaff('console', 'bob', 'engineer', 'bob');
  await directory.setStaff('console', 'carol', 'manager', 'carol');
  return true;
}

/** The people the guide names; dave has no plan, so the store does not know him. */
const DEMO_PEOPLE = ['alice', 'erin', 'bob', 'carol', 'dave'];

/** Who can speak in the playground and where: the demo people, console identities, console groups and `dm`. */
export async function playgroundNames(
  store: Store,
): Promise<{ people: readonly string[]; places: readonly string[] }> {
  const people = new Set(DEMO_PEOPLE);
  for (const person of await store.listPeople({}))
    for (const identity of await store.listIdentities(person.id))
      if (identity.platform === 'console') people.add(identity.userId);
  const places = (await store.listGroups()).filter((g) => g.platform === 'console').map((g) => g.chatId);
  return { people: [...people], places: [...places, DIRECT] };
}

/** Fields of stored records that say when something happened (not deadlines or periods ahead). */
const HAPPENED = [
  'at',
  'createdAt',
  'updatedAt',
  'boundAt',
  'lastCustomerAt',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
];

/** The time of the latest thing the store remembers: a read of the whole store. */
async function latestStoredTime(store: Store): Promise<number | undefined> {
  let latest: number | undefined;
  for await (const { record } of store.exportAll()) {
    for (const field of HAPPENED) {
      const value = (record as Record<string, unknown>)[field];
      if (typeof value === 'number' && (latest === undefined || value > latest)) latest = value;
    }
  }
  return latest;
}

/** Where the playground keeps how far `:clock` has moved it ahead of real time. */
export function clockFileIn(dataDir: string): string {
  return path.join(dataDir, 'playground-clock.json');
}

/**
 * How far ahead of real time the playground's clock resumes. `:clock +2d` moves the clock and
 * the data persists: without this a restart would put the clock back to the real time, before
 * what was stored (times going backwards in /history and reports). The offset is kept in a file
 * of the data dir (saveClockOffset), so a start reads one small file whatever the store holds;
 * only a data dir from before that file is read through once, to resume after its latest event.
 */
export async function resumedClockOffset(file: string, store: Store, now: number): Promise<number> {
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
    if (typeof offsetMs === 'number' && Number.isFinite(offsetMs) && offsetMs >= 0) return offsetMs;
  } catch {
    // no file yet (or an unreadable one): fall back to the stored times
  }
  const latest = await latestStoredTime(store);
  return latest !== undefined && latest >= now ? latest + 1 - now : 0;
}

/** Writes the clock's offset whole (a temporary file renamed over it), so a crash never leaves half of it. */
export function saveClockOffset(file: string, offsetMs: number): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ offsetMs })}\n`);
  renameSync(`${file}.tmp`, file);
}

/** A one-time web console sign-in link for each demo person who may use it (the playground prints them). */
export async function demoSignInLinks(desk: DeskServices): Promise<Array<{ name: string; url: string }>> {
  const links: Array<{ name: string; url: string }> = [];
  for (const name of DEMO_PEOPLE) {
    const person = await desk.store.findPersonByIdentity('console', name);
    if (person && (await desk.signIn.allowed(person)))
      links.push({ name, url: await desk.signIn.link(person) });
  }
  return links;
}
