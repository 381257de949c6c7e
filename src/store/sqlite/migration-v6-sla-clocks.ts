/**
 * Schema step 6 (issue 20): the next-response and resolution deadlines beside the
 * first-response one. Each gets a partial index on the deadline over the tickets whose
 * clock can still run, so the SLA scheduler's cost follows what is due, as it does for the
 * first response (tickets_awaiting_response).
 */
// Typed by its place in MIGRATIONS (migrations.ts): importing the type here would make a cycle.
export const slaClocksMigration = {
  version: 6,
  description: 'next-response and resolution deadlines',
  sql: `
    ALTER TABLE tickets ADD COLUMN next_response_due_at INTEGER;
    ALTER TABLE tickets ADD COLUMN resolution_due_at INTEGER;
    CREATE INDEX tickets_awaiting_next_response ON tickets (next_response_due_at)
      WHERE next_response_due_at IS NOT NULL;
    CREATE INDEX tickets_awaiting_resolution ON tickets (resolution_due_at)
      WHERE resolution_due_at IS NOT NULL AND resolved_at IS NULL AND closed_at IS NULL;
  `,
};
