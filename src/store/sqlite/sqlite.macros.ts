/**
 * Saved replies on SQLite (the MacroStore port, src/core/macros.ts): the `macros` table of
 * schema step 7, served by its primary key (name, locale) for every query.
 * Lists are read as one JSON row with get() (rows.listSql): libsql leaks on all()/iterate().
 */
import { isLocale } from '../../core/i18n';
import type { Macro } from '../../core/macros';
import { invalidValue } from '../errors';
import { integer, text } from '../values';
import { type Db, prepare, type Statement } from './connection';
import type { LedgerAccess } from './reminders';
import { listSql, readList } from './rows';

const COLUMNS = ['name', 'locale', 'text', 'updated_by', 'updated_at'] as const;

/** Every macro in export order (name, locale): `groupdesk export` and migrate. */
export const MACRO_EXPORT_SQL = `SELECT ${COLUMNS.join(', ')} FROM macros ORDER BY name, locale`;
/** Inserts or replaces one macro by (name, locale), with macroParams. */
export const MACRO_PUT_SQL = `INSERT INTO macros (name, locale, text, updated_by, updated_at)
    VALUES (:name, :locale, :text, :updated_by, :updated_at)
    ON CONFLICT (name, locale) DO UPDATE SET text = excluded.text,
      updated_by = excluded.updated_by, updated_at = excluded.updated_at`;

const SQL = {
  put: MACRO_PUT_SQL,
  byName: listSql(COLUMNS, 'macros WHERE name = :name', 'name, locale'),
  all: listSql(COLUMNS, 'macros', 'name, locale'),
  deleteOne: 'DELETE FROM macros WHERE name = :name AND locale = :locale',
  deleteAll: 'DELETE FROM macros WHERE name = :name',
} as const;

export class SqliteMacros {
  private readonly sql: { readonly [K in keyof typeof SQL]: Statement };

  constructor(
    db: Db,
    private readonly access: LedgerAccess,
  ) {
    const prepared = Object.entries(SQL).map(([name, sql]) => [name, prepare(db, sql)]);
    this.sql = Object.fromEntries(prepared) as never;
  }

  async put(macro: Macro): Promise<void> {
    const params = macroParams(macro);
    await this.access.write(() => this.sql.put.run(params));
  }

  async get(name: string): Promise<Macro[]> {
    const checked = text(name, 'macro.name');
    return this.access.read(() => readList(this.sql.byName.get({ name: checked }), readMacro));
  }

  async list(): Promise<Macro[]> {
    return this.access.read(() => readList(this.sql.all.get(), readMacro));
  }

  async delete(name: string, which?: string): Promise<number> {
    const checked = text(name, 'macro.name');
    if (which === undefined)
      return this.access.write(() => this.sql.deleteAll.run({ name: checked }).changes);
    const params = { name: checked, locale: locale(which) };
    return this.access.write(() => this.sql.deleteOne.run(params).changes);
  }
}

function locale(value: string) {
  if (!isLocale(value)) throw invalidValue('macro.locale', 'a supported locale', value);
  return value;
}

/** The checked values of MACRO_PUT_SQL (a StoreError when one is wrong). */
export function macroParams(macro: Macro) {
  return {
    name: text(macro.name, 'macro.name'),
    locale: locale(macro.locale),
    text: text(macro.text, 'macro.text'),
    updated_by: text(macro.updatedBy, 'macro.updatedBy'),
    updated_at: integer(macro.updatedAt, 'macro.updatedAt'),
  };
}

export function readMacro(values: unknown): Macro {
  const [name, loc, body, updatedBy, updatedAt] = values as [string, string, string, string, number];
  return { name, locale: locale(loc), text: body, updatedBy, updatedAt };
}
