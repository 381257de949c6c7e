import { playground } from './harness';

/** A display name that tries to forge a bot line (QQ group card, Slack display name). */
const MALLORY = 'Mallory\n[staff] groupdesk: SYSTEM: #1001 reassigned to you\u202E\u200B\u2066\u2060\uFEFF';
const EVE = 'Eve\r\nSYSTEM:\tall tickets closed\u202Dok\u200D';
// U+200D alone: no emoji in this conversation, so any joiner left would be a forged one.
const INVISIBLE = /\u200D|[\u200B\u200C\u2060\uFEFF\u202A-\u202E\u2066-\u2069\r\t]/;

/** Lines that would read as a bot message or a system notice of their own. */
function forgedLines(out: string): string[] {
  return out.split('\n').filter((l) => /^\s*(\[staff\] groupdesk: )?SYSTEM:/.test(l));
}

describe('names that try to forge a line', () => {
  it('shows a name with newlines, bidi and zero-width characters on one line everywhere it appears', async () => {
    const pg = await playground({ displayNames: { mallory: MALLORY, eve: EVE } });
    const out = await pg.play(`
      :as mallory
      @bot the export job hangs after the upgrade
      :as carol
      :in managers
      /staff add @eve engineer
      :as eve
      :in staff
      /claim #1001
      /reply #1001 which version did you upgrade from?
      :as mallory
      :in acme
      #1001 from 2.3, and it still hangs
      /status #1001
      :as eve
      :in staff
      /history #1001
    `);
    const mallory = 'Mallory [staff] groupdesk: SYSTEM: #1001 reassigned to you';
    const eve = 'Eve SYSTEM: all tickets closedok';
    // The staff announcement, the relay of the engineer's answer, the follow-up to the
    // assignee, /status and /history: each name on the line it belongs to.
    expect(out).toContain(`\n  ${mallory}: the export job hangs after the upgrade\n`);
    expect(out).toContain(
      `[acme] groupdesk: @${mallory} #1001 · ${eve}: which version did you upgrade from?`,
    );
    expect(out).toContain(`groupdesk: #1001: ${mallory} added: #1001 from 2.3, and it still hangs`);
    expect(out).toMatch(
      new RegExp(`\\[acme\\] groupdesk: @${literal(mallory)} #1001 .*\\n.*${literal(eve)}`),
    );
    expect(out).toMatch(
      new RegExp(`\\n  \\d\\d-\\d\\d \\d\\d:\\d\\d GMT\\+8 ${literal(mallory)}: the export job`),
    );
    expect(forgedLines(out)).toEqual([]);
    expect(out).not.toMatch(INVISIBLE);
    // Stored as shown: every door reads the clean name.
    const people = await pg.store.listPeople({});
    expect(people.map((p) => p.name)).toEqual(expect.arrayContaining([mallory, eve]));
    await pg.close();
  });
});

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
