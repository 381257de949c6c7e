/** Contract: the tickets that link an upstream issue (UpstreamLinks), for webhooks and the poller. */
import { isUpstreamLinks, type UpstreamLinks } from '../../src/core/upstream-links';
import { create, event, type StoreContext, seed, T0 } from './store.fixtures';

const link = (to: string, at = T0 + 5) =>
  event({ at, kind: 'upstream_link', actorId: 'bob', to, text: `Crash https://github.com/${to}` });

const unlink = (to: string, at: number) => event({ at, kind: 'upstream_unlink', actorId: 'bob', to });

export function describeUpstreamLinkContract({ store }: StoreContext): void {
  const links = (): UpstreamLinks => {
    const s = store();
    if (!isUpstreamLinks(s)) throw new Error('this store finds no upstream links');
    return s;
  };
  beforeEach(() => seed(store()));

  it('finds every ticket linking an issue, once each, ascending, whichever way it was written', async () => {
    const [a, b, c, d] = [
      await create(store()),
      await create(store()),
      await create(store()),
      await create(store()),
    ];
    await store().addEvent(c.number, link('acme-oss/framework#12'));
    // Through a compare-and-set update, as /link writes it; and linked twice to one ticket.
    await store().updateTicket(a.number, a.version, { updatedAt: T0 + 6 }, [link('acme-oss/framework#12')]);
    await store().addEvent(a.number, link('acme-oss/framework#12', T0 + 7));
    await store().addEvent(b.number, link('acme-oss/framework#13'));
    await store().addEvent(d.number, link('other/framework#12'));
    // Not links: the same words in another kind of event.
    await store().addEvent(
      d.number,
      event({ kind: 'status_change', actorId: 'bob', to: 'acme-oss/framework#12' }),
    );
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/framework', number: 12 })).toEqual([
      a.number,
      c.number,
    ]);
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/framework', number: 13 })).toEqual([b.number]);
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/framework', number: 14 })).toEqual([]);
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/frame', number: 12 })).toEqual([]);
    expect(await links().linkedIssues()).toEqual([
      { repo: 'acme-oss/framework', number: 12 },
      { repo: 'acme-oss/framework', number: 13 },
      { repo: 'other/framework', number: 12 },
    ]);
  });

  it('compares the repository without regard to case', async () => {
    const t = await create(store());
    await store().addEvent(t.number, link('Acme-OSS/Framework#7'));
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/framework', number: 7 })).toEqual([t.number]);
    expect(await links().ticketsLinkedTo({ repo: 'ACME-OSS/FRAMEWORK', number: 7 })).toEqual([t.number]);
    expect(await links().linkedIssues()).toEqual([{ repo: 'acme-oss/framework', number: 7 }]);
  });

  it('leaves out a link that an unlink ended, until the ticket links it again', async () => {
    const [a, b] = [await create(store()), await create(store())];
    const ref = { repo: 'acme-oss/framework', number: 12 };
    await store().addEvent(a.number, link('acme-oss/framework#12'));
    await store().addEvent(a.number, link('acme-oss/framework#12', T0 + 6)); // linked twice
    await store().addEvent(b.number, link('acme-oss/framework#12'));
    await store().addEvent(a.number, link('acme-oss/docs#3'));
    // As /unlink writes it: a compare-and-set update; the case as the engineer typed it.
    await store().updateTicket(a.number, a.version, { updatedAt: T0 + 8 }, [
      unlink('Acme-OSS/Framework#12', T0 + 8),
    ]);
    expect(await links().ticketsLinkedTo(ref)).toEqual([b.number]);
    await store().addEvent(b.number, unlink('acme-oss/framework#12', T0 + 9));
    expect(await links().ticketsLinkedTo(ref)).toEqual([]);
    expect(await links().linkedIssues()).toEqual([{ repo: 'acme-oss/docs', number: 3 }]);
    // An unlink of another issue, or on another ticket, ends nothing else.
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/docs', number: 3 })).toEqual([a.number]);
    await store().addEvent(a.number, link('acme-oss/framework#12', T0 + 10));
    expect(await links().ticketsLinkedTo(ref)).toEqual([a.number]);
    expect(await links().linkedIssues()).toEqual([
      { repo: 'acme-oss/docs', number: 3 },
      { repo: 'acme-oss/framework', number: 12 },
    ]);
  });

  it('leaves out a link whose write was refused (a stale version)', async () => {
    const t = await create(store());
    await store().updateTicket(t.number, t.version, { updatedAt: T0 + 1 }, []);
    const stale = await store().updateTicket(t.number, t.version, { updatedAt: T0 + 2 }, [
      link('acme-oss/framework#9'),
    ]);
    expect(stale).toBeUndefined();
    expect(await links().ticketsLinkedTo({ repo: 'acme-oss/framework', number: 9 })).toEqual([]);
  });
}
