/**
 * Saved replies (macros): a named text per locale that managers curate and engineers send
 * as the reply to a ticket (`/macro NAME #N`, the same path as `/reply`). The store keeps
 * one row per (name, locale); the customer group's locale picks the text when both exist.
 */
import { UserError } from './errors';
import type { Locale } from './i18n';

export interface Macro {
  /** Lower-case, `[a-z0-9_-]` or CJK letters, 1–32 characters: what engineers type. */
  readonly name: string;
  readonly locale: Locale;
  readonly text: string;
  /** Who last wrote it, and when (the curation's audit trail). */
  readonly updatedBy: string;
  readonly updatedAt: number;
}

/** Where macros live (both stores implement it; see isMacroStore). */
export interface MacroStore {
  /** Inserts or replaces by (name, locale). */
  putMacro(macro: Macro): Promise<void>;
  /** Every locale's text of one name, by locale. */
  getMacros(name: string): Promise<Macro[]>;
  /** Every macro, by name then locale. */
  listMacros(): Promise<Macro[]>;
  /** Removes one locale's text, or every locale's when none is given; returns how many. */
  deleteMacro(name: string, locale?: Locale): Promise<number>;
}

export function isMacroStore(store: object): store is MacroStore {
  const candidate = store as Partial<Record<keyof MacroStore, unknown>>;
  return typeof candidate.putMacro === 'function' && typeof candidate.getMacros === 'function';
}

/** A reply longer than this is refused: platforms cut messages around 2,000–4,000 characters. */
export const MACRO_TEXT_MAX = 2000;
const NAME = /^[\p{Ll}\p{Lo}\p{Nd}_-]{1,32}$/u;

/** The canonical (lower-case) name, or a polite error naming the rule. */
export function macroName(raw: string): string {
  const name = raw.normalize('NFKC').toLowerCase();
  if (!NAME.test(name) || /^\d+$/.test(name)) throw new UserError('macro.bad_name', { name: raw });
  return name;
}

/** The text to keep, or a polite error when it is empty or too long. */
export function macroText(raw: string | undefined): string {
  const text = (raw ?? '').trim();
  if (!text) throw new UserError('macro.empty');
  if ([...text].length > MACRO_TEXT_MAX)
    throw new UserError('macro.too_long', { max: MACRO_TEXT_MAX, length: [...text].length });
  return text;
}

/** The reader's locale's text, else the first one kept (by locale). */
export function pickMacro(macros: readonly Macro[], locale: Locale): Macro | undefined {
  return macros.find((m) => m.locale === locale) ?? macros[0];
}
