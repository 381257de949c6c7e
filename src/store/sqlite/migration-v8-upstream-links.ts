/**
 * Schema step 8 (issue 16, upstream tracker): the tickets that link an issue, found through
 * a partial expression index over the `upstream_link` events only (a few rows among
 * millions of messages), so a webhook delivery reads the linked tickets and nothing else.
 * `IF NOT EXISTS`: applying it to a file that already has the index changes nothing.
 * Its own file so that the lead can renumber it at merge without touching the others.
 */
// No import of `Migration` from migrations.ts (that would be a cycle): the list there checks the shape.
export const UPSTREAM_LINKS_MIGRATION = {
  version: 8,
  description: 'tickets by linked upstream issue',
  sql: `
    CREATE INDEX IF NOT EXISTS events_upstream_links ON events (lower(to_value), ticket_number)
      WHERE kind = 'upstream_link';
  `,
};
