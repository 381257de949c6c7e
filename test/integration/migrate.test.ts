/**
 * `groupdesk migrate` through the real CLI entry (runCli) between real SQLite files: every
 * kind of record survives the copy with its ticket numbers, the destination's counter
 * continues after the highest number, a non-empty destination is refused unless --force,
 * and a destination that does not store what it is given fails verification.
 */
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { runCli } from '../../src/cli';
import type { ExportRecord } from '../../src/core/ports';
import { canonicalJson, migrate as migrateStore } from '../../src/store/migrate';
import { openSqliteStore } from '../../src/store/sqlite';
import { collect, create, event, newTicket } from '../contract/store.fixtures';
import { runCliIn } from './cli.run';
import { fillSource, SOURCE_RECORDS } from './migrate.fixtures';

describe('groupdesk migrate (SQLite → SQLite)', () => {
  let dir: string;
  let src: string;
  let dst: string;
  const run = (argv: string[], locale: 'en' | 'zh-CN' = 'en') => runCliIn(dir, locale, argv);
  const migrate = (...extra: string[]) => run(['migrate', '--from', src, '--to', dst, ...extra]);
  const exported = async (file: string): Promise<ExportRecord[]> => {
    const store = openSqliteStore(file);
    try {
      return await collect(store.exportAll());
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-migrate-'));
    src = path.join(dir, 'source.sqlite');
    dst = path.join(dir, 'copy', 'destination.sqlite');
    const store = openSqliteStore(src);
    await fillSource(store);
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies every record with its ticket numbers and verifies counts and checksums', async () => {
    const { code, out, err } = await migrate();
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain(`Copying ${src} → ${dst} …`);
    expect(out).toMatch(/tickets: 3 in the source, 3 in the destination, sha256 [0-9a-f]{16}… ok/);
    expect(out).toMatch(/ticket events: 7 in the source, 7 in the destination, .* ok/);
    expect(out).toMatch(/message links: 2 in the source, 2 in the destination, .* ok/);
    expect(out).toMatch(/saved replies: 2 in the source, 2 in the destination, .* ok/);
    expect(out).toContain(`Verified: every count and checksum matches (records copied: ${SOURCE_RECORDS}).`);

    const [before, after] = [await exported(src), await exported(dst)];
    expect(after).toEqual(before);
    const kinds = new Set(after.map((r) => r.kind));
    expect([...kinds]).toEqual([
      'customer',
      'subscription',
      'person',
      'identity',
      'group',
      'ticket',
      'event',
      'message_link',
      'macro',
    ]);
  });

  it('carries the undelivered outbox messages over, in order per chat; delivered ones stay behind', async () => {
    const store = openSqliteStore(src);
    const T = Date.UTC(2026, 0, 5, 8);
    const out = (chatId: string, text: string) => ({
      message: { platform: 'qq' as const, chatId, chatKind: 'group' as const, text },
      expiresAt: T + 86_400_000,
    });
    const [delivered] = await store.enqueueOutbound([out('G1', 'delivered before the stop')], T);
    const claimed = await store.claimOutbound(delivered!, 'w1', T + 60_000, T);
    await store.settleOutbound(claimed!.id, 'w1', { result: 'sent', at: T });
    await store.enqueueOutbound(
      [
        out('G1', 'ack #1002'),
        out('G2', 'announcement'),
        {
          ...out('G1', 'reply to #1002'),
          after: { kind: 'staff-reply', ticketNumber: 1002, engineerId: 'bob' },
        },
      ],
      T + 1000,
    );
    await store.close();

    const { code, out: printed } = await migrate();
    expect(code).toBe(0);
    expect(printed).toContain("3 undelivered messages wait in the destination's outbox");
    const copy = openSqliteStore(dst);
    const rows = await copy.listOutbound({});
    await copy.close();
    expect(rows.map((r) => [r.chat, r.seq, r.state, r.message.text])).toEqual([
      ['qq:G1', 1, 'queued', 'ack #1002'],
      ['qq:G1', 2, 'queued', 'reply to #1002'],
      ['qq:G2', 1, 'queued', 'announcement'],
    ]);
    expect(rows[1]?.after).toEqual({ kind: 'staff-reply', ticketNumber: 1002, engineerId: 'bob' });
    expect(rows.every((r) => r.expiresAt === T + 86_400_000)).toBe(true);
  });

  it('leaves the destination’s ticket counter after the highest number copied', async () => {
    expect((await migrate()).code).toBe(0);
    const store = openSqliteStore(dst);
    const { ticket } = await store.createTicket(newTicket(), event());
    await store.close();
    expect(ticket.number).toBe(1004); // the source's tickets are #1001–#1003
  });

  it('refuses a destination that holds records unless --force, which replaces them', async () => {
    expect((await migrate()).code).toBe(0);
    const refused = await migrate();
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      `${dst} already holds records: nothing was copied. Add --force to delete them and copy the source's instead.\n`,
    );

    // The destination moves on (a new ticket); --force makes it the source's copy again.
    const moved = openSqliteStore(dst);
    await create(moved, { subject: 'only in the destination' });
    await moved.close();
    const forced = await migrate('--force');
    expect(forced.code).toBe(0);
    expect(await exported(dst)).toEqual(await exported(src));
  });

  it('fails verification, and says which kind, when the destination does not keep what it was given', async () => {
    // A trigger in the destination alters one event as it is written: the copy is wrong.
    const prepared = openSqliteStore(dst);
    await prepared.close();
    const db = new Database(dst);
    db.exec(
      "CREATE TRIGGER tamper AFTER INSERT ON events WHEN NEW.kind = 'internal_note' " +
        "BEGIN UPDATE events SET text = 'tampered' WHERE id = NEW.id; END;",
    );
    db.close();
    const { code, out, err } = await migrate();
    expect(code).toBe(1);
    expect(out).toMatch(
      /ticket events: 7 in the source, 7 in the destination, sha256 ([0-9a-f]{16}) ≠ (?!\1)[0-9a-f]{16}… MISMATCH/,
    );
    expect(out).toMatch(/tickets: 3 in the source, 3 in the destination, .* ok/);
    expect(err).toMatch(/^Verification FAILED for ticket events: /);
    expect(out).not.toContain('Verified');
  });

  it('fails verification when a record goes missing', async () => {
    const prepared = openSqliteStore(dst);
    await prepared.close();
    const db = new Database(dst);
    db.exec(
      "CREATE TRIGGER lose AFTER INSERT ON message_links WHEN NEW.message_id = 'M-2' " +
        "BEGIN DELETE FROM message_links WHERE message_id = 'M-2'; END;",
    );
    db.close();
    const { code, out, err } = await migrate();
    expect(code).toBe(1);
    expect(out).toMatch(/message links: 2 in the source, 1 in the destination, .* MISMATCH/);
    expect(err).toMatch(/^Verification FAILED for message links: /);
  });

  it('prints its summary in the configured language', async () => {
    const { code, out } = await run(['migrate', '--from', src, '--to', dst], 'zh-CN');
    expect(code).toBe(0);
    expect(out).toMatch(/工单：源 3 条，目标 3 条，sha256 [0-9a-f]{16}… 一致/);
    expect(out).toContain(`校验通过：各类记录的数量和校验和全部一致（共复制 ${SOURCE_RECORDS} 条）。`);
  });

  it('refuses a missing source, the same database twice, and bad arguments', async () => {
    const ghost = path.join(dir, 'ghost.sqlite');
    expect(await run(['migrate', '--from', ghost, '--to', dst])).toMatchObject({
      code: 1,
      err: `${ghost}: no such SQLite file, nothing was copied.\n`,
    });
    expect(await run(['migrate', '--from', src, '--to', path.join(dir, '.', 'source.sqlite')])).toMatchObject(
      {
        code: 1,
        err: expect.stringContaining('--from and --to name the same database'),
      },
    );
    expect(await run(['migrate', '--from', src])).toMatchObject({
      code: 2,
      err: expect.stringContaining('usage: groupdesk migrate --from'),
    });
    expect(await run(['migrate', '--from', src, '--to', dst, '--bogus'])).toMatchObject({ code: 2 });
    expect((await run(['migrate', '--help'])).out).toMatch(/^usage: groupdesk migrate /);
  });
});

