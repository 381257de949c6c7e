/**
 * Runs playground transcripts in-process through the real console adapter, router and a
 * real SQLite file, with a clock that only moves on `:clock` (and the SLA scheduler ticking then).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/console.adapter';
import { loadConfig } from '../../config/load';
import { createDesk, type Desk } from '../../src/app';
import { ManualClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/logger';
import { playgroundNames, seedDemo } from '../../src/demo';
import { openSqliteStore, type SqliteStore, sqliteFileIn } from '../../src/store/sqlite';

/** Monday 2026-11-23 10:00 in Asia/Shanghai. */
export const START = Date.parse('2026-11-23T02:00:00Z');

export interface Playground {
  readonly dir: string;
  readonly clock: ManualClock;
  readonly store: SqliteStore;
  readonly desk: Desk;
  /** Plays the transcript (one message or steering command per line) and returns what the bot printed. */
  play(transcript: string): Promise<string>;
  /** What the playground told the person at the keyboard (`:as`/`:in` confirmations, refusals) so far. */
  readonly notes: string[];
  close(): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'groupdesk-e2e-'));
}

export async function playground(
  options: {
    dir?: string;
    locale?: 'en' | 'zh-CN';
    now?: number;
    /** `:as`/`:in` accept only the playground's people and places, as `npm start` does. */
    strictNames?: boolean;
    /** Prompts as on a terminal. */
    interactive?: boolean;
    /** Display names the platform reports for some speakers (and mentions), by playground name. */
    displayNames?: Readonly<Record<string, string>>;
    /** Further environment keys (e.g. GROUPDESK_GITHUB_* pointing at a local fake). */
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<Playground> {
  const dir = options.dir ?? tempDir();
  const locale = options.locale ?? 'en';
  const config = loadConfig({
    GROUPDESK_LOCALE: locale,
    GROUPDESK_DATA_DIR: dir,
    GROUPDESK_CONFIG_DIR: path.resolve(__dirname, '../../config'),
    ...options.env,
  });
  const store = openSqliteStore(sqliteFileIn(dir));
  const clock = new ManualClock(options.now ?? START);
  const desk = createDesk({ config, store, clock, logger: silentLogger });
  await seedDemo(desk.services);
  let speaker = 'alice';
  let group = 'acme';
  const notes: string[] = [];
  return {
    dir,
    notes,
    clock,
    store,
    desk,
    async play(transcript) {
      const input = new PassThrough();
      const output = new PassThrough();
      let printed = '';
      output.on('data', (chunk: Buffer) => {
        printed += chunk.toString('utf8');
      });
      // Indentation is kept: a pasted transcript's continuation lines are told apart by it.
      const lines = transcript.split('\n').map((l) => l.trimEnd());
      // Each play starts where the previous one left off.
      const adapter = new ConsoleAdapter({
        input,
        output,
        guide: '',
        speaker,
        group,
        // As in the real playground: the SLA scheduler ticks at the moved time.
        advanceClock: async (ms) => {
          clock.advance(ms);
          await desk.sla.scheduler?.tick(clock.now());
        },
        note: (text) => notes.push(text),
        say: (key, params) => desk.translator.t(locale, key, params),
        ...(options.strictNames && { known: () => playgroundNames(store) }),
        ...(options.interactive !== undefined && { interactive: options.interactive }),
        ...(options.displayNames && {
          displayName: (name: string) => options.displayNames?.[name] ?? name,
        }),
      });
      desk.addAdapter(adapter);
      await adapter.start(desk.host);
      input.end(`${lines.join('\n')}\n`);
      await adapter.finished;
      await desk.router.idle();
      ({ speaker, group } = adapter.current);
      return printed.replace(/^\n/, '');
    },
    async close() {
      await desk.router.idle();
      await store.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
