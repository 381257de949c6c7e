/**
 * SQL whose shape depends on the call: ticket queries (which filters are present) and ticket
 * updates (which fields the patch carries). Each shape is built and prepared once, then
 * reused from the cache. Only fixed column names and placeholders go into the SQL text;
 * every value is bound.
 */
import type { CheckedTicketQuery, PatchField, PatchValue } from '../ticket-inputs';
import type { Statement, StatementCache } from './connection';
import type { Params } from './params';
import { listSql, selectList, TICKET_COLUMNS } from './rows';

const TICKET = selectList(TICKET_COLUMNS);

const PATCH_COLUMNS: { readonly [K in PatchField]: string } = {
  status: 'status',
  priority: 'priority',
  assigneeId: 'assignee_id',
  threadId: 'thread_id',
  dueAt: 'due_at',
  firstResponseAt: 'first_response_at',
  pausedAt: 'paused_at',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  nextResponseDueAt: 'next_response_due_at',
  nextResponseSince: 'next_response_since',
  resolutionDueAt: 'resolution_due_at',
  lastCustomerAt: 'last_customer_at',
  updatedAt: 'updated_at',
};

export interface Bound {
  readonly statement: Statement;
  readonly params: Params;
}

/**
 * Compare-and-set: the row changes only if it is still at `expectedVersion`, and RETURNING
 * hands back the new row, so a lost race is simply "no row".
 */
export function ticketUpdate(
  cache: StatementCache,
  number: number,
  expectedVersion: number,
  fields: ReadonlyArray<readonly [PatchField, PatchValue]>,
): Bound {
  const names = fields.map(([field]) => field);
  const statement = cache.get(`update:${names.join(',')}`, () => updateSql(names));
  const params: Params = { number, expected_version: expectedVersion };
  for (const [field, value] of fields) params[field] = value;
  return { statement, params };
}

export function updateSql(fields: readonly PatchField[]): string {
  const sets = fields.map((field) => `${PATCH_COLUMNS[field]} = :${field}`);
  return (
    `UPDATE tickets SET ${[...sets, 'version = version + 1'].join(', ')} ` +
    `WHERE number = :number AND version = :expected_version RETURNING ${TICKET}`
  );
}

/**
 * Filters become equality/range terms the indexes listed in migrations.ts can serve. The
 * order is the queue's: priority (`p1` < `p2` < `p3` as text), then the deadline with
 * tickets that have none last, then the number.
 */
export function ticketSelect(cache: StatementCache, query: CheckedTicketQuery): Bound {
  const { clause, params } = ticketWhere(query);
  // The WHERE text holds only fixed terms and placeholders, so it is the shape's key.
  return { statement: cache.get(`select:${clause}`, () => selectSql(clause)), params };
}

export function ticketWhere(query: CheckedTicketQuery): { clause: string; params: Params } {
  const where: string[] = [];
  const params: Params = { limit: query.limit };
  const equal = {
    customer_id: query.customerId,
    requester_id: query.requesterId,
    assignee_id: query.assigneeId,
    plan: query.plan,
  };
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    where.push(`${column} = :${column}`);
    params[column] = value;
  }
  if (query.statuses !== undefined) where.push(inList(params, 'status', query.statuses));
  if (query.dueBefore !== undefined) {
    // Written to match the partial index tickets_awaiting_response.
    where.push('first_response_at IS NULL AND due_at < :due_before');
    params.due_before = query.dueBefore;
  }
  if (query.createdSince !== undefined) {
    where.push('created_at >= :created_since');
    params.created_since = query.createdSince;
  }
  if (query.priorities !== undefined) where.push(inList(params, 'priority', query.priorities));
  if (query.subjectContains !== undefined) {
    // A scan bounded by the limit; full-text search replaces it (another branch adds FTS).
    where.push("subject LIKE :subject_like ESCAPE '\\'");
    params.subject_like = `%${query.subjectContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  }
  return { clause: where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `, params };
}

/** `column IN (:column0, …)` with each value bound; an empty list matches nothing (`IN ()` is valid SQLite). */
function inList(params: Params, column: 'status' | 'priority', values: readonly string[]): string {
  values.forEach((value, i) => {
    params[`${column}${i}`] = value;
  });
  return `${column} IN (${values.map((_, i) => `:${column}${i}`).join(', ')})`;
}

export function selectSql(clause: string): string {
  return listSql(TICKET_COLUMNS, `tickets ${clause}`, 'priority, due_at IS NULL, due_at, number', ':limit');
}
