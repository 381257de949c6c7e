import { readerLocale } from '../../src/core/locale';

describe('readerLocale: person, then group, then the deployment', () => {
  it('uses the deployment default when neither the person nor the group chose', () => {
    expect(readerLocale('zh-CN')).toBe('zh-CN');
    expect(readerLocale('en', {}, {})).toBe('en');
  });

  it('uses the group’s language when the person has none', () => {
    expect(readerLocale('zh-CN', {}, { locale: 'en' })).toBe('en');
    expect(readerLocale('en', undefined, { locale: 'zh-CN' })).toBe('zh-CN');
  });

  it('prefers the person’s own language over the group’s and the default', () => {
    expect(readerLocale('zh-CN', { locale: 'en' }, { locale: 'zh-CN' })).toBe('en');
    expect(readerLocale('en', { locale: 'zh-CN' }, { locale: 'en' })).toBe('zh-CN');
    expect(readerLocale('zh-CN', { locale: 'en' })).toBe('en');
  });
});
