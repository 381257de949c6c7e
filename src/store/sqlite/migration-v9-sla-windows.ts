/**
 * Schema step 9 (issue 20, second part): the start of a ticket's latest next-response
 * window, which names the window in the reminder ledger (`ticket:N:next_response:<since>`),
 * so a new window sends its stages afresh. Its own file so that the lead can renumber it
 * at merge (v8 belongs to another branch).
 */
// No import of `Migration` from migrations.ts (that would be a cycle): the list there checks the shape.
export const SLA_WINDOWS_MIGRATION = {
  version: 9,
  description: 'next-response windows',
  sql: `
    ALTER TABLE tickets ADD COLUMN next_response_since INTEGER;
  `,
};
