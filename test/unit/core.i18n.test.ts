import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { type Catalog, Translator } from '../../src/core/i18n';

const load = (l: string): Catalog =>
  JSON.parse(readFileSync(path.join(__dirname, `../../config/locales/${l}.json`), 'utf8'));
const translator = new Translator({ en: load('en'), 'zh-CN': load('zh-CN') }, 'en');

describe('Translator: counts worded by Intl.PluralRules', () => {
  const restored = (tickets: number, locale: 'en' | 'zh-CN' = 'en') =>
    translator.t(locale, 'cli.restore.done', {
      file: 'a.sqlite',
      backup: 'b.sqlite',
      tickets,
      checksum: 'ok',
    });

  it('says "1 ticket" and "2 tickets" in English (the real locale file)', () => {
    expect(restored(1)).toBe(
      'Restored a.sqlite from b.sqlite: 1 ticket, checksum ok. Start the bot when ready.',
    );
    expect(restored(2)).toBe(
      'Restored a.sqlite from b.sqlite: 2 tickets, checksum ok. Start the bot when ready.',
    );
    expect(restored(0)).toContain(': 0 tickets,');
    expect(translator.t('en', 'report.header', { days: 1 })).toBe('Report for the last 1 day:');
    expect(translator.t('en', 'report.header', { days: 7 })).toBe('Report for the last 7 days:');
  });

  it('uses the one form zh-CN has for every count', () => {
    expect(restored(1, 'zh-CN')).toContain('1 个工单');
    expect(restored(2, 'zh-CN')).toContain('2 个工单');
  });

  it('words an English fallback by English rules, and a missing count by the "other" form', () => {
    const t = new Translator(
      { en: { k: { plural: 'n', one: '{n} ticket', other: '{n} tickets' } }, 'zh-CN': {} },
      'zh-CN',
    );
    expect(t.t('zh-CN', 'k', { n: 1 })).toBe('1 ticket');
    expect(t.t('zh-CN', 'k', { n: 3 })).toBe('3 tickets');
    expect(t.t('en', 'k')).toBe('{n} tickets');
    expect(t.t('en', 'k', { n: 'many' })).toBe('many tickets');
  });

  it('keeps two counts in one sentence right ("1 older backup; the newest 2 are kept")', () => {
    const rotated = (count: number, keep: number) =>
      translator.t('en', 'cli.backup.rotated', {
        count,
        kept: translator.t('en', 'cli.backup.kept', { keep }),
      });
    expect(rotated(1, 2)).toBe('Removed 1 older backup; the newest 2 are kept.');
    expect(rotated(3, 1)).toBe('Removed 3 older backups; the newest 1 is kept.');
  });
});

describe('loading plural forms from config/locales', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-locales-'));
    cpSync(path.join(__dirname, '../../config'), dir, {
      recursive: true,
      filter: (src) => !src.endsWith('.ts'),
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const withEntry = (entry: unknown) => {
    const file = path.join(dir, 'locales/en.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'x.count': entry }));
    return () => loadConfig({ GROUPDESK_CONFIG_DIR: dir });
  };

  it('accepts the shipped files and a well-formed entry', () => {
    const { catalogs } = withEntry({ plural: 'n', one: '{n} ticket', other: '{n} tickets' })();
    expect(new Translator(catalogs, 'en').t('en', 'x.count', { n: 1 })).toBe('1 ticket');
  });
  it.each([
    [{ one: '{n} ticket', other: '{n} tickets' }],
    [{ plural: 'n', one: '{n} ticket' }],
    [{ plural: 'n', other: '{n} tickets', several: '{n} tickets' }],
    [{ plural: 'n', other: 3 }],
  ])('refuses a malformed one at start, naming the key: %j', (entry) => {
    expect(withEntry(entry)).toThrow(/en\.json: x\.count=.*expected a string, or plural forms/);
  });
});
