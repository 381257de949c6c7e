/** config/knowledge/*.json is checked at start: a bad file stops it, naming the file and the key. */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/load';
import { Knowledge } from '../../src/core/knowledge';

const shipped = path.resolve(__dirname, '../../config');

describe('knowledge file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'groupdesk-knowledge-'));
    cpSync(shipped, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const load = () => loadConfig({ GROUPDESK_CONFIG_DIR: dir, GROUPDESK_LOCALE: 'en' });
  const write = (name: string, value: unknown) =>
    writeFileSync(
      path.join(dir, 'knowledge', name),
      typeof value === 'string' ? value : JSON.stringify(value),
    );
  const good = {
    id: 'x',
    locale: 'en',
    patterns: ['timeout'],
    links: [{ title: 'T', url: 'https://a.example/t' }],
  };

  it('loads the shipped sample by default', () => {
    expect(load().knowledge.size).toBeGreaterThanOrEqual(4);
  });

  it('refuses a bad link, locale, unknown key or broken JSON, naming the file and the key', () => {
    write('bad.json', { entries: [{ ...good, links: [{ title: 'T', url: 'ftp://a.example' }] }] });
    expect(load).toThrow(/knowledge\/bad\.json: entries\.0\.links\.0\.url/);
    write('bad.json', { entries: [{ ...good, locale: 'fr' }] });
    expect(load).toThrow(/bad\.json: entries\.0\.locale/);
    write('bad.json', { entries: [{ ...good, pattern: ['x'] }] });
    expect(load).toThrow(/bad\.json: entries\.0/);
    write('bad.json', '{ "entries": [');
    expect(load).toThrow(/bad\.json: not valid JSON/);
    rmSync(path.join(dir, 'knowledge', 'bad.json'));
    write('zz.json', { entries: [{ ...good, id: 'install-proxy' }] });
    expect(load).toThrow(/zz\.json: entries\.0\.id="install-proxy": already used in sample\.json/);
  });

  it('matches when every word of a pattern is in the question, any case; at most three links', () => {
    const k = new Knowledge([
      { id: 'a', locale: 'en', patterns: ['install timeout'], links: [{ title: 'A', url: 'https://a/' }] },
      {
        id: 'b',
        locale: 'en',
        patterns: ['TIMEOUT'],
        links: [
          { title: 'B', url: 'https://b/' },
          { title: 'C', url: 'https://c/' },
        ],
      },
      {
        id: 'c',
        locale: 'en',
        patterns: ['timeout'],
        links: [
          { title: 'D', url: 'https://d/' },
          { title: 'A', url: 'https://a/' },
        ],
      },
      { id: 'z', locale: 'zh-CN', patterns: ['超时'], links: [{ title: 'Z', url: 'https://z/' }] },
    ]);
    expect(k.linksFor('Timeout during INSTALL', 'en').map((l) => l.title)).toEqual(['A', 'B', 'C']);
    expect(k.linksFor('a timeout', 'en').map((l) => l.title)).toEqual(['B', 'C', 'D']);
    expect(k.linksFor('安装超时', 'en')).toEqual([]);
    expect(k.linksFor('安装超时', 'zh-CN').map((l) => l.title)).toEqual(['Z']);
  });
});
