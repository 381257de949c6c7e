/**
 * Localised text. Messages live in `config/locales/<locale>.json` as flat
 * `key: "text with {param}"` maps; this module only looks them up and interpolates.
 * A message that shows a count has one form per plural category of its locale, chosen by
 * the platform's `Intl.PluralRules` (CLDR data: "1 day" / "2 days" in en, one form in zh-CN):
 * `key: { "plural": "days", "one": "… {days} day", "other": "… {days} days" }`.
 * (i18next 27 needs Node 22 and we only need interpolation, plurals and fallback, so a small
 * translator is simpler than pinning an old major.)
 */

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** True when `value` names a supported locale (user input, stored values). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** CLDR plural categories (https://cldr.unicode.org/index/cldr-spec/plural-rules). */
export const PLURAL_CATEGORIES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
export type PluralCategory = (typeof PLURAL_CATEGORIES)[number];

/**
 * A count-bearing message: `plural` names the numeric parameter that picks the form, and
 * there is a text for each plural category the locale uses (`other` always).
 */
export type PluralMessage = Readonly<
  { plural: string; other: string } & Partial<Record<PluralCategory, string>>
>;
export type Message = string | PluralMessage;
export type Catalog = Readonly<Record<string, Message>>;
export type Params = Readonly<Record<string, string | number>>;

export class Translator {
  /** Catalog templates split at their parameters (bounded by the catalogs). */
  private readonly compiled = new Map<string, readonly string[]>();
  private readonly plurals = new Map<Locale, Intl.PluralRules>();

  constructor(
    private readonly catalogs: Readonly<Record<Locale, Catalog>>,
    readonly defaultLocale: Locale,
  ) {}

  /** Text for `key` in `locale`, falling back to English, then to the key itself (never throws). */
  t(locale: Locale, key: string, params: Params = {}): string {
    const own = this.catalogs[locale][key];
    const message = own ?? this.catalogs.en[key];
    if (message === undefined) return key;
    // An English fallback is worded by English plural rules.
    const template =
      typeof message === 'string'
        ? message
        : this.pluralForm(own === undefined ? 'en' : locale, message, params);
    const pieces = this.compiled.get(template) ?? this.compile(template);
    // pieces alternate: text, parameter name, text, …, text
    let out = pieces[0]!;
    for (let i = 1; i < pieces.length; i += 2) {
      const name = pieces[i]!;
      out += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + pieces[i + 1]!;
    }
    return out;
  }

  /** The form of `message` for its count; a missing or non-numeric count reads as `other`. */
  private pluralForm(locale: Locale, message: PluralMessage, params: Params): string {
    const count = Number(params[message.plural]);
    if (!Number.isFinite(count)) return message.other;
    let rules = this.plurals.get(locale);
    if (rules === undefined) {
      rules = new Intl.PluralRules(locale);
      this.plurals.set(locale, rules);
    }
    return message[rules.select(count)] ?? message.other;
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
