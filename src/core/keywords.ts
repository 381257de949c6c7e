/**
 * Keyword arguments in every locale's words. A command's choice (`add`, `engineer`, `on`,
 * a category, a priority) has a canonical value the code uses; the words a speaker may
 * type for it live in the locale files as `kw.<set>.<value>: "word|word"`, and every
 * locale's words are accepted everywhere (as command aliases are). The canonical value
 * itself is always accepted.
 */
import { LOCALES, type Translator } from './i18n';

/** Every word for `value` in `set`, lower-cased: the value itself, then each locale's. */
export function keywordWords(translator: Translator, set: string, value: string): string[] {
  const key = `kw.${set}.${value}`;
  const words = LOCALES.flatMap((l) => (translator.has(l, key) ? translator.t(l, key).split('|') : []));
  return [value, ...words].map((w) => w.trim().toLowerCase()).filter(Boolean);
}

/** The canonical value among `choices` that `word` names in `set`, else undefined. */
export function keywordValue(
  translator: Translator,
  set: string,
  choices: readonly string[],
  word: string,
): string | undefined {
  const lower = word.toLowerCase();
  return choices.find((c) => keywordWords(translator, set, c).includes(lower));
}
