import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildRegistry } from '../../commands';

const load = (l: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(__dirname, `../../config/locales/${l}.json`), 'utf8'));
const en = load('en');
const zh = load('zh-CN');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  it('zh-CN and en have the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
  it('each key has the same placeholders in both languages', () => {
    const mismatched = Object.keys(en).filter(
      (k) => zh[k] !== undefined && placeholders(en[k]!).join() !== placeholders(zh[k]!).join(),
    );
    expect(mismatched).toEqual([]);
  });
  it('every command and parameter has help and usage in both languages', () => {
    const missing: string[] = [];
    for (const spec of buildRegistry().all()) {
      const keys = [
        `cmd.${spec.name}.help`,
        `cmd.${spec.name}.usage`,
        ...spec.params.map((p) => `param.${p.name}`),
      ];
      for (const key of keys)
        for (const [name, cat] of [
          ['en', en],
          ['zh-CN', zh],
        ] as const)
          if (!cat[key]) missing.push(`${name}:${key}`);
    }
    expect(missing).toEqual([]);
  });
  it('every key the code uses exists', () => {
    const sources = ['src', 'commands', 'adapters'].flatMap((d) => listTs(path.join(__dirname, '../..', d)));
    const used = new Set<string>();
    for (const file of sources) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:t|UserError)\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g))
        used.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/new UserError\('([a-z_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });
});

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listTs(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}
