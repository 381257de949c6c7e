/**
 * Schema step 8 (issue 16, reuse of answers): saved replies, one row per (name, locale).
 * Its own file so that the lead can renumber it at merge without touching the others.
 */
// No import of `Migration` from migrations.ts (that would be a cycle): the list there checks the shape.
export const REUSE_MIGRATION = {
  version: 8,
  description: 'saved replies (macros)',
  sql: `
    CREATE TABLE macros (
      name TEXT NOT NULL, locale TEXT NOT NULL, text TEXT NOT NULL,
      updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL,
      PRIMARY KEY (name, locale)
    ) STRICT, WITHOUT ROWID;
  `,
};
