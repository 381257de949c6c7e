/**
 * The playground's demo data, seeded into an empty store: two customers on different
 * plans with their groups, a staff channel, a community group and one person per role.
 */
import type { DeskServices } from '../commands/types';

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
