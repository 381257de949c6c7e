/**
 * The playground's own steering: who and where you are (prompt, `:as`/`:in` confirmed or
 * refused), and its clock resuming from the stored data across runs (as real processes).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { openSqliteStore, sqliteFileIn } from '../../src/store/sqlite';
import { playground, tempDir } from './harness';

describe('playground steering', () => {
  it('confirms :as and :in, and refuses unknown names with the known ones, keeping speaker and place', async () => {
    const pg = await playground({ locale: 'en', strictNames: true });
    try {
      const out = await pg.play(
        [':as bobb', ':in staf', '@bot the build fails on Node 20', ':as bob', ':in staff'].join('\n'),
      );
      expect(pg.notes).toEqual([
        'There is no "bobb" in the playground; still speaking as before. Known people: alice, erin, bob, carol, dave.',
        'There is no group "staf" in the playground; still in the same place. Known places: acme, community, globex, managers, staff, dm.',
        'now bob in acme',
        'now bob in staff',
      ]);
      // The refused moves changed nothing: alice still asked in acme.
      expect(out).toContain('[acme] groupdesk: @alice Ticket #1001 is open');
    } finally {
      await pg.close();
    }
  });

  it('speaks the deployment language when steering', async () => {
    const pg = await playground({ locale: 'zh-CN', strictNames: true });
    try {
      await pg.play(':as frank\n:in dm');
      expect(pg.notes).toEqual([
        '演练场里没有“frank”，身份未变。可选人物：alice, erin, bob, carol, dave。',
        '当前身份：alice，所在群：dm',
      ]);
    } finally {
      await pg.close();
    }
  });

  it('shows an alice@acme> prompt on a terminal, and none when piped', async () => {
    const tty = await playground({ locale: 'en', interactive: true });
    const piped = await playground({ locale: 'en' });
    try {
      const transcript = ':as bob\n:in staff\n/queue';
      const out = await tty.play(transcript);
      expect(out.startsWith('alice@acme> bob@acme> bob@staff> ')).toBe(true);
      expect(out).toMatch(/bob@staff> $/);
      expect(await piped.play(transcript)).not.toMatch(/@\w+> /);
    } finally {
      await tty.close();
      await piped.close();
    }
  });
});

describe('the playground as a process', () => {
  const root = path.join(__dirname, '../..');
  const tsx = require.resolve('tsx/cli');
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const start = (input: string) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const r = spawnSync(process.execPath, [tsx, 'src/main.ts'], {
      cwd: root,
      input,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...env, GROUPDESK_LOCALE: 'en', GROUPDESK_DATA_DIR: dir },
    });
    expect(r.status).toBe(0);
    return r;
  };

  it('resumes its clock after the latest stored event, so times never go backwards across runs', async () => {
    const first = start('@bot the build fails on Node 20\n:clock +3d\n#1001 more details\n').stdout;
    expect(first).toContain('#1001');
    expect(first).not.toMatch(/alice@acme> /); // piped: no prompt
    start('#1001 still failing after the restart\n');
    const store = openSqliteStore(sqliteFileIn(dir));
    try {
      const messages = (await store.listEvents(1001)).filter((e) => e.kind === 'customer_message');
      expect(messages.map((e) => e.text)).toEqual([
        'the build fails on Node 20',
        '#1001 more details',
        '#1001 still failing after the restart',
      ]);
      const [opened, moved, resumed] = messages.map((e) => e.at) as [number, number, number];
      expect(moved - opened).toBeGreaterThanOrEqual(3 * 86_400_000);
      expect(resumed).toBeGreaterThan(moved);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('keeps a :clock move across a restart even when nothing was stored after it', async () => {
    const before = Date.now();
    start(':clock +3d\n');
    start('@bot the build fails on Node 20\n');
    const store = openSqliteStore(sqliteFileIn(dir));
    try {
      const ticket = await store.getTicket(1001);
      expect(ticket?.createdAt).toBeGreaterThanOrEqual(before + 3 * 86_400_000);
    } finally {
      await store.close();
    }
  }, 120_000);

  it(':reset asks first, then wipes the store and seeds a fresh demo while the same input goes on', async () => {
    const r = start('@bot first question\n:reset\n:as bob\n:in staff\n:reset yes\n@bot second question\n');
    expect(r.stderr).toContain('`:reset yes` deletes every ticket, customer and setting of this playground');
    expect(r.stderr).toContain("The playground's data was deleted; a fresh demo starts now.");
    // A fresh demo: numbering starts again at #1001, and alice in acme speaks again (as at start).
    expect(r.stdout.match(/\[acme\] groupdesk: @alice Ticket #1001 is open/g)).toHaveLength(2);
    const store = openSqliteStore(sqliteFileIn(dir));
    try {
      expect((await store.getTicket(1001))?.subject).toBe('second question');
      expect(await store.getTicket(1002)).toBeUndefined();
    } finally {
      await store.close();
    }
  }, 120_000);

  // util-linux `script` gives the playground a real terminal (a pty) for stdin and stdout.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  (hasScript ? it : it.skip)(
    'prompts on a real terminal',
    () => {
      const command = `${process.execPath} ${tsx} src/main.ts`;
      const r = spawnSync('script', ['-qec', command, '/dev/null'], {
        cwd: root,
        input: ':as bob\n:in staff\n:quit\n',
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GROUPDESK_LOCALE: 'en',
          GROUPDESK_DATA_DIR: dir,
        },
      });
      expect(r.status).toBe(0);
      expect(r.stdout.replace(/\r/g, '')).toMatch(
        /alice@acme> now bob in acme\nbob@acme> now bob in staff\nbob@staff> /,
      );
    },
    120_000,
  );
});
