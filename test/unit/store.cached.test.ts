import { ManualClock } from '../../src/core/clock';
import type { Group } from '../../src/core/model';
import { CachedStore } from '../../src/store/cached';
import { openSqliteStore } from '../../src/store/sqlite';

const group = (kind: Group['kind']): Group => ({
  platform: 'slack',
  chatId: 'C1',
  kind,
  autoMode: false,
  boundAt: 1,
});

describe('CachedStore', () => {
  it('serves repeated lookups from memory, sees its own writes at once and others’ after the TTL', async () => {
    const inner = openSqliteStore(':memory:');
    const clock = new ManualClock(0);
    const cached = new CachedStore(inner, clock, 5000);
    await cached.putGroup(group('staff'));
    expect((await cached.getGroup('slack', 'C1'))?.kind).toBe('staff');
    await inner.putGroup(group('community')); // another process writes behind our back
    expect((await cached.getGroup('slack', 'C1'))?.kind).toBe('staff');
    clock.advance(5001);
    expect((await cached.getGroup('slack', 'C1'))?.kind).toBe('community');
    await cached.putGroup(group('manager')); // our own write is visible immediately
    expect((await cached.getGroup('slack', 'C1'))?.kind).toBe('manager');
    expect(await cached.listGroups('manager')).toHaveLength(1);
    await cached.close();
  });

  it('never caches tickets', async () => {
    const inner = openSqliteStore(':memory:');
    const cached = new CachedStore(inner, new ManualClock(0), 60_000);
    expect(await cached.getTicket(1001)).toBeUndefined();
    await inner.putCustomer({ id: 'acme', name: 'A', createdAt: 0 });
    await inner.createTicket(
      {
        customerId: 'acme',
        requesterId: 'p',
        platform: 'slack',
        chatId: 'C1',
        sourceKey: 'k',
        category: 'consultation',
        priority: 'p2',
        status: 'open',
        subject: 's',
        plan: 'basic',
        createdAt: 0,
        updatedAt: 0,
        lastCustomerAt: 0,
      },
      { at: 0, kind: 'customer_message', actorId: 'p', text: 's' },
    );
    expect((await cached.getTicket(1001))?.subject).toBe('s');
    await cached.close();
  });
});
