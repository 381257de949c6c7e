/**
 * A restart during a store outage: desk A keeps messages in the data dir's outage spool and
 * dies (kill -9: no stop) or stops; desk B, the next process on the same data dir, resumes
 * them and handles each once, in order per chat, without telling the senders again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spoolFileIn } from '../../src/spool/file-spool';
import { KEPT, type World, world } from './outage.world';

const ACK = /^Ticket #(\d+) is open/;

describe('a restart during a store outage', () => {
  let a: World;
  let b: World | undefined;
  afterEach(async () => {
    await b?.close(); // removes the shared data dir
    b = undefined;
  });

  /** Desk B: the next process on A's data dir, with the database back; resumed and retried as main.ts does. */
  async function restart(): Promise<World> {
    b = await world({ dir: a.dir, spool: true });
    b.desk.router.resumeKept();
    b.desk.router.retryKept();
    return b;
  }

  const spoolRecords = () =>
    readFileSync(spoolFileIn(a.dir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kept?: { key: string; claimed: boolean }; done?: string });

  it('survives kill -9: the next process handles every kept message once, in order per chat, without a second notice', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    await a.say('alice', 'acme', 'the build fails on Node 20', true, 'a1');
    await a.say('alice', 'acme', 'only with ERR_REQUIRE_ESM', false, 'a2'); // a follow-up: it needs the ticket first
    await a.say('erin', 'globex', 'the cache never expires', true, 'g1');
    expect(a.said('acme')).toEqual([KEPT]);
    expect(a.said('globex')).toEqual([KEPT]);
    await a.drop();

    const b = await restart();
    expect(b.desk.router.kept).toBe(3);
    expect(b.notes).toContainEqual(expect.objectContaining({ level: 'info', fields: { count: 3 } }));
    expect(b.timers.due.map((t) => t.ms)).toEqual([0]); // at once: the database may well be back
    await b.retry();
    expect(b.desk.router.kept).toBe(0);
    expect(b.said('acme')).toEqual([expect.stringMatching(/^Ticket #1001 is open/)]);
    expect(b.said('globex')).toEqual([expect.stringMatching(/^Ticket #1002 is open/)]);
    expect(b.said('staff')).toHaveLength(2);
    expect((await b.store.listEvents(1001)).map((e) => e.text)).toEqual([
      'the build fails on Node 20',
      'only with ERR_REQUIRE_ESM',
    ]);
    expect(await b.store.queryTickets({})).toHaveLength(2);
    expect(existsSync(spoolFileIn(a.dir))).toBe(false);
    expect(b.errors).toEqual([]);

    // A late redelivery is a duplicate, and a third process finds nothing to resume.
    await b.say('alice', 'acme', 'the build fails on Node 20', true, 'a1');
    expect(await b.store.queryTickets({})).toHaveLength(2);
    const c = await world({ dir: a.dir, spool: true });
    expect(c.desk.router.resumeKept()).toBe(0);
    await c.drop();
  });

  it('resumed messages go first when a new message of their chat arrives before the retry', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    await a.say('alice', 'acme', 'the dashboard is blank', true, 'a1');
    await a.drop();
    const b = await restart();
    await b.say('alice', 'acme', 'only in Safari', false, 'a2');
    expect((await b.store.listEvents(1001)).map((e) => e.text)).toEqual([
      'the dashboard is blank',
      'only in Safari',
    ]);
    expect(b.said('acme')).toEqual([expect.stringMatching(ACK)]);
  });

  it('after a graceful stop the kept messages stay in the spool (not "lost") and the next start handles them', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    await a.say('alice', 'acme', 'the build fails', true, 'a1');
    a.desk.router.stop();
    expect(a.errors).toEqual([]);
    expect(a.notes).toContainEqual({
      level: 'warn',
      message:
        'stopped with messages kept during a store outage: they stay in the spool and will be handled after the next start',
      fields: { count: 1, keys: ['console::acme:a1'] },
    });
    await a.drop();
    const b = await restart();
    await b.retry();
    expect(b.said('acme')).toEqual([expect.stringMatching(/^Ticket #1001 is open/)]);
  });

  it('does not handle again a message handled before the restart', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    await a.say('alice', 'acme', 'first question', true, 'a1');
    await a.say('erin', 'globex', 'second question', true, 'g1');
    a.outage.down = false;
    a.onSend = (m) => {
      if (m.chatId === 'acme') a.outage.down = true; // away again right after acme's acknowledgement
    };
    await a.retry();
    expect(a.said('acme')).toEqual([KEPT, expect.stringMatching(ACK)]);
    expect(spoolRecords()).toContainEqual({ done: 'console::acme:a1' });
    await a.drop();

    const b = await restart();
    expect(b.desk.router.kept).toBe(1);
    await b.retry();
    expect(b.said('acme')).toEqual([]);
    expect(b.said('globex')).toEqual([expect.stringMatching(/^Ticket #1002 is open/)]);
    expect((await b.store.queryTickets({})).map((t) => t.subject).sort()).toEqual([
      'first question',
      'second question',
    ]);
  });

  it('handles a message whose inbound key this process held (claimed) instead of dropping it as a duplicate', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    a.outage.failing = new Set(['getGroup', 'releaseInbound']); // claimed, then cut off
    await a.say('alice', 'acme', 'the installer hangs', true, 'a1');
    expect(a.said('acme')).toEqual([KEPT]);
    // The failed unit of work took its claim with it (SQLite): the kept message says so.
    expect(spoolRecords()).toEqual([
      { kept: expect.objectContaining({ key: 'console::acme:a1', claimed: false }) },
    ]);
    await a.drop();

    const b = await restart();
    await b.retry();
    expect(b.said('acme')).toEqual([expect.stringMatching(/^Ticket #1001 is open/)]);
    expect(await b.store.queryTickets({})).toHaveLength(1);
  });

  it('records a key a retry claimed before the store failed again, so the next process does not drop it', async () => {
    a = await world({ spool: true });
    a.outage.down = true;
    await a.say('alice', 'acme', 'the installer hangs', true, 'a1'); // kept untried: not claimed
    expect(spoolRecords()).toEqual([{ kept: expect.objectContaining({ claimed: false }) }]);
    a.outage.failing = new Set(['getGroup']); // the retry claims the key, then meets the outage
    await a.retry();
    // Claimed in the retry's unit of work, which the outage rolled back (SQLite): not claimed.
    expect(spoolRecords().at(-1)).toEqual({ kept: expect.objectContaining({ claimed: false }) });
    await a.drop();

    const b = await restart();
    await b.retry();
    expect(b.said('acme')).toEqual([expect.stringMatching(/^Ticket #1001 is open/)]);
  });

  it('carries on in memory when the spool throws: logged, and the message is still handled', async () => {
    const broken = new Error('EACCES: permission denied');
    a = await world({
      outage: {
        spool: {
          add: () => {
            throw broken;
          },
          remove: () => {},
          load: () => [],
        },
      },
    });
    b = a; // closes it
    a.outage.down = true;
    await a.say('alice', 'acme', 'the build fails', true, 'a1');
    expect(a.said('acme')).toEqual([KEPT]);
    expect(a.errors).toEqual([
      {
        message: 'outage spool: add failed (kept messages stay in memory only)',
        fields: { error: String(broken) },
      },
    ]);
    a.outage.down = false;
    await a.retry();
    expect(a.said('acme')).toEqual([KEPT, expect.stringMatching(ACK)]);
  });
});
