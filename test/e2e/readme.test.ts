/**
 * The transcript on README.md's front page, replayed through the real playground: the
 * typed lines are played, and the bot's lines must come back exactly, in order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Playground, playground } from './harness';

const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const block = readme.split('<!-- transcript:start -->')[1]?.split('<!-- transcript:end -->')[0] ?? '';
const lines = block
  .split('\n')
  .filter((l) => !l.startsWith('```'))
  .filter((l) => l.length > 0);
/** The bot's lines start with `[group]` or are indented continuations. */
const isBot = (l: string) => l.startsWith('[') || l.startsWith('  ');

describe('README transcript', () => {
  let pg: Playground;
  beforeEach(async () => {
    pg = await playground({ locale: 'en' });
  });
  afterEach(() => pg.close());

  it('is what the playground answers', async () => {
    const typed = lines.filter((l) => !isBot(l));
    const expected = lines.filter(isBot);
    expect(typed.length).toBeGreaterThan(5);
    expect(expected.length).toBeGreaterThan(5);
    const out = await pg.play(typed.join('\n'));
    expect(out.split('\n').filter((l) => l.length > 0)).toEqual(expected);
  });
});
