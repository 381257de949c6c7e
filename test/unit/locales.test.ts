import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildRegistry } from '../../commands';
import { PLATFORMS } from '../../src/core/chat';

type Entry = string | { readonly plural: string; readonly [form: string]: string };
type Catalog = Record<string, Entry>;
const load = (l: string): Catalog =>
  JSON.parse(readFileSync(path.join(__dirname, `../../config/locales/${l}.json`), 'utf8'));
const en = load('en');
const zh = load('zh-CN');
/** Every text of an entry: itself, or each of its plural forms. */
const texts = (entry: Entry): string[] =>
  typeof entry === 'string'
    ? [entry]
    : Object.entries(entry).flatMap(([k, v]) => (k === 'plural' ? [] : [v]));
const placeholders = (entry: Entry) =>
  [...new Set(texts(entry).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)))].sort();

/**
 * What is wrong with a catalog's plural entries: each must name its count parameter, use it,
 * and have exactly the forms the locale's CLDR rules select (en: one, other; zh-CN: other).
 */
function pluralProblems(catalog: Catalog, locale: string): string[] {
  const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.slice().sort();
  return Object.entries(catalog).flatMap(([key, entry]) => {
    if (typeof entry === 'string') return [];
    const forms = Object.keys(entry)
      .filter((k) => k !== 'plural')
      .sort();
    const problems: string[] = [];
    if (forms.join() !== needed.join())
      problems.push(`${locale}:${key} has forms ${forms} (needs ${needed})`);
    if (!placeholders(entry).includes(entry.plural))
      problems.push(`${locale}:${key} never shows its count {${entry.plural}}`);
    return problems;
  });
}

/** Texts that dodge a plural with "(s)", "（们）" and the like. */
const dodgedPlurals = (catalog: Catalog) =>
  Object.entries(catalog).flatMap(([key, entry]) =>
    texts(entry).some((t) => /\w\((?:s|es)\)/.test(t)) ? [key] : [],
  );

/** zh-CN: one term per concept. A forbidden variant → the term chosen for it. */
const ZH_TERMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/方案/, '套餐'],
  [/贵司/, '贵公司'],
  [/[「」]/, '“”'],
  [/问题追踪/, 'issue'],
];
const HAN = String.raw`\p{Script=Han}`;
/**
 * ASCII punctuation next to a Chinese character, or spaced from it where it closes a clause
 * ("已关闭 , 谢谢"): use the full-width form. (A spaced ":as" in the playground guide is a command.)
 */
const ASCII_BY_HAN = new RegExp(
  `${HAN}[:,;?!()]|[:,;?!()]${HAN}|${HAN}[ \\t]+[,;?!)]|[,;:?!(][ \\t]+${HAN}`,
  'u',
);
/** A space before or after full-width punctuation (a leading indent or a line break is fine). */
const SPACED_FULL_WIDTH = /\S[ \t]+[，。：；！？、）”]|[（“，。：；！？、][ \t]+\S/u;

/** What breaks the zh-CN style rules in a catalog: `key: rule` per problem. */
function zhStyleProblems(catalog: Catalog): string[] {
  return Object.entries(catalog).flatMap(([key, entry]) =>
    texts(entry).flatMap((text) => [
      ...ZH_TERMS.filter(([re]) => re.test(text)).map(([re, term]) => `${key}: ${re.source} → ${term}`),
      ...(ASCII_BY_HAN.test(text) ? [`${key}: ASCII punctuation next to Chinese`] : []),
      ...(SPACED_FULL_WIDTH.test(text) ? [`${key}: space next to full-width punctuation`] : []),
    ]),
  );
}

/**
 * Commands a locale's texts name (`/word`) that are not what a reader of that locale types:
 * an unknown command, or the English name where the command has an alias in that locale.
 */
