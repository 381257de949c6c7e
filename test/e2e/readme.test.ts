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

  it('answers the same when the whole block is pasted, bot lines and a margin note included', async () => {
    const pasted = lines.map((l, i) => (i === 0 ? `${l}      ← alice in acme` : l));
    const out = await pg.play(pasted.join('\n'));
    expect(out.split('\n').filter((l) => l.length > 0)).toEqual(lines.filter(isBot));
    const history = await pg.store.listEvents(1001);
    expect(history.filter((e) => e.kind === 'customer_message').map((e) => e.text)).toEqual([
      'the build fails on Node 20 with ERR_REQUIRE_ESM',
      '#1001 thanks, that fixed it',
    ]);
  });
});
