/** Contract: /search's index (TicketSearch): subjects, customer messages and staff replies, never notes. */
import { isTicketSearch, type TicketSearch } from '../../src/core/search';
import { event, newTicket, type StoreContext, seed, T0 } from './store.fixtures';

export function describeSearchContract({ store }: StoreContext): void {
  const search = (): TicketSearch => {
    const s = store();
    if (!isTicketSearch(s)) throw new Error('this store has no ticket search');
    return s;
  };
  const open = async (subject: string, text: string, customerId = 'acme') => {
    const requesterId = customerId === 'acme' ? 'alice' : 'erin';
    const { ticket } = await store().createTicket(
      newTicket({ subject, customerId, requesterId }),
      event({ text, actorId: requesterId }),
    );
    return ticket.number;
  };
  const numbers = async (words: string, customerId?: string, offset = 0, limit = 10) =>
    (await search().searchTickets({ words, limit, offset, ...(customerId ? { customerId } : {}) })).map(
      (h) => h.number,
    );

  beforeEach(() => seed(store()));

  it('finds Latin words in any case, in the subject, messages and replies, never in notes', async () => {
    const pdf = await open('Export to PDF crops the last page', 'Export to PDF crops the last page');
    const node = await open('Build fails on Node 20', 'Build fails on Node 20');
    await store().addEvent(
      node,
      event({ kind: 'staff_reply', actorId: 'bob', text: 'Upgrade the ESM loader' }),
    );
    await store().addEvent(node, event({ kind: 'internal_note', actorId: 'bob', text: 'secret workaround' }));
    expect(await numbers('pdf')).toEqual([pdf]);
    expect(await numbers('EXPORT pdf')).toEqual([pdf]);
    expect(await numbers('esm loader')).toEqual([node]);
    expect(await numbers('workaround')).toEqual([]);
    expect(await numbers('pdf node')).toEqual([]);
    const [hit] = await search().searchTickets({ words: 'esm', limit: 10, offset: 0 });
    expect(hit?.snippet).toContain('ESM');
  });

  it('finds Chinese text, and words shorter than three characters', async () => {
    const zh = await open('导出 PDF 时最后一页被截断', '导出 PDF 时最后一页被截断');
    await open('Build fails on Node 20', 'Build fails on Node 20');
    expect(await numbers('最后一页')).toEqual([zh]);
    expect(await numbers('截断')).toEqual([zh]);
    expect(await numbers('页')).toEqual([zh]);
    expect(await numbers('20')).toHaveLength(1);
    expect(await numbers('100%')).toEqual([]);
  });

  it("finds another customer's ticket for staff, never for that customer's own view", async () => {
    const acme = await open('Login loop after SSO upgrade', 'Login loop after SSO upgrade');
    const globex = await open('SSO login loop', 'SSO login loop', 'globex');
    expect((await numbers('login loop')).sort()).toEqual([acme, globex].sort());
    expect(await numbers('login loop', 'acme')).toEqual([acme]);
    expect(await numbers('sso', 'acme')).toEqual([acme]);
    expect(await numbers('lo', 'acme')).toEqual([acme]);
  });

  it('pages through the matches, one hit per ticket', async () => {
    const all: number[] = [];
    for (let i = 0; i < 12; i += 1) all.push(await open(`Timeout in worker ${i}`, `Timeout in worker ${i}`));
    const first = await numbers('timeout', undefined, 0, 10);
    const second = await numbers('timeout', undefined, 10, 10);
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(2);
    expect([...first, ...second].sort()).toEqual(all.sort());
  });

  it('indexes text written through updateTicket in the same write', async () => {
    const n = await open('Crash on start', 'Crash on start');
    const ticket = await store().getTicket(n);
    await store().updateTicket(n, ticket!.version, { updatedAt: T0 + 1 }, [
      event({ kind: 'staff_reply', actorId: 'bob', text: 'Set NODE_OPTIONS to 4096' }),
    ]);
    expect(await numbers('node_options')).toEqual([n]);
  });

  describe('similarResolved', () => {
    const resolve = async (n: number, at = T0 + 10) => {
      const t = await store().getTicket(n);
      await store().updateTicket(n, t!.version, { status: 'resolved', resolvedAt: at, updatedAt: at }, []);
    };
    const similar = async (terms: string[], excludeNumber: number, limit = 3) =>
      (await search().similarResolved({ terms, excludeNumber, limit })).map((h) => h.number);

    it('finds resolved tickets of any customer sharing any term, best first, never open ones or the new one', async () => {
      const sso = await open('SSO login loop on the admin page', 'SSO login loop on the admin page');
      const loop = await open('Redirect loop after upgrade', 'Redirect loop after upgrade', 'globex');
      const open1 = await open('SSO login loop again', 'SSO login loop again');
      const other = await open('Export to PDF crops the page', 'Export to PDF crops the page');
      await resolve(sso);
      await resolve(loop);
      await resolve(other);
      const fresh = await open('Login loop with SSO', 'Login loop with SSO', 'globex');
      await resolve(fresh); // even resolved, the new ticket is never its own suggestion
      const found = await similar(['login', 'loop', 'sso'], fresh);
      expect(found).toEqual([sso, loop]);
      expect(found).not.toContain(open1);
      expect(await similar(['login', 'loop', 'sso'], fresh, 1)).toEqual([sso]);
      expect(await similar(['nothing-like-it'], fresh)).toEqual([]);
      expect(await similar(['ab'], fresh)).toEqual([]); // too short for the index: nothing asked
    });

    it('matches Chinese terms and a staff reply; leaves out a ticket closed without being resolved', async () => {
      const zh = await open('导出 PDF 时最后一页被截断', '导出 PDF 时最后一页被截断');
      const closedOnly = await open('最后一页丢失', '最后一页丢失');
      await resolve(zh);
      const c = await store().getTicket(closedOnly);
      await store().updateTicket(
        closedOnly,
        c!.version,
        { status: 'closed', closedAt: T0 + 5, updatedAt: T0 + 5 },
        [],
      );
      const replied = await open('Crash on start', 'Crash on start');
      await store().addEvent(
        replied,
        event({ kind: 'staff_reply', actorId: 'bob', text: '请设置 NODE_OPTIONS' }),
      );
      await resolve(replied);
      expect(await similar(['最后一'], 9_999)).toEqual([zh]);
      expect(await similar(['node_options'], 9_999)).toEqual([replied]);
    });
  });

  it('answers the newest matches first when asked, one hit per ticket, within the customer', async () => {
    const old = await open('Timeout timeout timeout in the worker', 'Timeout timeout timeout');
    const other = await open('Timeout at Globex', 'Timeout at Globex', 'globex');
    const recent = await open('One timeout', 'One timeout');
    const newest = (words: string, customerId?: string) =>
      search()
        .searchTickets({
          words,
          limit: 10,
          offset: 0,
          order: 'newest',
          ...(customerId ? { customerId } : {}),
        })
        .then((hits) => hits.map((h) => h.number));
    expect(await newest('timeout')).toEqual([recent, other, old]);
    expect(await newest('TIMEOUT', 'acme')).toEqual([recent, old]);
    expect(await newest('nothing like it')).toEqual([]);
  });
}