function foreignCommands(catalog: Catalog, locale: 'en' | 'zh-CN'): string[] {
  const registry = buildRegistry();
  return Object.entries(catalog).flatMap(([key, entry]) =>
    texts(entry).flatMap((text) =>
      [...text.matchAll(/(?:^|[\s（(“"'`])\/([\p{L}_-]+)/gu)].flatMap((m) => {
        const word = m[1]!;
        const spec = registry.find(word);
        if (!spec) return [`${key}: /${word} is no command`];
        const own = spec.aliases?.[locale]?.[0];
        return own !== undefined && own !== word && locale !== 'en' ? [`${key}: /${word} → /${own}`] : [];
      }),
    ),
  );
}

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
  it('a count-bearing key is plural in both languages, chosen by the same parameter', () => {
    const selector = (e: Entry | undefined) => (typeof e === 'object' ? e.plural : undefined);
    const plural = Object.keys(en).filter((k) => typeof en[k] === 'object');
    expect(plural.length).toBeGreaterThan(10);
    expect(Object.keys(en).filter((k) => selector(en[k]) !== selector(zh[k]))).toEqual([]);
  });
  it('each plural entry has exactly the forms its locale’s Intl.PluralRules select, and shows its count', () => {
    expect(pluralProblems({ a: { plural: 'n', other: '{n} tickets' } }, 'en')).toEqual([
      'en:a has forms other (needs one,other)',
    ]);
    expect(pluralProblems({ a: { plural: 'n', one: 'a ticket', other: 'tickets' } }, 'en')).toEqual([
      'en:a never shows its count {n}',
    ]);
    expect(pluralProblems({ a: { plural: 'n', other: '{n} 个' } }, 'zh-CN')).toEqual([]);
    expect([...pluralProblems(en, 'en'), ...pluralProblems(zh, 'zh-CN')]).toEqual([]);
  });
  it('no text dodges a plural with "(s)"', () => {
    expect(dodgedPlurals({ a: 'Removed {count} backup(s)', b: '{n} ticket' })).toEqual(['a']);
    expect([...dodgedPlurals(en), ...dodgedPlurals(zh)]).toEqual([]);
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
          if (typeof cat[key] !== 'string' || !cat[key]) missing.push(`${name}:${key}`);
    }
    expect(missing).toEqual([]);
  });
  it('zh-CN uses one term per concept, full-width punctuation inside Chinese, no stray spaces', () => {
    expect(
      zhStyleProblems({
        a: '按方案：',
        b: '贵司的套餐',
        c: '「主题」',
        d: '客户:acme',
        e: '这里没有 。',
        f: '已关闭 , 谢谢',
        g: '  {customer}：{tickets}',
        h: '工单 #1001（基础版）',
      }),
    ).toEqual([
      'a: 方案 → 套餐',
      'b: 贵司 → 贵公司',
      'c: [「」] → “”',
      'd: ASCII punctuation next to Chinese',
      'e: space next to full-width punctuation',
      'f: ASCII punctuation next to Chinese',
    ]);
    expect(zhStyleProblems(zh)).toEqual([]);
  });
  it('texts name commands as their readers type them (the zh-CN alias where one exists)', () => {
    expect(foreignCommands({ a: '认领请发送 /claim #1', b: '用 /lang en', c: '/nope' }, 'zh-CN')).toEqual([
      'a: /claim → /认领',
      'b: /lang → /语言',
      'c: /nope is no command',
    ]);
    expect([...foreignCommands(zh, 'zh-CN'), ...foreignCommands(en, 'en')]).toEqual([]);
  });
  it('every keyword choice has its words in both languages', () => {
    const missing: string[] = [];
    let choices = 0;
    for (const spec of buildRegistry().all())
      for (const p of spec.params)
        for (const choice of p.keywords ? (p.choices ?? []) : []) {
          choices += 1;
          for (const [name, cat] of [
            ['en', en],
            ['zh-CN', zh],
          ] as const)
            if (typeof cat[`kw.${p.keywords}.${choice}`] !== 'string')
              missing.push(`${name}:kw.${p.keywords}.${choice}`);
        }
    expect(choices).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
  it('every key the code uses exists', () => {
    const sources = ['src', 'commands', 'adapters'].flatMap((d) => listTs(path.join(__dirname, '../..', d)));
    const used = new Set<string>();
    for (const file of sources) {
      for (const m of readFileSync(file, 'utf8').matchAll(
        /\b(?:t|UserError|InputError)\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g,
      ))
        used.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/new (?:User|Input)Error\('([a-z_.]+)'/g))
        used.add(m[1]!);
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

// Messages name a ticket's platform (`platform.<name>`: /reply, the outbox's failure notice);
// a platform without its name showed the bare key. Platforms are added one at a time.
describe('platform names', () => {
  it.each(['en', 'zh-CN'])('%s names every platform', (locale) => {
    const catalog = load(locale);
    expect(PLATFORMS.filter((p) => typeof catalog[`platform.${p}`] !== 'string')).toEqual([]);
  });
});
