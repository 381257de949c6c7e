/**
 * docs/transcripts.md shows a day at the desk for every role, in English and in Chinese. Each
 * `console` block after a `<!-- transcript LOCALE -->` marker is replayed here: the lines
 * starting with `> ` are typed into one playground per locale (blocks of a locale continue
 * it), and everything else in the block must be exactly what the bot printed, so the page
 * cannot drift from the product. `UPDATE_TRANSCRIPTS=1` rewrites the printed lines instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Playground, playground } from './harness';

const FILE = path.resolve(__dirname, '../../docs/transcripts.md');
const BLOCK = /<!-- transcript (en|zh-CN) -->\n```console\n([\s\S]*?)```/g;

interface Block {
  readonly locale: 'en' | 'zh-CN';
  readonly start: number;
  readonly end: number;
  readonly body: string;
}

function blocks(page: string): Block[] {
  return [...page.matchAll(BLOCK)].map((m) => ({
    locale: m[1] as Block['locale'],
    start: m.index + m[0].length - m[2]!.length - 3,
    end: m.index + m[0].length - 3,
    body: m[2]!,
  }));
}

/** Types each `> ` line and puts what the bot printed after it. */
async function replay(pg: Playground, body: string): Promise<string> {
  let out = '';
  for (const line of body.split('\n')) {
    if (!line.startsWith('> ')) continue;
    out += `${line}\n${await pg.play(line.slice(2))}`;
  }
  return out;
}

const page = readFileSync(FILE, 'utf8');
const found = blocks(page);

describe('docs/transcripts.md', () => {
  it('has transcripts in both languages', () => {
    expect(new Set(found.map((b) => b.locale))).toEqual(new Set(['en', 'zh-CN']));
  });

  it.each(['en', 'zh-CN'] as const)('says exactly what the desk answers (%s)', async (locale) => {
    const pg = await playground({ locale });
    try {
      const replayed = new Map<Block, string>();
      for (const block of found.filter((b) => b.locale === locale))
        replayed.set(block, await replay(pg, block.body));
      if (process.env.UPDATE_TRANSCRIPTS) {
        let next = readFileSync(FILE, 'utf8');
        for (const block of [...replayed.keys()].reverse()) {
          const now = blocks(next).find((b) => b.body === block.body)!;
          next = next.slice(0, now.start) + replayed.get(block) + next.slice(now.end);
        }
        writeFileSync(FILE, next);
        return;
      }
      for (const [block, out] of replayed) expect(out).toBe(block.body);
    } finally {
      await pg.close();
    }
  });
});
