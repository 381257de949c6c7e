/** The README's command reference is generated from the registry's texts; this keeps it in sync. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildRegistry } from '../../commands';

const root = path.join(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const en = JSON.parse(readFileSync(path.join(root, 'config/locales/en.json'), 'utf8')) as Record<
  string,
  string
>;

function expectedRows(): string[] {
  return buildRegistry()
    .all()
    .map((s) => {
      const aliases = Object.values(s.aliases ?? {})
        .flat()
        .map((a) => `/${a}`)
        .join(' ');
      const usage = en[`cmd.${s.name}.usage`]!.replace(/\|/g, '\\|');
      return `| \`${usage}\` | ${en[`cmd.${s.name}.help`]} | ${s.audience.join(', ')} | ${aliases} |`;
    });
}

/** A table row's cells, trimmed: the formatter may pad columns. */
const cells = (row: string) => row.split(/(?<!\\)\|/).map((c) => c.trim());

describe('README', () => {
  it('lists exactly the registered commands, with their usage, help, audience and aliases', () => {
    const section = readme.split('<!-- commands:start -->')[1]?.split('<!-- commands:end -->')[0] ?? '';
    const rows = section.split('\n').filter((l) => l.startsWith('| `/'));
    expect(rows.map(cells)).toEqual(expectedRows().map(cells));
  });
  it('keeps the two-command quick start', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
