/**
 * Schema step 9 (issue 20, second part): the start of a ticket's latest next-response
 * window, which names the window in the reminder ledger (`ticket:N:next_response:<since>`),
 * so a new window sends its stages afresh; and the queue's key, the nearest deadline of any
 * running promise, on every ticket already stored and indexed for /queue and /overdue. Its own file so that the lead can renumber it
 * at merge (v8 belongs to another branch).
 */
// No import of `Migration` from migrations.ts (that would be a cycle): the list there checks the shape.
export const SLA_WINDOWS_MIGRATION = {
  version: 9,
  description: 'next-response windows',
  sql: `
    ALTER TABLE tickets ADD COLUMN next_response_since INTEGER;
    ALTER TABLE tickets ADD COLUMN nearest_due_at INTEGER;
    -- nearestDueAt (src/core/sla/nearest.ts) of every ticket already stored.
    UPDATE tickets SET nearest_due_at = CASE
      WHEN status = 'waiting_on_customer' THEN ${Number.MAX_SAFE_INTEGER}
      WHEN status IN ('open', 'claimed') THEN min(
        coalesce(CASE WHEN first_response_at IS NULL THEN due_at END, ${Number.MAX_SAFE_INTEGER}),
        coalesce(next_response_due_at, ${Number.MAX_SAFE_INTEGER}),
        coalesce(CASE WHEN resolved_at IS NULL THEN resolution_due_at END, ${Number.MAX_SAFE_INTEGER}))
      END;
    CREATE INDEX tickets_queue ON tickets (priority, nearest_due_at, number)
      WHERE nearest_due_at IS NOT NULL;
    CREATE INDEX tickets_nearest_due ON tickets (nearest_due_at) WHERE nearest_due_at IS NOT NULL;
  `,
};
