/**
 * Localised text. Messages live in `config/locales/<locale>.json` as flat
 * `key: "text with {param}"` maps; this module only looks them up and interpolates.
 * (i18next 27 needs Node 22 and we only need interpolation and fallback, so a small
 * translator is simpler than pinning an old major.)
 */

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Catalog = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export class Translator {
  constructor(
    private readonly catalogs: Readonly<Record<Locale, Catalog>>,
    readonly defaultLocale: Locale,
  ) {}

  /** Text for `key` in `locale`, falling back to English, then to the key itself (never throws). */
  t(locale: Locale, key: string, params: Params = {}): string {
    const template = this.catalogs[locale][key] ?? this.catalogs.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
  }

  has(locale: Locale, key: string): boolean {
    return key in this.catalogs[locale];
  }

  /** All keys of a locale whose name starts with `prefix`. */
  keys(locale: Locale, prefix = ''): string[] {
    return Object.keys(this.catalogs[locale]).filter((k) => k.startsWith(prefix));
  }
}
