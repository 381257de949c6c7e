/**
 * Saved replies on MongoDB (the MacroStore port, src/core/macros.ts): the `macros`
 * collection, `_id` = `<name>/<locale>`, read through the `macros_by_name` index.
 */
import { isLocale, type Locale } from '../../core/i18n';
import type { Macro } from '../../core/macros';
import { invalidValue } from '../errors';
import { integer, text } from '../values';
import type { MacroDoc, Models } from './mongo.schemas';

export class MongoMacros {
  constructor(private readonly m: Models) {}

  async put(macro: Macro): Promise<void> {
    const { _id, ...doc } = macroDoc(macro);
    await this.m.macros.replaceOne({ _id }, doc, { upsert: true });
  }

  async get(name: string): Promise<Macro[]> {
    const checked = text(name, 'macro.name');
    const docs = await this.m.macros.find({ name: checked }).sort({ name: 1, locale: 1 }).lean();
    return docs.map(readMacro);
  }

  async list(): Promise<Macro[]> {
    const docs = await this.m.macros.find({}).sort({ name: 1, locale: 1 }).lean();
    return docs.map(readMacro);
  }

  async delete(name: string, which?: string): Promise<number> {
    const checked = text(name, 'macro.name');
    const filter = which === undefined ? { name: checked } : { name: checked, locale: locale(which) };
    return (await this.m.macros.deleteMany(filter)).deletedCount;
  }
}

function locale(value: string): Locale {
  if (!isLocale(value)) throw invalidValue('macro.locale', 'a supported locale', value);
  return value;
}

/** The document of a macro, every value checked (put and migrate's import). */
export function macroDoc(macro: Macro): MacroDoc {
  const name = text(macro.name, 'macro.name');
  const which = locale(macro.locale);
  return {
    _id: `${name}/${which}`,
    name,
    locale: which,
    text: text(macro.text, 'macro.text'),
    updatedBy: text(macro.updatedBy, 'macro.updatedBy'),
    updatedAt: integer(macro.updatedAt, 'macro.updatedAt'),
  };
}

export function readMacro(doc: MacroDoc): Macro {
  return {
    name: doc.name,
    locale: locale(doc.locale),
    text: doc.text,
    updatedBy: doc.updatedBy,
    updatedAt: doc.updatedAt,
  };
}
