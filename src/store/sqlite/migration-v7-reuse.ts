/**
 * Schema step 7 (issue 16, reuse of answers): saved replies, one row per (name, locale).
 * Its own file so that the lead can renumber it at merge without touching the others.
 */
// No import of `Migration` from migrations.ts (that would be a cycle): the list there checks the shape.
export const REUSE_MIGRATION = {
  version: 7,
  description: 'saved replies (macros) and the ticket search index',
  sql: `
    CREATE TABLE macros (
      name TEXT NOT NULL, locale TEXT NOT NULL, text TEXT NOT NULL,
      updated_by TEXT NOT NULL, updated_at INTEGER NOT NULL,
      PRIMARY KEY (name, locale)
    ) STRICT, WITHOUT ROWID;

    -- /search: one row per searchable text (a ticket's subject, a customer message, a staff
    -- reply; never an internal note). Trigram tokens, so Chinese and Japanese match without
    -- word segmentation; shorter queries use LIKE on the same column.
    CREATE VIRTUAL TABLE ticket_search USING fts5(
      body, ticket_number UNINDEXED, tokenize = 'trigram'
    );
    -- Triggers keep it in the writer's own transaction, whatever path stores the text
    -- (createTicket, updateTicket, addEvent, the reminder ledger, import).
    CREATE TRIGGER ticket_search_subject AFTER INSERT ON tickets BEGIN
      INSERT INTO ticket_search (body, ticket_number) VALUES (new.subject, new.number);
    END;
    CREATE TRIGGER ticket_search_event AFTER INSERT ON events
      WHEN new.kind IN ('customer_message', 'staff_reply') AND new.text IS NOT NULL BEGIN
      INSERT INTO ticket_search (body, ticket_number) VALUES (new.text, new.ticket_number);
    END;
    INSERT INTO ticket_search (body, ticket_number) SELECT subject, number FROM tickets;
    INSERT INTO ticket_search (body, ticket_number)
      SELECT text, ticket_number FROM events
      WHERE kind IN ('customer_message', 'staff_reply') AND text IS NOT NULL;
  `,
};
