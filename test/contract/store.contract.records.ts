/** Contract: inbound keys, customers, subscriptions, people, identities and groups. */
import type { Group, Person } from '../../src/core/model';
import {
  customer,
  expectStoreError,
  group,
  identity,
  person,
  type StoreContext,
  subscription,
  T0,
} from './store.fixtures';

export function describeRecordContract({ store }: StoreContext): void {
  describe('inbound keys', () => {
    it('claims a key once; a second claim is a duplicate', async () => {
      expect(await store().claimInbound('slack::M1', T0)).toBe(true);
      expect(await store().claimInbound('slack::M1', T0 + 1)).toBe(false);
      expect(await store().claimInbound('slack::M2', T0)).toBe(true);
    });

    it('lets exactly one of many concurrent claims of one key win', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store().claimInbound('qq:1:M9', T0)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('releases a key so that a redelivery is handled again; releasing an unknown key is a no-op', async () => {
      await store().claimInbound('discord::M1', T0);
      await store().releaseInbound('discord::M1');
      await store().releaseInbound('never-claimed');
      expect(await store().claimInbound('discord::M1', T0)).toBe(true);
      expect(await store().claimInbound('discord::M1', T0)).toBe(false);
    });
  });

  describe('customers', () => {
    it('round-trips, replaces by id and lists by id', async () => {
      await store().putCustomer(customer({ id: 'globex', name: 'Globex' }));
      await store().putCustomer(customer());
      expect(await store().getCustomer('acme')).toStrictEqual(customer());
      await store().putCustomer(customer({ name: 'Acme Inc.' }));
      expect(await store().getCustomer('acme')).toStrictEqual(customer({ name: 'Acme Inc.' }));
      expect(await store().listCustomers()).toStrictEqual([
        customer({ name: 'Acme Inc.' }),
        customer({ id: 'globex', name: 'Globex' }),
      ]);
    });

    it('keeps mixed CJK, emoji and right-to-left text exactly', async () => {
      const name = '阿克米 股份 😀👍🏽 שלום';
      await store().putCustomer(customer({ name }));
      expect((await store().getCustomer('acme'))?.name).toBe(name);
    });
  });

  describe('subscriptions', () => {
    it('round-trips, replaces by id and lists a customer’s newest end first', async () => {
      const old = subscription({ id: 'sub-2025', endsAt: T0 - 1 });
      const current = subscription();
      await store().putSubscription(old);
      await store().putSubscription(current);
      await store().putSubscription(subscription({ id: 'sub-globex', customerId: 'globex' }));
      expect(await store().listSubscriptions('acme')).toStrictEqual([current, old]);
      const upgraded = subscription({ plan: 'advanced', trainingUsed: 1 });
      await store().putSubscription(upgraded);
      expect(await store().listSubscriptions('acme')).toStrictEqual([upgraded, old]);
    });

    it('books training sessions up to the quota, then refuses', async () => {
      await store().putSubscription(subscription());
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(true);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(true);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(false);
      expect((await store().listSubscriptions('acme'))[0]?.trainingUsed).toBe(2);
      expect(await store().consumeTraining('sub-acme-2026', 0)).toBe(false);
      expect(await store().consumeTraining('no-such-subscription', 5)).toBe(false);
    });

    it('gives a cancelled booking back, once per booked session', async () => {
      await store().putSubscription(subscription());
      expect(await store().releaseTraining('sub-acme-2026')).toBe(false);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(true);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(true);
      expect(await store().releaseTraining('sub-acme-2026')).toBe(true);
      expect((await store().listSubscriptions('acme'))[0]?.trainingUsed).toBe(1);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(true);
      expect(await store().consumeTraining('sub-acme-2026', 2)).toBe(false);
      const released = await Promise.all([1, 2, 3].map(() => store().releaseTraining('sub-acme-2026')));
      expect(released.filter(Boolean)).toHaveLength(2);
      expect((await store().listSubscriptions('acme'))[0]?.trainingUsed).toBe(0);
      expect(await store().releaseTraining('no-such-subscription')).toBe(false);
    });

    it('gives back sessions an import counted', async () => {
      await store().putSubscription(subscription({ trainingUsed: 1 }));
      expect(await store().releaseTraining('sub-acme-2026')).toBe(true);
      expect((await store().listSubscriptions('acme'))[0]?.trainingUsed).toBe(0);
    });

    it('never exceeds the quota under concurrent bookings', async () => {
      await store().putSubscription(subscription());
      const booked = await Promise.all(
        Array.from({ length: 12 }, () => store().consumeTraining('sub-acme-2026', 3)),
      );
      expect(booked.filter(Boolean)).toHaveLength(3);
      expect((await store().listSubscriptions('acme'))[0]?.trainingUsed).toBe(3);
    });
  });

  describe('people and identities', () => {
    it('round-trips people with and without a customer (absent stays absent)', async () => {
      const engineer = { id: 'bob', name: 'Bob', role: 'engineer', createdAt: T0 } as const;
      await store().putPerson(person());
      await store().putPerson(engineer);
      expect(await store().getPerson('alice')).toStrictEqual(person());
      const bob = await store().getPerson('bob');
      expect(bob).toStrictEqual(engineer);
      expect(bob !== undefined && 'customerId' in bob).toBe(false);
    });

    it('lists people by role, by customer, by both, or all (by id)', async () => {
      await store().putPerson(person());
      await store().putPerson(person({ id: 'erin', name: 'Erin', customerId: 'globex' }));
      await store().putPerson(person({ id: 'amy', name: 'Amy' }));
      await store().putPerson({ id: 'bob', name: 'Bob', role: 'engineer', createdAt: T0 });
      await store().putPerson({ id: 'carol', name: 'Carol', role: 'manager', createdAt: T0 });
      const ids = async (query: Parameters<ReturnType<typeof store>['listPeople']>[0]) =>
        (await store().listPeople(query)).map((p) => p.id);
      expect(await ids({})).toEqual(['alice', 'amy', 'bob', 'carol', 'erin']);
      expect(await ids({ role: 'engineer' })).toEqual(['bob']);
      expect(await ids({ customerId: 'acme' })).toEqual(['alice', 'amy']);
      expect(await ids({ role: 'subscriber', customerId: 'globex' })).toEqual(['erin']);
      expect(await ids({ role: 'manager', customerId: 'acme' })).toEqual([]);
    });

    it('finds a person by platform identity, and re-points an identity', async () => {
      await store().putPerson(person());
      await store().putPerson(person({ id: 'amy', name: 'Amy' }));
      await store().putIdentity(identity());
      await store().putIdentity(identity({ platform: 'wechat', userId: 'wx-alice' }));
      expect(await store().findPersonByIdentity('slack', 'U-ALICE')).toStrictEqual(person());
      expect(await store().findPersonByIdentity('discord', 'U-ALICE')).toBeUndefined();
      expect(await store().listIdentities('alice')).toStrictEqual([
        identity(),
        identity({ platform: 'wechat', userId: 'wx-alice' }),
      ]);
      await store().putIdentity(identity({ personId: 'amy' }));
      expect((await store().findPersonByIdentity('slack', 'U-ALICE'))?.id).toBe('amy');
      expect(await store().listIdentities('alice')).toStrictEqual([
        identity({ platform: 'wechat', userId: 'wx-alice' }),
      ]);
    });

    it('keeps identities when a person is replaced, and deletes them with the person', async () => {
      await store().putPerson(person());
      await store().putIdentity(identity());
      await store().putPerson(person({ name: 'Alice Liddell' }));
      expect((await store().findPersonByIdentity('slack', 'U-ALICE'))?.name).toBe('Alice Liddell');
      await store().deletePerson('alice');
      expect(await store().getPerson('alice')).toBeUndefined();
      expect(await store().findPersonByIdentity('slack', 'U-ALICE')).toBeUndefined();
      expect(await store().listIdentities('alice')).toEqual([]);
      await store().putPerson(person());
      expect(await store().listIdentities('alice')).toEqual([]);
      await store().deletePerson('nobody');
    });

    it('round-trips a person’s language, clears it when absent, and refuses an unknown one', async () => {
      await store().putPerson(person({ locale: 'en' }));
      expect(await store().getPerson('alice')).toStrictEqual(person({ locale: 'en' }));
      expect((await store().listPeople({ customerId: 'acme' }))[0]?.locale).toBe('en');
      await store().putPerson(person());
      const cleared = await store().getPerson('alice');
      expect(cleared !== undefined && 'locale' in cleared).toBe(false);
      // A value that is not one of LOCALES never reaches the database.
      const french = { ...person(), locale: 'fr' } as unknown as Person;
      await expectStoreError(store().putPerson(french), 'STORE_INVALID_VALUE');
      await expectStoreError(
        store().putPerson({ ...french, locale: { $ne: null } } as unknown as Person),
        'STORE_INVALID_VALUE',
      );
      expect(await store().getPerson('alice')).toStrictEqual(person());
    });

    it('refuses an identity for a person that does not exist', async () => {
      await expectStoreError(store().putIdentity(identity({ personId: 'ghost' })), 'STORE_MISSING_REFERENCE');
      expect(await store().findPersonByIdentity('slack', 'U-ALICE')).toBeUndefined();
    });
  });

  describe('groups', () => {
    it('round-trips with optional fields present or absent, replaces by (platform, chatId)', async () => {
      const staff = {
        platform: 'discord',
        chatId: 'staff',
        kind: 'staff',
        autoMode: false,
        boundAt: T0,
      } as const;
      await store().putGroup(group());
      await store().putGroup(staff);
      expect(await store().getGroup('slack', 'C-ACME')).toStrictEqual(group());
      const got = await store().getGroup('discord', 'staff');
      expect(got).toStrictEqual(staff);
      expect(got !== undefined && ('customerId' in got || 'title' in got)).toBe(false);
      await store().putGroup(group({ autoMode: true, title: 'Acme ⚙️' }));
      expect(await store().getGroup('slack', 'C-ACME')).toStrictEqual(
        group({ autoMode: true, title: 'Acme ⚙️' }),
      );
      expect(await store().getGroup('discord', 'C-ACME')).toBeUndefined();
    });

    it('round-trips a group’s language, clears it when absent, and refuses an unknown one', async () => {
      await store().putGroup(group({ locale: 'en' }));
      expect(await store().getGroup('slack', 'C-ACME')).toStrictEqual(group({ locale: 'en' }));
      expect((await store().listGroups('customer'))[0]?.locale).toBe('en');
      await store().putGroup(group({ locale: 'zh-CN' }));
      expect((await store().getGroup('slack', 'C-ACME'))?.locale).toBe('zh-CN');
      await store().putGroup(group());
      const cleared = await store().getGroup('slack', 'C-ACME');
      expect(cleared !== undefined && 'locale' in cleared).toBe(false);
      const unknown = { ...group(), locale: 'en-US' } as unknown as Group;
      await expectStoreError(store().putGroup(unknown), 'STORE_INVALID_VALUE');
      expect(await store().getGroup('slack', 'C-ACME')).toStrictEqual(group());
    });

    it('lists all groups, or those of one kind', async () => {
      await store().putGroup(group());
      await store().putGroup(group({ chatId: 'C-GLOBEX', customerId: 'globex' }));
      await store().putGroup({
        platform: 'qq',
        chatId: '10001',
        kind: 'community',
        autoMode: false,
        boundAt: T0,
      });
      expect((await store().listGroups()).map((g) => g.chatId).sort()).toEqual([
        '10001',
        'C-ACME',
        'C-GLOBEX',
      ]);
      expect((await store().listGroups('customer')).map((g) => g.chatId).sort()).toEqual([
        'C-ACME',
        'C-GLOBEX',
      ]);
      expect(await store().listGroups('manager')).toEqual([]);
    });
  });
}
