/**
 * README.md is the front page: short, and its quick start true. The command reference it
 * used to hold is in docs/commands.md and checked there (docs.test.ts); its transcript is
 * replayed through the playground in test/e2e/readme.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  engines: { node: string };
};

/** The lines of the first ```sh block under "## Quick start". */
function quickStart(text: string): string[] {
  const section = text.split('## Quick start')[1] ?? '';
  const block = section.split('```sh\n')[1]?.split('```')[0] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l.length > 0);
}

describe('README', () => {
  it('is a front page of at most 150 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(150);
  });
  it('keeps the two-command quick start, and both commands exist', () => {
    expect(quickStart('## Quick start\n```sh\nnpm ci && npm start  # x\n```')).toEqual([
      'npm ci && npm start',
    ]);
    expect(quickStart(readme)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
    expect(existsSync(path.join(root, 'package-lock.json'))).toBe(true); // npm ci needs it
    expect(pkg.scripts.start).toBeDefined();
    expect(pkg.scripts.test).toBeDefined();
  });
  it('names the Node.js version package.json requires', () => {
    const version = pkg.engines.node.replace(/^>=/, '');
    expect(readme).toContain(`Node.js ≥ ${version}`);
  });
  it('links every reference document', () => {
    for (const doc of ['commands', 'configuration', 'sla', 'cli', 'storage', 'operations'])
      expect(readme).toContain(`(docs/${doc}.md)`);
    for (const platform of ['slack', 'discord', 'wechat', 'qq'])
      expect(readme).toContain(`(adapters/${platform}/README.md)`);
    expect(readme).toContain('(CONTRIBUTING.md)');
    expect(readme).toContain('(ARCHITECTURE.md)');
  });
});
