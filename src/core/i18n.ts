/**
 * Localised text. Messages live in `config/locales/<locale>.json` as flat
 * `key: "text with {param}"` maps; this module only looks them up and interpolates.
 * (i18next 27 needs Node 22 and we only need interpolation and fallback, so a small
 * translator is simpler than pinning an old major.)
 */

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** True when `value` names a supported locale (user input, stored values). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type Catalog = Readonly<Record<string, string>>;
export type Params = Readonly<Record<string, string | number>>;

export class Translator {
  /** Catalog templates split at their parameters (bounded by the catalogs). */
  private readonly compiled = new Map<string, readonly string[]>();

  constructor(
    private readonly catalogs: Readonly<Record<Locale, Catalog>>,
    readonly defaultLocale: Locale,
  ) {}

  /** Text for `key` in `locale`, falling back to English, then to the key itself (never throws). */
  t(locale: Locale, key: string, params: Params = {}): string {
    const template = this.catalogs[locale][key] ?? this.catalogs.en[key];
    if (template === undefined) return key;
    const pieces = this.compiled.get(template) ?? this.compile(template);
    // pieces alternate: text, parameter name, text, …, text
    let out = pieces[0]!;
    for (let i = 1; i < pieces.length; i += 2) {
      const name = pieces[i]!;
      out += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + pieces[i + 1]!;
    }
    return out;
  }

  /**
   * Splits a template at its `{param}`s once: the scheduler words a thousand reminders in
   * one tick, and a regular-expression replace per call was a tenth of its time (bench/).
   */
  private compile(template: string): readonly string[] {
    const pieces = template.split(/\{(\w+)\}/);
    this.compiled.set(template, pieces);
    return pieces;
  }

  has(locale: Locale, key: string): boolean {
    return key in this.catalogs[locale];
  }

  /** All keys of a locale whose name starts with `prefix`. */
  keys(locale: Locale, prefix = ''): string[] {
    return Object.keys(this.catalogs[locale]).filter((k) => k.startsWith(prefix));
  }
}
