/**
 * A source store holding every kind of record migrate copies: 2 customers, 2 subscriptions,
 * 3 people, 2 identities, 2 groups, 3 tickets (#1001–#1003), 7 events, 2 message links and
 * 2 saved replies, one name in two languages (25 records), with optional fields both present and absent and text that JSON escapes.
 */
import { isMacroStore } from '../../src/core/macros';
import type { Store } from '../../src/core/ports';
import { create, event, HOUR, identity, seed, subscription, T0 } from '../contract/store.fixtures';

export const SOURCE_RECORDS = 25;

export async function fillSource(store: Store): Promise<void> {
  await seed(store); // customers acme and globex; alice, erin and bob; the acme group
  await store.putSubscription(subscription());
  await store.putSubscription(
    subscription({ id: 'sub-globex', customerId: 'globex', plan: 'enterprise', trainingUsed: 1 }),
  );
  await store.putIdentity(identity());
  await store.putIdentity(identity({ platform: 'wechat', userId: 'wxid_bob', personId: 'bob' }));
  await store.putGroup({
    platform: 'slack',
    chatId: 'C-STAFF',
    kind: 'staff',
    locale: 'en',
    autoMode: false,
    boundAt: T0,
  });
  const bob = await store.getPerson('bob');
  if (bob !== undefined) await store.putPerson({ ...bob, locale: 'zh-CN' }); // a language travels too

  // Queue keys as TicketService writes them (a store without them gains them at MongoDB's open).
  const first = await create(store, { nearestDueAt: T0 + 24 * HOUR });
  await create(store, {
    subject: '构建失败: "ERR_REQUIRE_ESM"\nat line 1 \\ tab\t',
    priority: 'p1',
    threadId: '1700000000.000100',
    dueAt: undefined,
    nearestDueAt: Number.MAX_SAFE_INTEGER,
  });
  await create(store, {
    nearestDueAt: T0 + 24 * HOUR,
    customerId: 'globex',
    requesterId: 'erin',
    chatId: 'C-GLOBEX',
    createdAt: T0 + HOUR,
  });
  await store.updateTicket(
    first.number,
    first.version,
    { status: 'claimed', assigneeId: 'bob', updatedAt: T0 + HOUR },
    [
      event({ kind: 'assignment', actorId: 'bob', text: undefined, to: 'bob', at: T0 + HOUR }),
      event({
        kind: 'status_change',
        actorId: 'bob',
        text: undefined,
        from: 'open',
        to: 'claimed',
        at: T0 + HOUR,
      }),
    ],
  );
  await store.addEvent(
    1001,
    event({ kind: 'internal_note', actorId: 'bob', text: 'customer is on 2.3', at: T0 + HOUR }),
  );
  await store.addEvent(
    1002,
    event({ kind: 'staff_reply', actorId: 'bob', text: 'please upgrade', at: T0 + 2 * HOUR }),
  );
  await store.linkMessage({ platform: 'slack', chatId: 'C-ACME', messageId: 'M-1', ticketNumber: 1001 });
  await store.linkMessage({ platform: 'slack', chatId: 'C-ACME', messageId: 'M-2', ticketNumber: 1002 });
  if (!isMacroStore(store)) throw new Error('the source keeps no saved replies');
  await store.putMacro({
    name: 'restart',
    locale: 'zh-CN',
    text: '请重启服务，\n然后发日志。',
    updatedBy: 'carol',
    updatedAt: T0,
  });
  await store.putMacro({
    name: 'restart',
    locale: 'en',
    text: 'Restart "it", then send the log.',
    updatedBy: 'carol',
    updatedAt: T0 + HOUR,
  });
}
