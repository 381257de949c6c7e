/**
 * The tickets linking an upstream issue, on SQLite (the UpstreamLinks port,
 * src/core/upstream-links.ts): the partial index `events_upstream_links` of schema step 8
 * holds the `upstream_link` events only, keyed by their lower-cased `to`; the query repeats
 * the index's WHERE and expression word for word, which is what lets SQLite use it.
 * An `upstream_unlink` event (/unlink) supersedes the links before it on its ticket: no
 * second index, those few events are found through events_by_ticket per candidate.
 */

import type { IssueRef } from '../../core/tracker';
import { linkKey, refsOfKeys } from '../../core/upstream-links';
import { integer, text } from '../values';
import { type Db, prepare, type Statement } from './connection';
import type { LedgerAccess } from './reminders';

/** A link event (the outer `events` row) that a later unlink of the same issue on the same ticket ended (events_by_ticket). */
const ENDED = `EXISTS (SELECT 1 FROM events u
      WHERE u.ticket_number = events.ticket_number AND u.kind = 'upstream_unlink'
        AND lower(u.to_value) = lower(events.to_value) AND (u.at, u.id) > (events.at, events.id))`;

export const LINKED_SQL = `SELECT json_group_array(ticket_number) FROM (
    SELECT DISTINCT ticket_number FROM events
    WHERE kind = 'upstream_link' AND lower(to_value) = :key AND NOT ${ENDED} ORDER BY ticket_number
  )`;

export const LINKED_ISSUES_SQL = `SELECT json_group_array(k) FROM (
    SELECT DISTINCT lower(to_value) AS k FROM events
    WHERE kind = 'upstream_link' AND to_value IS NOT NULL AND NOT ${ENDED} ORDER BY k
  )`;

export class SqliteUpstreamLinks {
  private readonly linked: Statement;
  private readonly issues: Statement;

  constructor(
    db: Db,
    private readonly access: Pick<LedgerAccess, 'read'>,
  ) {
    this.linked = prepare(db, LINKED_SQL);
    this.issues = prepare(db, LINKED_ISSUES_SQL);
  }

  async linkedIssues(): Promise<IssueRef[]> {
    return this.access.read(() => {
      const [json] = this.issues.get() as [string];
      return refsOfKeys(JSON.parse(json) as string[]);
    });
  }

  async ticketsLinkedTo(ref: IssueRef): Promise<number[]> {
    const key = linkKey({ repo: text(ref.repo, 'ref.repo'), number: integer(ref.number, 'ref.number') });
    return this.access.read(() => {
      const [json] = this.linked.get({ key }) as [string];
      return JSON.parse(json) as number[];
    });
  }
}