describe('groupdesk migrate knows its source', () => {
  let dir: string;
  let src: string;
  const run = async (argv: string[]) => {
    let err = '';
    const env = {
      GROUPDESK_LOCALE: 'en',
      GROUPDESK_DATA_DIR: dir,
      GROUPDESK_CONFIG_DIR: path.join(__dirname, '../../config'),
    };
    const code = await runCli(argv, { out: () => undefined, err: (s) => (err += s) }, env);
    return { code, err };
  };
  const records = async () => {
    const store = openSqliteStore(src);
    try {
      return (await collect(store.exportAll())).length;
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-migrate-same-'));
    src = path.join(dir, 'groupdesk.sqlite');
    const store = openSqliteStore(src);
    await fillSource(store);
    await store.close();
    mkdirSync(path.join(dir, 'x'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'a symbolic link to it',
      () => {
        const to = path.join(dir, 'x', 'link.sqlite');
        symlinkSync(src, to);
        return to;
      },
    ],
    [
      'a hard link to it',
      () => {
        const to = path.join(dir, 'x', 'hard.sqlite');
        linkSync(src, to);
        return to;
      },
    ],
    [
      'the same file through a symbolic link to its directory',
      () => {
        symlinkSync(dir, path.join(dir, 'alias'));
        return path.join(dir, 'alias', 'groupdesk.sqlite');
      },
    ],
  ])('refuses, even with --force, a destination that is %s, and keeps every record', async (_what, link) => {
    const result = await run(['migrate', '--from', src, '--to', link(), '--force']);
    expect(result).toEqual({
      code: 1,
      err: expect.stringContaining('--from and --to name the same database'),
    });
    expect(await records()).toBe(SOURCE_RECORDS);
  });

  it('refuses another spelling of the same path (./x/../file), with --force', async () => {
    const spelled = `${dir}/./x/../groupdesk.sqlite`;
    const result = await run(['migrate', '--from', src, '--to', spelled, '--force']);
    expect(result).toEqual({
      code: 1,
      err: expect.stringContaining('--from and --to name the same database'),
    });
    expect(await records()).toBe(SOURCE_RECORDS);
  });

  it('never calls a copy verified when the source lost records during it (one store on both sides)', async () => {
    // What the identity checks now stop before: were the destination the source after all,
    // --force would empty both; the digest taken before the copy still holds every record.
    const store = openSqliteStore(src);
    try {
      const report = await migrateStore(store, store, { force: true, target: src });
      expect(report.source.ticket.count).toBe(3);
      expect(report.destination.ticket.count).toBe(0);
      expect(report.sourceChanged).toContain('ticket');
      expect(report.mismatched).toContain('ticket');
    } finally {
      await store.close();
    }
  });

  it('refuses a source given through a link to the destination', async () => {
    const link = path.join(dir, 'x', 'source-link.sqlite');
    symlinkSync(src, link);
    const result = await run(['migrate', '--from', link, '--to', src, '--force']);
    expect(result.code).toBe(1);
    expect(await records()).toBe(SOURCE_RECORDS);
  });
});

describe('canonical JSON for the checksums', () => {
  it('does not depend on key order, and does on every value', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: '中' } })).toBe(
      '{"a":{"c":"中","d":[2,{"e":0,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
  });
});
